/*
 * CO-RE test program against the running kernel's BTF (and core_target.c's): every
 * relocation kind, in the instruction forms clang emits, with local definitions that differ
 * from the kernel on purpose (sizes, signedness, flavors, missing fields and enumerators).
 * Only relocated, never run: the capture harness fakes BPF_PROG_LOAD.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

typedef int pid_t;

struct hlist_node {
	struct hlist_node *next;
	struct hlist_node **pprev;
} __attribute__((preserve_access_index));

struct list_head {
	struct list_head *next, *prev;
} __attribute__((preserve_access_index));

struct mm_struct {
	unsigned long mmap_base;	/* inside two anonymous structs in the kernel */
	unsigned long task_size;
	int map_count;
} __attribute__((preserve_access_index));

struct task_struct {
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	char comm[16];
	unsigned long flags;		/* unsigned int in the kernel: load narrowed */
	long prio;			/* int in the kernel: signed, cannot be narrowed */
	unsigned int sched_reset_on_fork: 1;
	unsigned int sched_migrated: 1;
	struct mm_struct *mm;
	int exit_code;
	struct hlist_node pid_links[4];
	struct list_head tasks;
} __attribute__((preserve_access_index));

/* an older kernel's layout: 'state' no longer exists */
struct task_struct___old {
	long state;
	int pid;
} __attribute__((preserve_access_index));

struct task_struct___new {
	unsigned int __state;
} __attribute__((preserve_access_index));

struct sk_buff {
	struct sk_buff *next;		/* in an anonymous union of an anonymous struct */
	unsigned int len;
	__u8 pkt_type: 3;		/* bitfield in an anonymous struct */
	__u8 cloned: 1;
	char cb[48];
} __attribute__((preserve_access_index));

struct no_such_kernel_struct {
	int x;
} __attribute__((preserve_access_index));

/* same members as the kernel's list_head; callback_head's 'func' is not an int */
struct callback_head___bad {
	int func;
} __attribute__((preserve_access_index));

enum pid_type___loc {
	PIDTYPE_PID___loc,
	PIDTYPE_TGID___loc,
	PIDTYPE_PGID___loc,
	PIDTYPE_SID___loc,
	PIDTYPE_GONE___loc,
};

enum perf_callchain_context {
	PERF_CONTEXT_HV = 0xffffffffffffffe0ULL,
	PERF_CONTEXT_KERNEL = 0xffffffffffffff80ULL,
	PERF_CONTEXT_USER = 0xfffffffffffffe00ULL,
};

SEC("kprobe/read_chain")
int read_chain(struct pt_regs *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	int ppid = BPF_CORE_READ(t, real_parent, pid);
	int gppid = BPF_CORE_READ(t, real_parent, real_parent, tgid);
	char comm[16];
	char c3;

	BPF_CORE_READ_STR_INTO(&comm, t, group_leader, comm);
	bpf_core_read(&c3, 1, &t->comm[3]);
	return ppid + gppid + comm[0] + c3;
}

SEC("kprobe/anon_members")
int anon_members(struct pt_regs *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct sk_buff *skb = (void *)ctx;
	unsigned long base = BPF_CORE_READ(t, mm, mmap_base);
	unsigned long size = BPF_CORE_READ(t, mm, task_size);
	struct sk_buff *next = BPF_CORE_READ(skb, next);
	unsigned int len = BPF_CORE_READ(skb, len);
	void *pl = BPF_CORE_READ(t, pid_links[2].next);

	return base + size + (long)next + len + (long)pl;
}

SEC("kprobe/bitfields")
int bitfields(struct pt_regs *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct sk_buff *skb = (void *)ctx;
	unsigned long a = BPF_CORE_READ_BITFIELD_PROBED(t, sched_migrated);
	unsigned long b = BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
	unsigned long c = BPF_CORE_READ_BITFIELD_PROBED(skb, cloned);

	return a + b + c;
}

SEC("raw_tp/sched_switch")
int direct(__u64 *ctx)
{
	struct task_struct *t = (void *)ctx[0];
	unsigned long f = t->flags;
	long p = t->prio;
	unsigned long b = BPF_CORE_READ_BITFIELD(t, sched_reset_on_fork);

	long g = t->tgid;		/* -mcpu=v4: a sign-extending load */

	t->exit_code = t->pid;
	t->tgid = 42;			/* -mcpu=v4: a store of an immediate (BPF_ST) */
	return f + p + b + g + t->mm->map_count;
}

SEC("kprobe/existence")
int existence(struct pt_regs *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	int r = 0;

	if (bpf_core_field_exists(t->comm))
		r += bpf_core_field_size(t->comm);
	if (bpf_core_field_exists(t->pid_links[1]))
		r += bpf_core_field_size(t->pid_links[1]);
	r += __builtin_preserve_field_info(t->pid, 3) * 2 + __builtin_preserve_field_info(t->flags, 3) * 4;
	if (bpf_core_field_exists(((struct task_struct___old *)t)->state)) {
		long s = BPF_CORE_READ((struct task_struct___old *)t, state);
		r += s;
	} else {
		unsigned int s = BPF_CORE_READ((struct task_struct___new *)t, __state);
		r += s;
	}
	return r;
}

SEC("kprobe/types")
int types(struct pt_regs *ctx)
{
	long r = 0;

	r += bpf_core_type_exists(struct task_struct);
	r += bpf_core_type_exists(struct no_such_kernel_struct) * 2;
	r += bpf_core_type_exists(pid_t) * 4;
	r += bpf_core_type_size(struct task_struct);
	r += bpf_core_type_size(struct no_such_kernel_struct);
	r += bpf_core_type_size(pid_t);
	r += bpf_core_type_id_local(struct task_struct);
	r += bpf_core_type_id_kernel(struct task_struct);
	r += bpf_core_type_id_kernel(struct no_such_kernel_struct);
	r += bpf_core_type_matches(struct list_head) * 8;
	r += bpf_core_type_matches(struct hlist_node) * 16;
	r += bpf_core_type_matches(struct callback_head___bad) * 32;
	return r;
}

SEC("kprobe/enums")
int enums(struct pt_regs *ctx)
{
	long r = 0;

	r += bpf_core_enum_value_exists(enum pid_type___loc, PIDTYPE_SID___loc);
	r += bpf_core_enum_value_exists(enum pid_type___loc, PIDTYPE_GONE___loc) * 2;
	r += bpf_core_enum_value(enum pid_type___loc, PIDTYPE_SID___loc);
	r += bpf_core_enum_value(enum perf_callchain_context, PERF_CONTEXT_KERNEL);
	if (bpf_core_enum_value_exists(enum pid_type___loc, PIDTYPE_GONE___loc))
		r += bpf_core_enum_value(enum pid_type___loc, PIDTYPE_GONE___loc);
	return r;
}

SEC("kprobe/missing")
int missing(struct pt_regs *ctx)
{
	struct task_struct___old *t = (void *)bpf_get_current_task();

	/* unguarded: poisoned, and the program only fails if this runs */
	return BPF_CORE_READ(t, state) + t->state;
}

char LICENSE[] SEC("license") = "GPL";
