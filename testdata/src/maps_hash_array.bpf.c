// SPDX-License-Identifier: GPL-2.0
/* BTF-defined maps of the array and hash families: array, percpu_array, hash, percpu_hash,
 * lru_hash, lru_percpu_hash, with map_flags (BPF_F_NO_PREALLOC), pinning, a struct key,
 * __type vs __uint(key_size) declarations, and lookups/updates/deletes. Self-checking.
 * bpf4j-cpu: v1 v2 v3 v4
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 256);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} percpu_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 128);
	__type(key, __u64);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 128);
	__type(key, __u32);
	__type(value, struct flow_stats);
} lru_percpu SEC(".maps");

SEC("syscall")
int maps_array_check(void *ctx)
{
	__u32 k = 2, zero = 0;
	__u64 v = 77, *p;
	char *buf;

	p = bpf_map_lookup_elem(&counters, &k);
	CHECK(p != 0);
	CHECK(*p == 0);
	CHECK(bpf_map_update_elem(&counters, &k, &v, BPF_ANY) == 0);
	p = bpf_map_lookup_elem(&counters, &k);
	CHECK(p && *p == 77);
	__sync_fetch_and_add(p, 1);
	CHECK(*p == 78);
	k = 4;
	CHECK(bpf_map_lookup_elem(&counters, &k) == 0);
	CHECK(bpf_map_update_elem(&counters, &k, &v, BPF_ANY) != 0);

	buf = bpf_map_lookup_elem(&scratch, &zero);
	CHECK(buf != 0);
	buf[255] = 1;
	return 0;
}

SEC("syscall")
int maps_hash_check(void *ctx)
{
	struct flow_key fk = { .saddr = 0x0a000001, .daddr = 0x0a000002, .sport = 1, .dport = 80, .proto = 6 };
	struct flow_stats st = { 1, 64 }, *sp;
	__u64 lk = 12345, *cp, one = 1;
	__u32 lv = 9, *lp, k = 3;

	CHECK(bpf_map_lookup_elem(&flows, &fk) == 0);
	CHECK(bpf_map_update_elem(&flows, &fk, &st, BPF_NOEXIST) == 0);
	CHECK(bpf_map_update_elem(&flows, &fk, &st, BPF_NOEXIST) != 0);
	sp = bpf_map_lookup_elem(&flows, &fk);
	CHECK(sp && sp->bytes == 64);
	CHECK(bpf_map_delete_elem(&flows, &fk) == 0);
	CHECK(bpf_map_delete_elem(&flows, &fk) != 0);

	CHECK(bpf_map_update_elem(&percpu_counts, &k, &one, BPF_ANY) == 0);
	cp = bpf_map_lookup_elem(&percpu_counts, &k);
	CHECK(cp && *cp == 1);

	CHECK(bpf_map_update_elem(&lru, &lk, &lv, BPF_ANY) == 0);
	lp = bpf_map_lookup_elem(&lru, &lk);
	CHECK(lp && *lp == 9);

	CHECK(bpf_map_update_elem(&lru_percpu, &k, &st, BPF_ANY) == 0);
	sp = bpf_map_lookup_elem(&lru_percpu, &k);
	CHECK(sp && sp->packets == 1);
	bpf_map_delete_elem(&lru, &lk);
	return 0;
}

SEC("xdp")
int maps_count_xdp(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *p = bpf_map_lookup_elem(&counters, &k);

	if (p)
		__sync_fetch_and_add(p, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
