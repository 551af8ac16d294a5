// bpf_rcu_read_lock/unlock and bpf_preempt_disable/enable sections: they nest, may open in one
// function and close in another, must be closed before the program ends, and forbid tail calls
// inside; global functions may be called inside unless they may sleep, which they may not in a
// non-sleepable program at all. When the last RCU section closes, the RCU pointers loaded in it
// become untrusted. Compiled by CompiledSourceParityTest at test time; the running kernel judges every
// program.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void bpf_preempt_disable(void) __ksym;
extern void bpf_preempt_enable(void) __ksym;

// defined (not forward-declared) so that libbpf finds the kfunc prototypes compatible
struct task_struct {
	int pid;
	struct task_struct *real_parent;
} __attribute__((preserve_access_index));

struct bpf_iter_meta;
struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} progs SEC(".maps");

SEC("tc")
int preempt_nested(struct __sk_buff *skb)
{
	bpf_preempt_disable();
	bpf_preempt_disable();
	bpf_preempt_enable();
	bpf_preempt_enable();
	return 0;
}

SEC("tc")
int preempt_missing(struct __sk_buff *skb)
{
	bpf_preempt_disable();
	bpf_preempt_disable();
	bpf_preempt_enable();
	return 0;
}

SEC("tc")
int preempt_unmatched(struct __sk_buff *skb)
{
	bpf_preempt_enable();
	return 0;
}

static __attribute__((noinline)) int disable_in_subprog(int x)
{
	bpf_preempt_disable();
	return x + 1;
}

SEC("tc")
int preempt_across_subprog(struct __sk_buff *skb)
{
	int r = disable_in_subprog(skb->len);

	bpf_preempt_enable();
	return r & 1;
}

__attribute__((noinline)) int global_work(int x)
{
	return x * 3;
}

SEC("tc")
int preempt_global_call(struct __sk_buff *skb)
{
	int r;

	bpf_preempt_disable();
	r = global_work(skb->len);
	bpf_preempt_enable();
	return r & 1;
}

__attribute__((noinline)) int global_sleeps(int x)
{
	char buf[8];

	bpf_copy_from_user(buf, sizeof(buf), (void *)(long)x);
	return buf[0];
}

// a non-sleepable program may not call a global function that may sleep
SEC("raw_tp/sys_enter")
int global_sleeps_in_raw_tp(void *ctx)
{
	return global_sleeps(0) & 1;
}

SEC("tc")
int preempt_tail_call(struct __sk_buff *skb)
{
	bpf_preempt_disable();
	bpf_tail_call(skb, &progs, 0);
	bpf_preempt_enable();
	return 0;
}

SEC("tc")
int rcu_nested(struct __sk_buff *skb)
{
	bpf_rcu_read_lock();
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	bpf_rcu_read_unlock();
	return 0;
}

SEC("tc")
int rcu_unmatched(struct __sk_buff *skb)
{
	bpf_rcu_read_unlock();
	return 0;
}

SEC("tc")
int rcu_missing(struct __sk_buff *skb)
{
	bpf_rcu_read_lock();
	return 0;
}

// an RCU pointer taken inside the section may be acquired there
SEC("iter/task")
int rcu_acquire_inside(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task, *p;

	if (!task)
		return 0;
	bpf_rcu_read_lock();
	p = bpf_task_acquire(task->real_parent);
	bpf_rcu_read_unlock();
	if (p)
		bpf_task_release(p);
	return 0;
}

// after the section it is untrusted
SEC("iter/task")
int rcu_acquire_after_unlock(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task, *p;

	if (!task)
		return 0;
	bpf_rcu_read_lock();
	p = task->real_parent;
	bpf_rcu_read_unlock();
	p = bpf_task_acquire(p);
	if (p)
		bpf_task_release(p);
	return 0;
}
