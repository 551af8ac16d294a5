// Global functions whose arguments are tagged arg:trusted (optionally arg:nullable): the caller
// must pass a plain, trusted or RCU BTF pointer to the named kernel struct (or NULL where
// nullable), the callee sees a trusted pointer. Sleepable programs reach sleeping helpers that
// take a task pointer. Compiled by CompiledSourceParityTest at test time; the running kernel
// judges every program.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __trusted __attribute__((btf_decl_tag("arg:trusted")))
#define __nullable __attribute__((btf_decl_tag("arg:nullable")))

struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));
struct cgroup {
	int level;
} __attribute__((preserve_access_index));
struct task_struct___flavor {
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

__attribute__((noinline)) int task_pid(struct task_struct *t __trusted)
{
	return t->pid;
}

__attribute__((noinline)) int task_pid_or_zero(struct task_struct *t __trusted __nullable)
{
	return t ? t->tgid : 0;
}

__attribute__((noinline)) int cgroup_level(struct cgroup *c __trusted)
{
	return c->level;
}

__attribute__((noinline)) int read_user(struct task_struct___flavor *t __trusted)
{
	char buf[8];

	return bpf_copy_from_user_task(buf, sizeof(buf), (void *)0, (void *)t, 0);
}

SEC("?kprobe")
int current_task(void *ctx)
{
	return task_pid(bpf_get_current_task_btf()) + task_pid_or_zero((void *)0);
}

SEC("?kprobe")
int task_for_cgroup(void *ctx)
{
	return cgroup_level((struct cgroup *)bpf_get_current_task_btf());
}

SEC("?tp_btf/task_newtask")
int maybe_null_reference(void *ctx)
{
	struct task_struct *t = bpf_task_acquire(bpf_get_current_task_btf());
	int r = task_pid_or_zero(t);

	if (t)
		bpf_task_release(t);
	return r;
}

SEC("?tp_btf/task_newtask")
int maybe_null_for_nonnull(void *ctx)
{
	struct task_struct *t = bpf_task_acquire(bpf_get_current_task_btf());
	int r = task_pid(t);

	if (t)
		bpf_task_release(t);
	return r;
}

SEC("?uprobe.s")
int sleepable_flavor(void *ctx)
{
	return read_user((void *)bpf_get_current_task_btf());
}

char _license[] SEC("license") = "GPL";
