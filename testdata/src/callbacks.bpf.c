// SPDX-License-Identifier: GPL-2.0
/* Callbacks: bpf_loop with a context struct on the stack, bpf_for_each_map_elem over an
 * array and a hash, a callback that stops the iteration early, and a callback used by two
 * programs. Callback addresses are ld_imm64 with a relocation against .text (libbpf turns
 * them into BPF_PSEUDO_FUNC). Self-checking.
 * bpf4j-cpu: v1 v3 v4; bpf4j-clang22: v3 v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} cb_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} cb_hash SEC(".maps");

struct loop_ctx {
	__u64 sum;
	__u32 stop_at;
};

static long add_index(__u32 index, void *data)
{
	struct loop_ctx *c = data;

	if (index == c->stop_at)
		return 1;
	c->sum += index;
	return 0;
}

static long sum_values(void *map, __u32 *key, __u64 *value, void *data)
{
	struct loop_ctx *c = data;

	c->sum += *value;
	return 0;
}

static long first_two(void *map, __u32 *key, __u64 *value, void *data)
{
	struct loop_ctx *c = data;

	c->sum += *value;
	return *key >= 1;
}

SEC("syscall")
int callbacks_loop(void *ctx)
{
	struct loop_ctx c = { .sum = 0, .stop_at = 1000 };

	CHECK(bpf_loop(10, add_index, &c, 0) == 10);
	CHECK(c.sum == 45);
	c.sum = 0;
	c.stop_at = 4;
	CHECK(bpf_loop(10, add_index, &c, 0) == 5);
	CHECK(c.sum == 6);
	return 0;
}

static __always_inline void for_each_fill(__u32 k)
{
	__u64 v = k * 10;

	bpf_map_update_elem(&cb_array, &k, &v, BPF_ANY);
}

SEC("syscall")
int callbacks_for_each(void *ctx)
{
	struct loop_ctx c = { 0 };
	__u32 k;
	__u64 v;

	/* straight-line stores: a loop whose counter lives on the stack (its address goes to
	 * the helper) is one the verifier cannot bound */
	for_each_fill(0);
	for_each_fill(1);
	for_each_fill(2);
	for_each_fill(3);
	for_each_fill(4);
	for_each_fill(5);
	for_each_fill(6);
	for_each_fill(7);
	CHECK(bpf_for_each_map_elem(&cb_array, sum_values, &c, 0) == 8);
	CHECK(c.sum == 280);

	v = 1;
	k = 0;
	bpf_map_update_elem(&cb_hash, &k, &v, BPF_ANY);
	k = 1;
	bpf_map_update_elem(&cb_hash, &k, &v, BPF_ANY);
	k = 2;
	bpf_map_update_elem(&cb_hash, &k, &v, BPF_ANY);
	c.sum = 0;
	CHECK(bpf_for_each_map_elem(&cb_hash, sum_values, &c, 0) == 3);
	CHECK(c.sum == 3);

	c.sum = 0;
	CHECK(bpf_for_each_map_elem(&cb_array, first_two, &c, 0) == 2);
	CHECK(c.sum == 10);
	return 0;
}

SEC("xdp")
int callbacks_xdp(struct xdp_md *ctx)
{
	struct loop_ctx c = { .sum = 0, .stop_at = 1000 };

	bpf_loop(ctx->data_end - ctx->data, add_index, &c, 0);
	return c.sum > 1000 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
