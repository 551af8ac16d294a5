// SPDX-License-Identifier: GPL-2.0
/* calculon, variant 3: a call table in SEC("callx") indexed by the operator, the form
 * proposed at LSF/MM/BPF 2025 (bpf4j call tables). clang emits a data section "callx" of
 * 8-byte slots with R_BPF_64_ABS64 relocations against the functions; libbpf 1.1 refuses
 * it ("bad map relo against 'calculon_ops' in section 'callx'").
 * Covers: function-pointer arrays in a data section, indexed indirect calls (callx).
 * bpf4j-cpu: v1 v3 v4; bpf4j-clang22: v3 v4
 * bpf4j-endian: el eb */
#include "calculon.h"

static __noinline __u64 calculon_add(__u64 a, __u64 b)
{
	return a + b;
}

static __noinline __u64 calculon_sub(__u64 a, __u64 b)
{
	return a - b;
}

static __noinline __u64 calculon_mul(__u64 a, __u64 b)
{
	return a * b;
}

#define CALCULON_ADD 0
#define CALCULON_SUB 1
#define CALCULON_MUL 2
#define CALCULON_NOPS 3

__u64 (*calculon_ops[CALCULON_NOPS])(__u64, __u64) SEC("callx") = {
	[CALCULON_ADD] = calculon_add,
	[CALCULON_SUB] = calculon_sub,
	[CALCULON_MUL] = calculon_mul,
};

static __always_inline int calculon_op_index(char c)
{
	if (c == '+')
		return CALCULON_ADD;
	if (c == '-')
		return CALCULON_SUB;
	if (c == '*')
		return CALCULON_MUL;
	return -1;
}

static __noinline int calculon_eval(const char *expr, __u32 len, __u64 *result)
{
	struct calculon_stack *st = calculon_stack_reset();
	__u64 a, b;
	__u32 i;
	int k;

	for (i = 0; i < CALCULON_MAX_LEN && i < len; i++) {
		char c = expr[i];

		if (calculon_is_digit(c)) {
			if (calculon_push(st, c - '0'))
				return -1;
			continue;
		}
		k = calculon_op_index(c);
		if (k < 0 || k >= CALCULON_NOPS)
			return -1;
		if (calculon_pop(st, &a) || calculon_pop(st, &b))
			return -1;
		if (calculon_push(st, calculon_ops[k](a, b)))
			return -1;
	}
	return calculon_fold(st, result);
}

#include "calculon_progs.h"
