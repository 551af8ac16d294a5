// SPDX-License-Identifier: GPL-2.0
/* bpf4j call tables in the three forms of the LSF/MM/BPF 2025 talk and call-tables-design.md:
 * a global SEC("callx") array indexed at run time (the talk's foo_table), a static SEC("callx")
 * array whose element is taken at a constant index (a load of table + 8), and the explicit
 * .maps form (an INSN_ARRAY with map_extra BPF_F_CALL_TABLE whose .values are functions) used
 * through bpf_map_lookup_elem. libbpf 1.1 refuses the object; no kernel has call tables.
 * bpf4j-cpu: v1 v3; bpf4j-clang22: v3 v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

#define BPF_MAP_TYPE_INSN_ARRAY_ 34 /* BPF_MAP_TYPE_INSN_ARRAY (INSN_SET in the talk) */
#define BPF_F_CALL_TABLE_ 1         /* bpf4j's value; see call-tables-design.md */

/* newer bpf_helpers.h have __ulong; the one of libbpf 1.1 does not */
#ifndef __ulong
#define CT_CONCAT_(a, b) a##b
#define CT_CONCAT(a, b) CT_CONCAT_(a, b)
#define __ulong(name, val) enum { CT_CONCAT(__unique_value, __COUNTER__) = val } name
#endif

struct table_ctx {
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

static __noinline __u64 foo_3(__u64 x)
{
	return x - 3;
}

__u64 (*foo_table[2])(__u64) SEC("callx") = { &foo_1, &foo_2 };

static __u64 (*bar_table[3])(__u64) SEC("callx") = { &foo_3, &foo_2, &foo_1 };

struct {
	__uint(type, BPF_MAP_TYPE_INSN_ARRAY_);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
	__ulong(map_extra, BPF_F_CALL_TABLE_);
	__array(values, __u64 (__u64));
} foo_map SEC(".maps") = {
	.values = { &foo_2, &foo_3 },
};

SEC("syscall")
int table_test(struct table_ctx *ctx)
{
	__u64 i = ctx->i, x = ctx->x;
	__u64 (*foo)(__u64);

	if (i >= ARRAY_SIZE(foo_table))
		return 22;
	foo = foo_table[i];
	if (!foo)
		return 22;
	ret_user = foo(x);
	return 0;
}

SEC("syscall")
int const_index_test(struct table_ctx *ctx)
{
	__u64 (*volatile *slot)(__u64) = &bar_table[1];

	ret_user = (*slot)(ctx->x);
	return 0;
}

SEC("syscall")
int map_table_test(struct table_ctx *ctx)
{
	__u32 i = ctx->i;
	__u64 (*foo)(__u64);

	foo = bpf_map_lookup_elem(&foo_map, &i);
	if (!foo)
		return 22;
	ret_user = foo(ctx->x);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
