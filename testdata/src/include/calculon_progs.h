/* Programs common to every calculon variant; included after the variant's calculon_eval. */
#ifndef CALCULON_PROGS_H
#define CALCULON_PROGS_H

static const char calculon_e1[] = "1234567++++++";
static const char calculon_e2[] = "2222222*****";
static const char calculon_e3[] = "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+";

/* Input a loader may rewrite before load (frozen .rodata, so the verifier knows it). */
const volatile char calculon_expr[CALCULON_MAX_LEN] = "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+";
const volatile __u32 calculon_len = sizeof("34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+") - 1;

char calculon_input[CALCULON_MAX_LEN];
__u64 calculon_result;
__s32 calculon_status;

/* Returns 0 when the three expressions from the talk give 28, 128 and 11. */
SEC("syscall")
int calculon_selftest(void *ctx)
{
	__u64 r = 0;

	CHECK(calculon_eval(calculon_e1, sizeof(calculon_e1) - 1, &r) == 0);
	CHECK(r == 28);
	CHECK(calculon_eval(calculon_e2, sizeof(calculon_e2) - 1, &r) == 0);
	CHECK(r == 128);
	CHECK(calculon_eval(calculon_e3, sizeof(calculon_e3) - 1, &r) == 0);
	CHECK(r == 11);
	CHECK(calculon_eval("12+-", 4, &r) != 0);
	return 0;
}

/* Evaluates ctx->expr[0..len) and writes result and status back into the context. */
SEC("syscall")
int calculon_run(struct calculon_ctx *ctx)
{
	__u64 r = 0;
	__u32 len = ctx->len;

	__builtin_memcpy(calculon_input, ctx->expr, CALCULON_MAX_LEN);
	if (len > CALCULON_MAX_LEN)
		len = CALCULON_MAX_LEN;
	calculon_status = calculon_eval(calculon_input, len, &r);
	calculon_result = r;
	ctx->status = calculon_status;
	ctx->result = r;
	return calculon_status;
}

/* Evaluates the expression a loader placed in .rodata. */
SEC("syscall")
int calculon_rodata(void *ctx)
{
	__u64 r = 0;

	calculon_status = calculon_eval((const char *)calculon_expr, calculon_len, &r);
	calculon_result = r;
	return calculon_status;
}

char LICENSE[] SEC("license") = "GPL";

#endif
