// SPDX-License-Identifier: GPL-2.0
/* The rules bpf4j's verifier applies to callx and call tables, one program per rule and side:
 * programs that follow a rule (accepted, with the targets their callx may reach) next to
 * programs that break it (rejected, with the message the rule gives). Function pointers from
 * ld_imm64 (the pending upstream callx series), call tables in SEC("callx"), in .rodata (a const
 * array of function pointers) and in the explicit .maps form (call-tables-design.md). The
 * expected verdicts are in IndirectRulesTest. This kernel rejects every callx
 * ("unknown opcode 8d"); libbpf 1.1 refuses the object (call tables).
 * bpf4j-cpu: v3; bpf4j-clang22: v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

#define BPF_MAP_TYPE_INSN_ARRAY_ 34 /* BPF_MAP_TYPE_INSN_ARRAY */
#define BPF_F_CALL_TABLE_ 1         /* bpf4j's value; see call-tables-design.md */

#ifndef __ulong
#define IC_CONCAT_(a, b) a##b
#define IC_CONCAT(a, b) IC_CONCAT_(a, b)
#define __ulong(name, val) enum { IC_CONCAT(__unique_value, __COUNTER__) = val } name
#endif

struct ic_ctx {
	__u64 x;
	__u64 i;
	__u64 out;
};

typedef __u64 (*unary_fn)(__u64);

static __noinline __u64 f_inc(__u64 x)
{
	return x + 1;
}

static __noinline __u64 f_dbl(__u64 x)
{
	return x * 2;
}

static __noinline __u64 f_sqr(__u64 x)
{
	return x * x;
}

/* reads memory through its argument, which is a number: unsafe for any caller */
static __noinline __u64 f_deref(__u64 x)
{
	return *(volatile __u64 *)x;
}

/* reads two numbers a caller keeps on its stack */
static __noinline __u64 sum2(__u64 *p)
{
	return p[0] + p[1];
}

/* 480 bytes of stack */
static __noinline __u64 f_big_stack(__u64 x)
{
	__u64 buf[60] = {};

	buf[1] = x;
	return sum2(buf);
}

/* 240 bytes of stack */
static __noinline __u64 f_mid_stack(__u64 x)
{
	__u64 buf[30] = {};

	buf[1] = x;
	return sum2(buf);
}

__noinline __u64 g_inc(__u64 x)
{
	return x + 1;
}

/* ---- callx through function pointers ---- */

/* accepted: two possible targets, each verified as a static call */
SEC("syscall")
int callx_two_targets(struct ic_ctx *ctx)
{
	unary_fn f = ctx->i ? f_inc : f_dbl;

	ctx->out = f(ctx->x);
	return 0;
}

/* rejected: callx through a number (R? has type scalar, expected func) */
SEC("syscall")
int callx_scalar(struct ic_ctx *ctx)
{
	unary_fn f = (unary_fn)ctx->i;

	ctx->out = f(ctx->x);
	return 0;
}

/* rejected: a function pointer moved by a constant (dereference of modified func ptr) */
SEC("syscall")
int callx_modified(struct ic_ctx *ctx)
{
	char *p = (char *)f_inc;

	p = OPAQUE(p) + 8;
	ctx->out = ((unary_fn)p)(ctx->x);
	return 0;
}

/* rejected: a function pointer moved by a variable (variable func access) */
SEC("syscall")
int callx_variable_offset(struct ic_ctx *ctx)
{
	char *p = (char *)f_inc;

	p = OPAQUE(p) + (ctx->i & 8);
	ctx->out = ((unary_fn)p)(ctx->x);
	return 0;
}

/* accepted: a function pointer returned by one function and passed to another */
static __noinline unary_fn pick(__u64 i)
{
	return i ? f_inc : f_sqr;
}

static __noinline __u64 apply(unary_fn f, __u64 x)
{
	return f(x);
}

SEC("syscall")
int callx_args_and_returns(struct ic_ctx *ctx)
{
	ctx->out = apply(pick(ctx->i), ctx->x);
	return 0;
}

/* accepted: a function pointer spilled to the stack and filled back */
SEC("syscall")
int callx_spilled(struct ic_ctx *ctx)
{
	volatile unary_fn spilled = f_dbl;

	ctx->out = spilled(ctx->x);
	return 0;
}

/* rejected: one of the possible callees is unsafe (R1 invalid mem access 'scalar') */
SEC("syscall")
int callx_one_unsafe_target(struct ic_ctx *ctx)
{
	unary_fn f = ctx->i ? f_inc : f_deref;

	ctx->out = f(ctx->x);
	return 0;
}

/* rejected: callx through a global function's address (callback function not static) */
SEC("syscall")
int callx_global(struct ic_ctx *ctx)
{
	unary_fn f = OPAQUE(&g_inc);

	ctx->out = f(ctx->x);
	return 0;
}

/* rejected: recursion through a function pointer (recursive call from countdown() to countdown()) */
static __noinline __u64 countdown(__u64 n)
{
	unary_fn self = OPAQUE(&countdown);

	if (n == 0)
		return 0;
	return self(n - 1) + 1;
}

SEC("syscall")
int callx_recursive(struct ic_ctx *ctx)
{
	ctx->out = countdown(ctx->x & 3);
	return 0;
}

