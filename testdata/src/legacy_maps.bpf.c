// SPDX-License-Identifier: GPL-2.0
/* Legacy map definitions: struct bpf_map_def in SEC("maps"), the pre-BTF format that
 * libbpf >= 1.0 refuses ("legacy map definitions in 'maps' section are not supported").
 * Covers: fixed-layout 20-byte map records in one section, relocations against the symbols
 * of that section, a tail call through a legacy prog_array, the obsolete SEC("version").
 * bpf4j-cpu: v1 v2
 * bpf4j-endian: el */
#include "bpf4j_test.h"

/* The layout of libbpf's historical struct bpf_map_def (20 bytes). */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

/* A loader derives the record size as section size / number of map symbols. */
struct bpf_map_def SEC("maps") legacy_array = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 16,
};

struct bpf_map_def SEC("maps") legacy_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 256,
	.map_flags = BPF_F_NO_PREALLOC,
};

struct bpf_map_def SEC("maps") legacy_progs = {
	.type = BPF_MAP_TYPE_PROG_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 4,
};

SEC("socket")
int legacy_socket(struct __sk_buff *skb)
{
	__u32 k = 0, proto = skb->protocol;
	__u64 *cnt = bpf_map_lookup_elem(&legacy_array, &k);
	__u32 *seen;

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	seen = bpf_map_lookup_elem(&legacy_hash, &proto);
	if (!seen) {
		__u32 one = 1;

		bpf_map_update_elem(&legacy_hash, &proto, &one, BPF_ANY);
	}
	bpf_tail_call(skb, &legacy_progs, 0);
	return skb->len;
}

SEC("socket")
int legacy_socket_tail(struct __sk_buff *skb)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x060000;
