// SPDX-License-Identifier: GPL-2.0
/* Programs for timing engines against the kernel's JIT (bench module, KernelSideBySide), beside
 * testdata's packet parser (packet_xdp_udp) and calculator (calculon_xdp): a checksum loop over a
 * full-size frame, a map-heavy flow counter and a chain of subprogram calls. Each is XDP, so the
 * kernel's BPF_PROG_TEST_RUN repeats it and reports its own mean duration.
 * bpf4j-cpu: v3
 * bpf4j-endian: el */
#include "bpf4j_test.h"
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>

#define MAX_FRAME 1500

__u32 csum_result;

/* The 16-bit ones' complement sum of the whole frame (up to 1500 bytes), folded: every word is
 * a bounds-checked packet load. XDP_PASS when it folds to 0xffff, else XDP_DROP. */
SEC("xdp")
int bench_csum(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 sum = 0;
	__u32 i;

#pragma nounroll
	for (i = 0; i < MAX_FRAME / 2; i++) {
		__u16 *w = data + 2 * i;

		if ((void *)(w + 1) > data_end)
			break;
		sum += *w;
	}
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	csum_result = sum;
	return sum == 0xffff ? XDP_PASS : XDP_DROP;
}

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u32 proto;
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} proto_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct flow_stats);
} totals SEC(".maps");

/* Map-heavy: per packet, a flow-table lookup by 5-tuple (inserted on a miss), two array counters,
 * a per-CPU total and a second lookup of the flow; six map operations on the common path. */
SEC("xdp")
int bench_maps(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	struct flow_key key = {};
	struct flow_stats *st, init = {};
	__u64 *count;
	__u32 zero = 0, slot, len = data_end - data;

	if ((void *)(udp + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	key.saddr = ip->saddr;
	key.daddr = ip->daddr;
	key.sport = udp->source;
	key.dport = udp->dest;
	key.proto = ip->protocol;
	st = bpf_map_lookup_elem(&flows, &key);
	if (!st) {
		bpf_map_update_elem(&flows, &key, &init, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&flows, &key);
		if (!st)
			return XDP_ABORTED;
	}
	st->packets++;
	st->bytes += len;
	slot = key.proto & 7;
	count = bpf_map_lookup_elem(&proto_counts, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
	slot = key.dport & 7;
	count = bpf_map_lookup_elem(&proto_counts, &slot);
	if (count)
		__sync_fetch_and_add(count, len);
	st = bpf_map_lookup_elem(&totals, &zero);
	if (st) {
		st->packets++;
		st->bytes += len;
	}
	st = bpf_map_lookup_elem(&flows, &key);
	return st && st->packets > 0 ? XDP_PASS : XDP_DROP;
}

static __noinline __u32 mix(__u32 h, __u32 v)
{
	h ^= v;
	h *= 0x01000193;
	return h;
}

static __noinline __u32 mix_word(__u32 h, __u32 w)
{
	h = mix(h, w & 0xff);
	h = mix(h, (w >> 8) & 0xff);
	h = mix(h, (w >> 16) & 0xff);
	return mix(h, w >> 24);
}

static __noinline __u32 hash_header(__u32 *words, __u32 n)
{
	__u32 h = 0x811c9dc5, i;

#pragma nounroll
	for (i = 0; i < n && i < 8; i++)
		h = mix_word(h, words[i]);
	return h;
}

__u32 calls_hash;

/* Calls: an FNV-1a hash of the first 32 bytes through three levels of subprograms, 8 calls of
 * mix_word and 32 of mix per packet. */
SEC("xdp")
int bench_calls(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 words[8];

	if (data + sizeof(words) > data_end)
		return XDP_PASS;
	__builtin_memcpy(words, data, sizeof(words));
	calls_hash = hash_header(words, 8);
	return calls_hash & 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
