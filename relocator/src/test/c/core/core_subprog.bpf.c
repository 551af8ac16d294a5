/*
 * CO-RE inside subprograms: a static and a global function in .text, relocated once on
 * their own code and then appended to each program that calls them; and a '?' program
 * (autoload off) whose records libbpf skips entirely.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	int pid;
	int tgid;
	struct task_struct *real_parent;
	unsigned int flags;
} __attribute__((preserve_access_index));

/* only the skipped program looks at this one: its candidates are never searched */
struct mm_struct {
	unsigned long task_size;
} __attribute__((preserve_access_index));

static __attribute__((noinline)) int parent_tgid(struct task_struct *t)
{
	return BPF_CORE_READ(t, real_parent, tgid);
}

__attribute__((noinline)) int task_flags(struct task_struct *t)
{
	if (!bpf_core_field_exists(t->flags))
		return -1;
	return BPF_CORE_READ(t, flags);
}

SEC("kprobe/first")
int first(struct pt_regs *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	return parent_tgid(t) + BPF_CORE_READ(t, pid);
}

SEC("kprobe/second")
int second(struct pt_regs *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	return parent_tgid(t) + task_flags(t);
}

SEC("?kprobe/lazy")
int lazy(struct pt_regs *ctx)
{
	struct mm_struct *mm = (void *)ctx;

	return BPF_CORE_READ(mm, task_size);
}

char LICENSE[] SEC("license") = "GPL";