/* accepted: the caller's and the callee's stacks fit in 512 bytes together (64 + 240) */
SEC("syscall")
int callx_stack_fits(struct ic_ctx *ctx)
{
	__u64 local[8] = {};
	unary_fn f = ctx->i ? f_mid_stack : f_inc;

	local[1] = ctx->i;
	ctx->out = f(ctx->x) + sum2(local);
	return 0;
}

/* rejected: one possible callee's stack does not fit with the caller's (64 + 480: combined stack size) */
SEC("syscall")
int callx_stack_too_deep(struct ic_ctx *ctx)
{
	__u64 local[8] = {};
	unary_fn f = ctx->i ? f_big_stack : f_inc;

	local[1] = ctx->i;
	ctx->out = f(ctx->x) + sum2(local);
	return 0;
}

/* rejected: a callee with a tail call (tail_calls are not allowed in functions called via callx) */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} ic_progs SEC(".maps");

static __noinline int tail_to_first(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &ic_progs, 0);
	return 1;
}

static __noinline int no_tail(struct __sk_buff *skb)
{
	return skb->len > 10;
}

SEC("tc")
int callx_tail_call_in_callee(struct __sk_buff *skb)
{
	int (*f)(struct __sk_buff *) = skb->mark ? tail_to_first : no_tail;

	return f(skb);
}

SEC("tc")
int callx_no_tail_call(struct __sk_buff *skb)
{
	int (*f)(struct __sk_buff *) = OPAQUE(&no_tail);

	return f(skb);
}

/* ---- call tables in SEC("callx") ---- */

__u64 (*ic_ops[3])(__u64) SEC("callx") = { f_inc, f_dbl, f_sqr };

/* accepted: the index is checked against the table's size */
SEC("syscall")
int table_bounded(struct ic_ctx *ctx)
{
	__u64 i = ctx->i;

	if (i >= 3)
		return 1;
	ctx->out = ic_ops[i](ctx->x);
	return 0;
}

/* accepted: the index is known to be one of the last two entries */
SEC("syscall")
int table_bounded_range(struct ic_ctx *ctx)
{
	__u64 i = ctx->i;

	if (i < 1 || i > 2)
		return 1;
	ctx->out = ic_ops[i](ctx->x);
	return 0;
}

/* rejected: no check of the index (call table 'ic_ops': unbounded index) */
SEC("syscall")
int table_unbounded(struct ic_ctx *ctx)
{
	ctx->out = ic_ops[ctx->i](ctx->x);
	return 0;
}

/* rejected: the check lets one index past the end through */
SEC("syscall")
int table_past_end(struct ic_ctx *ctx)
{
	__u64 i = ctx->i;

	if (i > 3)
		return 1;
	ctx->out = ic_ops[i](ctx->x);
	return 0;
}

/* rejected: a store into the table */
SEC("syscall")
int table_store(struct ic_ctx *ctx)
{
	*(volatile __u64 *)&ic_ops[1] = ctx->x;
	return 0;
}

/* rejected: a 4-byte load of an entry */
SEC("syscall")
int table_partial_load(struct ic_ctx *ctx)
{
	ctx->out = *(volatile __u32 *)&ic_ops[1];
	return 0;
}

/* rejected: a load between two entries (written as assembly: clang-22 splits a misaligned load) */
SEC("syscall")
int table_misaligned(struct ic_ctx *ctx)
{
	__u64 v;

	asm volatile("%0 = *(u64 *)(%1 + 4)" : "=r"(v) : "r"(ic_ops));
	ctx->out = v;
	return 0;
}

/* ---- a const array of function pointers in .rodata ---- */

static unary_fn const ic_rodata_ops[3] = { f_sqr, f_inc, f_dbl };

/* accepted */
SEC("syscall")
int rodata_table_bounded(struct ic_ctx *ctx)
{
	__u64 i = ctx->i;

	if (i >= 3)
		return 1;
	ctx->out = ic_rodata_ops[i](ctx->x);
	return 0;
}

/* rejected: no check of the index */
SEC("syscall")
int rodata_table_unbounded(struct ic_ctx *ctx)
{
	ctx->out = ic_rodata_ops[ctx->i](ctx->x);
	return 0;
}

/* ---- the explicit .maps form, through bpf_map_lookup_elem ---- */

struct {
	__uint(type, BPF_MAP_TYPE_INSN_ARRAY_);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
	__ulong(map_extra, BPF_F_CALL_TABLE_);
	__array(values, __u64 (__u64));
} ic_map SEC(".maps") = {
	.values = { &f_dbl, &f_sqr },
};

/* accepted: the looked-up function is checked for NULL (a key past the table) */
SEC("syscall")
int map_lookup_checked(struct ic_ctx *ctx)
{
	__u32 k = ctx->i;
	unary_fn f = bpf_map_lookup_elem(&ic_map, &k);

	if (!f)
		return 1;
	ctx->out = f(ctx->x);
	return 0;
}

/* rejected: called without the NULL check (func_or_null, expected func) */
SEC("syscall")
int map_lookup_unchecked(struct ic_ctx *ctx)
{
	__u32 k = ctx->i;
	unary_fn f = bpf_map_lookup_elem(&ic_map, &k);

	ctx->out = f(ctx->x);
	return 0;
}

/* rejected: a call table's entries are not for bpf_map_update_elem */
SEC("syscall")
int map_update_refused(struct ic_ctx *ctx)
{
	__u32 k = 0;
	__u64 v = ctx->x;

	bpf_map_update_elem(&ic_map, &k, &v, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
