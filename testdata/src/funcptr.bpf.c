// SPDX-License-Identifier: GPL-2.0
/* Function pointers: the address of a static function taken with ld_imm64 (relocation
 * against .text) and called with callx, as in the talk's toy selftest; a pointer passed as
 * an argument; a pointer spilled to the stack; a local array of pointers. The kernel here
 * rejects callx ("unknown opcode 8d").
 * bpf4j-cpu: v1 v3; bpf4j-clang22: v3 v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

struct simple_ctx {
	__u64 x;
	__u64 i;
};

__u64 ret_user;

static __noinline __u64 foo_1(__u64 x)
{
	return x + 1;
}

static __noinline __u64 foo_2(__u64 x)
{
	return x * 2;
}

static __noinline __u64 apply_twice(__u64 (*f)(__u64), __u64 x)
{
	return f(f(x));
}

SEC("syscall")
int simple_test(struct simple_ctx *ctx)
{
	__u64 (*foo)(__u64);

	if (ctx->x % 2)
		foo = &foo_1;
	else
		foo = &foo_2;
	ret_user = foo(ctx->x);
	return 0;
}

SEC("syscall")
int table_test(struct simple_ctx *ctx)
{
	__u64 (*foo[2])(__u64);
	__u64 i = ctx->i, x = ctx->x;

	foo[0] = &foo_1;
	foo[1] = &foo_2;
	if (i >= ARRAY_SIZE(foo))
		return 22;
	ret_user = foo[i](x);
	return 0;
}

SEC("syscall")
int funcptr_selftest(void *ctx)
{
	__u64 (*volatile spilled)(__u64) = foo_2;

	CHECK(apply_twice(foo_1, OPAQUE(5)) == 7);
	CHECK(apply_twice(foo_2, OPAQUE(5)) == 20);
	CHECK(spilled(OPAQUE(21)) == 42);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
