// SPDX-License-Identifier: GPL-2.0
/* calculon, variant 2: the operator is a function pointer chosen per character and called
 * through it, as on the talk's slide (clang emits ld_imm64 of .text addresses + callx).
 * The kernel of this machine rejects callx ("unknown opcode 8d").
 * Covers: taking the address of static functions, callx, ops taking a pointer to the stack.
 * bpf4j-cpu: v1 v3 v4; bpf4j-clang22: v3 v4
 * bpf4j-endian: el */
#include "calculon.h"

static __noinline int calculon_add(struct calculon_stack *s)
{
	__u64 a, b;

	if (calculon_pop(s, &a) || calculon_pop(s, &b))
		return -1;
	return calculon_push(s, a + b);
}

static __noinline int calculon_sub(struct calculon_stack *s)
{
	__u64 a, b;

	if (calculon_pop(s, &a) || calculon_pop(s, &b))
		return -1;
	return calculon_push(s, a - b);
}

static __noinline int calculon_mul(struct calculon_stack *s)
{
	__u64 a, b;

	if (calculon_pop(s, &a) || calculon_pop(s, &b))
		return -1;
	return calculon_push(s, a * b);
}

static __noinline int calculon_eval(const char *expr, __u32 len, __u64 *result)
{
	struct calculon_stack *st = calculon_stack_reset();
	int (*op)(struct calculon_stack *);
	__u32 i;

	for (i = 0; i < CALCULON_MAX_LEN && i < len; i++) {
		char c = expr[i];

		if (calculon_is_digit(c)) {
			if (calculon_push(st, c - '0'))
				return -1;
			continue;
		} else if (c == '*') {
			op = calculon_mul;
		} else if (c == '+') {
			op = calculon_add;
		} else if (c == '-') {
			op = calculon_sub;
		} else {
			return -1;
		}
		if (op(st))
			return -1;
	}
	return calculon_fold(st, result);
}

#include "calculon_progs.h"
