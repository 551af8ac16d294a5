/* The "calculon" RPN calculator from the LSF/MM/BPF 2025 indirect-calls talk, shared by the
 * three variants (switch, function pointers + callx, SEC("callx") call table).
 *
 * Semantics: digits push their value; '+', '-', '*' pop the top value a and the value below
 * it b and push a+b, a-b, a*b (so '-' is top minus below, which is what makes the talk's
 * third expression give 11); at the end the values left on the stack are multiplied
 * together (the talk's "2222222*****" leaves 2 and 64 and expects 128). Arithmetic wraps
 * in 64 bits. Any other character, a stack underflow or overflow is an error (-1).
 *
 * A variant defines calculon_eval(expr, len, &result) and includes this header last. */
#ifndef CALCULON_H
#define CALCULON_H

#include "bpf4j_test.h"

#define CALCULON_MAX_LEN 64
#define CALCULON_DEPTH 16 /* power of two: indices are masked so the verifier sees bounds */

struct calculon_ctx {
	__u32 len;
	__u32 status;
	__u64 result;
	char expr[CALCULON_MAX_LEN];
};

struct calculon_stack {
	__u64 v[CALCULON_DEPTH];
	volatile __s32 top; /* index of the top value, -1 when empty; see calculon_stack below */
};

/* The evaluation stack lives in .bss and its depth is volatile, so clang reloads the depth
 * from memory and the verifier sees an unknown (but masked, so in-bounds) index instead of
 * one exact depth per path: states at the loop head then differ only by position and 45
 * unknown characters stay verifiable. It makes evaluation non-reentrant across CPUs, which
 * test runs do not need. */
struct calculon_stack calculon_stack;

static __always_inline struct calculon_stack *calculon_stack_reset(void)
{
	calculon_stack.top = -1;
	return &calculon_stack;
}

static __always_inline int calculon_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static __always_inline int calculon_push(struct calculon_stack *s, __u64 x)
{
	if (s->top >= CALCULON_DEPTH - 1)
		return -1;
	s->top++;
	s->v[s->top & (CALCULON_DEPTH - 1)] = x;
	return 0;
}

static __always_inline int calculon_pop(struct calculon_stack *s, __u64 *x)
{
	if (s->top < 0)
		return -1;
	*x = s->v[s->top & (CALCULON_DEPTH - 1)];
	s->top--;
	return 0;
}

static __always_inline int calculon_fold(struct calculon_stack *s, __u64 *result)
{
	__u64 r = 1;
	int i;

	if (s->top < 0)
		return -1;
	for (i = 0; i < CALCULON_DEPTH; i++) {
		if (i > s->top)
			break;
		r *= s->v[i];
	}
	*result = r;
	return 0;
}

#endif
