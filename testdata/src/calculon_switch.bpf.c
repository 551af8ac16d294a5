// SPDX-License-Identifier: GPL-2.0
/* calculon, variant 1: the operator is dispatched with a switch (no indirect calls).
 * Covers: static __noinline subprogram with pointer arguments, bounded loop over map-value
 * bytes, .rodata/.rodata.str1.1/.bss/.data globals, syscall programs writing their context,
 * and an XDP program taking the expression from the packet.
 * bpf4j-cpu: v1 v3 v4; bpf4j-clang22: v3 v4
 * bpf4j-endian: el eb */
#include "calculon.h"

static __noinline int calculon_eval(const char *expr, __u32 len, __u64 *result)
{
	struct calculon_stack *st = calculon_stack_reset();
	__u64 a, b, r;
	__u32 i;

	for (i = 0; i < CALCULON_MAX_LEN && i < len; i++) {
		char c = expr[i];

		if (calculon_is_digit(c)) {
			if (calculon_push(st, c - '0'))
				return -1;
			continue;
		}
		if (calculon_pop(st, &a) || calculon_pop(st, &b))
			return -1;
		switch (c) {
		case '+':
			r = a + b;
			break;
		case '-':
			r = a - b;
			break;
		case '*':
			r = a * b;
			break;
		default:
			return -1;
		}
		if (calculon_push(st, r))
			return -1;
	}
	return calculon_fold(st, result);
}

#include "calculon_progs.h"

/* The packet is the expression; the verdict is XDP_PASS when it evaluates, XDP_DROP if not. */
SEC("xdp")
int calculon_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 i;
	__u64 r = 0;

	for (i = 0; i < CALCULON_MAX_LEN; i++) {
		char *p = data + i;

		if ((void *)(p + 1) > data_end)
			break;
		calculon_input[i] = *p;
	}
	calculon_status = calculon_eval(calculon_input, i, &r);
	calculon_result = r;
	return calculon_status ? XDP_DROP : XDP_PASS;
}
