// SPDX-License-Identifier: GPL-2.0
/* BTF-typed pointers (PTR_TO_BTF_ID) as the verifier judges them: tp_btf, LSM and fentry
 * programs reading their arguments and walking kernel structs through them. One program per
 * case; the program's name says what the kernel is expected to do (accept_* or reject_*), the
 * running kernel decides in the tests. Kernel structs are minimal local definitions marked
 * preserve_access_index (CO-RE puts the kernel's offsets in).
 *   tp_btf/sched_switch(bool preempt, struct task_struct *prev, struct task_struct *next,
 *                       unsigned int prev_state): trusted task pointers; real_parent is an
 *                       RCU pointer (task_struct__safe_rcu), cred a plain one
 *   tp_btf/kfree_skb(struct sk_buff *skb, ...): skb->sk is RCU-or-NULL (sk_buff__safe_rcu_or_null)
 * bpf4j-cpu: v3
 * bpf4j-endian: el */
#include "bpf4j_test.h"

typedef struct {
	unsigned int val;
} __attribute__((preserve_access_index)) kuid_t;

struct cred {
	kuid_t uid;
	unsigned int securebits;
} __attribute__((preserve_access_index));

struct task_struct {
	unsigned int flags;
	int pid;
	struct task_struct *real_parent;
	const struct cred *cred;
	char comm[16];
} __attribute__((preserve_access_index));

struct sock {
	__u32 sk_mark;
} __attribute__((preserve_access_index));

struct sk_buff {
	struct sock *sk;
	unsigned int len;
} __attribute__((preserve_access_index));

struct file {
	unsigned int f_flags;
} __attribute__((preserve_access_index));

__u64 sink;

SEC("tp_btf/sched_switch")
int accept_task_fields(unsigned long long *ctx)
{
	struct task_struct *prev = (void *)ctx[1];
	struct task_struct *next = (void *)ctx[2];

	sink = prev->pid + next->comm[3] + (unsigned int)ctx[3] + (_Bool)ctx[0];
	return 0;
}

SEC("tp_btf/sched_switch")
int accept_rcu_walk(unsigned long long *ctx)
{
	struct task_struct *prev = (void *)ctx[1];

	/* real_parent: rcu_ptr_task_struct, its parent again, then a plain cred pointer and a
	 * member of a nested struct in it */
	sink = prev->real_parent->real_parent->pid + prev->real_parent->cred->securebits
	       + prev->cred->uid.val;
	return 0;
}

SEC("tp_btf/sched_switch")
int reject_write_field(unsigned long long *ctx)
{
	struct task_struct *prev = (void *)ctx[1];

	prev->pid = 1;
	return 0;
}

SEC("tp_btf/sched_switch")
int reject_negative_offset(unsigned long long *ctx)
{
	char *prev = (void *)ctx[1];

	sink = *(volatile long *)(prev - 8);
	return 0;
}

SEC("tp_btf/sched_switch")
int reject_beyond_struct(unsigned long long *ctx)
{
	char *prev = (void *)ctx[1];

	sink = *(volatile long *)(prev + 30000);
	return 0;
}

SEC("tp_btf/sched_switch")
int reject_variable_offset(unsigned long long *ctx)
{
	char *prev = (void *)ctx[1];

	sink = *(volatile char *)(prev + (ctx[3] & 7));
	return 0;
}

SEC("tp_btf/sched_switch")
int reject_missing_argument(unsigned long long *ctx)
{
	sink = ctx[4];
	return 0;
}

SEC("tp_btf/sched_switch")
int reject_scalar_argument_deref(unsigned long long *ctx)
{
	sink = *(volatile int *)ctx[3];
	return 0;
}

SEC("tp_btf/sched_switch")
int reject_narrow_pointer_read(unsigned long long *ctx)
{
	struct task_struct *prev = (void *)ctx[1];

	sink = *(volatile unsigned int *)&prev->real_parent;
	return 0;
}

SEC("tp_btf/sched_switch")
int reject_narrow_argument(unsigned long long *ctx)
{
	sink = *(volatile unsigned int *)&ctx[1];
	return 0;
}

SEC("tp_btf/kfree_skb")
int accept_nullable_checked(unsigned long long *ctx)
{
	struct sk_buff *skb = (void *)ctx[0];
	struct sock *sk = skb->sk;

	if (sk)
		sink = sk->sk_mark + skb->len;
	return 0;
}

SEC("tp_btf/kfree_skb")
int reject_nullable_unchecked(unsigned long long *ctx)
{
	struct sk_buff *skb = (void *)ctx[0];

	sink = skb->sk->sk_mark;
	return 0;
}

SEC("tp_btf/sched_switch")
int accept_current_task_btf(unsigned long long *ctx)
{
	/* a helper returning a trusted BTF pointer */
	struct task_struct *t = bpf_get_current_task_btf();

	sink = t->pid + t->real_parent->pid;
	return 0;
}

SEC("tp_btf/sched_switch")
int reject_current_task_write(unsigned long long *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();

	t->flags = 0;
	return 0;
}

SEC("kprobe/do_nanosleep")
int accept_kprobe_current_task_btf(void *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();

	sink = t->comm[0];
	return 0;
}

SEC("lsm/file_open")
int accept_lsm_zero(unsigned long long *ctx)
{
	struct file *f = (void *)ctx[0];

	sink = f->f_flags;
	return 0;
}

SEC("lsm/file_open")
int reject_lsm_positive(unsigned long long *ctx)
{
	return 1;
}

SEC("fentry/do_nanosleep")
int accept_fentry_args(unsigned long long *ctx)
{
	/* do_nanosleep(struct hrtimer_sleeper *t, enum hrtimer_mode mode): a pointer and a number */
	sink = ctx[1] + (ctx[0] != 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
