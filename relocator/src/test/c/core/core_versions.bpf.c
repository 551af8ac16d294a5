/*
 * Where libbpf versions differ: a direct load through an array member. libbpf 1.1 compares
 * the whole array's size between local and target (16 vs core_target's 8) and poisons the
 * load as a size change it cannot follow; libbpf 1.5+ compares element sizes (1 and 1) and
 * only moves the offset. bpf4j follows the newer rule.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	char comm[16];
} __attribute__((preserve_access_index));

SEC("raw_tp/sched_switch")
int array_load(__u64 *ctx)
{
	struct task_struct *t = (void *)ctx[0];

	return *(unsigned int *)t->comm;
}

char LICENSE[] SEC("license") = "GPL";
