// SPDX-License-Identifier: GPL-2.0
/* Subprograms: static __noinline functions (appended to each caller by the loader), global
 * non-static __noinline functions (verified on their own by the kernel, BTF linkage global),
 * a subprogram shared by programs in two sections, nested calls, and a recursion-free call
 * chain of depth 4. Every program is self-checking (0 = pass, else the failing line).
 * bpf4j-cpu: v1 v2 v3 v4; bpf4j-clang22: v3 v4
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"

static __noinline __u64 square(__u64 x)
{
	return x * x;
}

static __noinline __u64 sum_of_squares(__u64 a, __u64 b)
{
	return square(a) + square(b);
}

static __noinline __u64 chain3(__u64 x)
{
	return sum_of_squares(x, x + 1) + 1;
}

/* Five arguments: the most a BPF call can pass in registers. */
static __noinline __u64 weigh(__u64 a, __u64 b, __u64 c, __u64 d, __u64 e)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e;
}

__noinline int global_clamp(int x, int lo, int hi)
{
	if (x < lo)
		return lo;
	if (x > hi)
		return hi;
	return x;
}

__noinline int global_div_or_zero(__u32 a, __u32 b)
{
	if (b == 0)
		return 0;
	return a / b;
}

SEC("syscall")
int subprogs_static(void *ctx)
{
	CHECK(square(OPAQUE(7)) == 49);
	CHECK(sum_of_squares(OPAQUE(3), 4) == 25);
	CHECK(chain3(OPAQUE(2)) == 14);
	CHECK(weigh(OPAQUE(1), 1, 1, 1, 1) == 15);
	return 0;
}

SEC("syscall")
int subprogs_global(void *ctx)
{
	CHECK(global_clamp(OPAQUE(-5), 0, 10) == 0);
	CHECK(global_clamp(OPAQUE(50), 0, 10) == 10);
	CHECK(global_clamp(OPAQUE(7), 0, 10) == 7);
	CHECK(global_div_or_zero(OPAQUE(100), 7) == 14);
	CHECK(global_div_or_zero(OPAQUE(100), OPAQUE(0)) == 0);
	return 0;
}

SEC("xdp")
int subprogs_xdp(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	return global_clamp(square(len) > 100 ? XDP_PASS : XDP_DROP, XDP_ABORTED, XDP_REDIRECT);
}

char LICENSE[] SEC("license") = "GPL";
