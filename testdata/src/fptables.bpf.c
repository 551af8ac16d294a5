// SPDX-License-Identifier: GPL-2.0
/* Function-pointer tables as C programmers write them: a const array of function pointers and
 * a const array of structs with function-pointer members, in .rodata next to other constants
 * (clang writes one R_BPF_64_ABS64 against .text per slot). bpf4j makes each a call table
 * (docs/indirect-calls.md §3); the rest of .rodata stays the read-only global data map.
 * fp_run: ctx[1] = ops[x % 3](x) + label[x & 7], ctx[2] = shapes[x & 1].area(x) + shapes[x & 1].scale(x);
 * fp_selftest checks values worked out by hand. The kernel here has no callx.
 * bpf4j-cpu: v1 v3 v4; bpf4j-clang22: v3 v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

static __noinline __u64 f_inc(__u64 x) { return x + 1; }
static __noinline __u64 f_dbl(__u64 x) { return x * 2; }
static __noinline __u64 f_sqr(__u64 x) { return x * x; }
static __noinline __u64 f_neg(__u64 x) { return 1000 - x; }

static __u64 (*const ops[3])(__u64) = { f_inc, f_dbl, f_sqr };
const char label[8] = "abcdefg";

struct shape_ops {
	__u64 (*area)(__u64);
	__u64 (*scale)(__u64);
};
static const struct shape_ops shapes[2] = {
	{ .area = f_sqr, .scale = f_dbl },
	{ .area = f_neg, .scale = f_inc },
};
const __u64 after_tables = 0x1122334455667788ULL;

static __always_inline __u64 through_ops(__u64 x)
{
	return ops[x % 3](x);
}

static __always_inline __u64 through_shapes(__u64 x)
{
	const struct shape_ops *s = &shapes[x & 1];

	return s->area(x) + s->scale(x);
}

SEC("syscall")
int fp_run(__u64 *ctx)
{
	__u64 x = ctx[0];

	ctx[1] = through_ops(x) + label[x & 7];
	ctx[2] = through_shapes(x);
	ctx[3] = after_tables;
	return 0;
}

SEC("syscall")
int fp_selftest(void *ctx)
{
	CHECK(through_ops(OPAQUE(9)) == 10);   /* 9 % 3 = 0: f_inc */
	CHECK(through_ops(OPAQUE(10)) == 20);  /* f_dbl */
	CHECK(through_ops(OPAQUE(11)) == 121); /* f_sqr */
	CHECK(through_shapes(OPAQUE(6)) == 36 + 12);   /* shapes[0]: 6 * 6 + 6 * 2 */
	CHECK(through_shapes(OPAQUE(7)) == 993 + 8);   /* shapes[1]: 1000 - 7 + 7 + 1 */
	CHECK(label[OPAQUE(2)] == 'c');
	CHECK(after_tables == 0x1122334455667788ULL);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
