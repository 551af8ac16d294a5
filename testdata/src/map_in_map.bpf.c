// SPDX-License-Identifier: GPL-2.0
/* Maps with initial values in BTF (.values): a prog_array whose slots name programs of the
 * same object, an array_of_maps and a hash_of_maps whose inner map is declared inline
 * (__array(values, ...)) and whose slots name other maps. Tail calls through the prog_array,
 * lookups through the map-in-maps.
 * bpf4j-cpu: v1 v2 v3 v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner inner_a SEC(".maps");
struct inner inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} outer_array SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_ARRAY);
		__uint(max_entries, 2);
		__type(key, __u32);
		__type(value, __u64);
	});
} outer_hash SEC(".maps") = {
	.values = { [1] = (void *)&inner_b },
};

int tail_stage1(struct xdp_md *ctx);
int tail_stage2(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int(struct xdp_md *));
} jump_table SEC(".maps") = {
	.values = { [1] = (void *)&tail_stage1, [3] = (void *)&tail_stage2 },
};

__u64 stage_hits;

SEC("xdp")
int tail_entry(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jump_table, 1);
	return XDP_ABORTED;
}

SEC("xdp")
int tail_stage1(struct xdp_md *ctx)
{
	stage_hits += 1;
	bpf_tail_call(ctx, &jump_table, 3);
	return XDP_DROP;
}

SEC("xdp")
int tail_stage2(struct xdp_md *ctx)
{
	stage_hits += 100;
	return XDP_PASS;
}

SEC("syscall")
int map_in_map_check(void *ctx)
{
	__u32 k0 = 0, k1 = 1, k2 = 2;
	__u64 v = 5, *p;
	void *m;

	m = bpf_map_lookup_elem(&outer_array, &k0);
	CHECK(m != 0);
	CHECK(bpf_map_update_elem(m, &k1, &v, BPF_ANY) == 0);
	p = bpf_map_lookup_elem(&inner_a, &k1);
	CHECK(p && *p == 5);
	CHECK(bpf_map_lookup_elem(&outer_array, &k1) == 0);
	m = bpf_map_lookup_elem(&outer_array, &k2);
	CHECK(m != 0);
	m = bpf_map_lookup_elem(&outer_hash, &k1);
	CHECK(m != 0);
	p = bpf_map_lookup_elem(m, &k0);
	CHECK(p && *p == 0);
	CHECK(bpf_map_lookup_elem(&outer_hash, &k0) == 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
