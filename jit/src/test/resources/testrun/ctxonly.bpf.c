// Syscall and raw tracepoint programs for the interpreter/kernel test-run comparison.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct args {
	__u64 a;
	__u32 b;
	__u32 out;
};

/* Writes a result back into its context, which the kernel copies back to user space. */
SEC("syscall")
int sys_prog(struct args *ctx)
{
	ctx->out = ctx->a * 3 + ctx->b;
	return ctx->b + 1;
}

/* Reads two u64 arguments and reports the CPU it runs on. */
SEC("raw_tp/sys_enter")
int rawtp(__u64 *ctx)
{
	return ctx[0] * 7 + ctx[1] + bpf_get_smp_processor_id() * 1000;
}

char _license[] SEC("license") = "GPL";
