// Kfuncs beyond the numeric iterator: the bits iterator, task/cgroup/cpumask references
// (KF_ACQUIRE, KF_RELEASE, KF_RET_NULL, KF_RCU, KF_TRUSTED_ARGS), the program types that may
// call each kfunc set, bpf_cast_to_kern_ctx and bpf_rdonly_cast. Compiled by
// CompiledSourceParityTest at test time; the running kernel judges every program.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

// defined (not forward-declared) so that libbpf finds the kfunc prototypes compatible
struct task_struct {
	int pid;
} __attribute__((preserve_access_index));
struct cgroup {
	int level;
} __attribute__((preserve_access_index));
struct cpumask {
	unsigned long bits[1];
} __attribute__((preserve_access_index));
struct bpf_cpumask {
	struct cpumask cpumask;
} __attribute__((preserve_access_index));
struct sk_buff {
	unsigned int len;
} __attribute__((preserve_access_index));

struct bpf_iter_bits {
	__u64 __opaque[2];
} __attribute__((aligned(8)));

extern int bpf_iter_bits_new(struct bpf_iter_bits *it, const __u64 *unsafe_ptr__ign, __u32 nr_words) __ksym;
extern int *bpf_iter_bits_next(struct bpf_iter_bits *it) __ksym;
extern void bpf_iter_bits_destroy(struct bpf_iter_bits *it) __ksym;
extern struct task_struct *bpf_task_from_pid(__s32 pid) __ksym;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern struct cgroup *bpf_cgroup_from_id(__u64 cgid) __ksym;
extern struct cgroup *bpf_cgroup_acquire(struct cgroup *cgrp) __ksym;
extern void bpf_cgroup_release(struct cgroup *cgrp) __ksym;
extern struct bpf_cpumask *bpf_cpumask_create(void) __ksym;
extern struct bpf_cpumask *bpf_cpumask_acquire(struct bpf_cpumask *cpumask) __ksym;
extern void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym;
extern void bpf_cpumask_set_cpu(__u32 cpu, struct bpf_cpumask *cpumask) __ksym;
extern _Bool bpf_cpumask_test_cpu(__u32 cpu, const struct cpumask *cpumask) __ksym;
extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;
extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id__k) __ksym;

char _license[] SEC("license") = "GPL";

// the bits iterator: counts the set bits of a word on the stack
SEC("syscall")
int bits_count(void *ctx)
{
	struct bpf_iter_bits it;
	__u64 data = 0xf0f0;
	int n = 0;
	int *bit;

	bpf_iter_bits_new(&it, &data, 1);
	while ((bit = bpf_iter_bits_next(&it)))
		n += *bit;
	bpf_iter_bits_destroy(&it);
	return n;
}

// _next on an iterator that _new never initialized
SEC("syscall")
int bits_next_uninit(void *ctx)
{
	struct bpf_iter_bits it = {};

	bpf_iter_bits_next(&it);
	return 0;
}

// an iterator that is never destroyed leaks its reference
SEC("syscall")
int bits_no_destroy(void *ctx)
{
	struct bpf_iter_bits it;
	__u64 data = 1;

	bpf_iter_bits_new(&it, &data, 1);
	bpf_iter_bits_next(&it);
	return 0;
}

static __always_inline int task_refs(void)
{
	struct task_struct *t, *t2;

	t = bpf_task_from_pid(bpf_get_current_pid_tgid() >> 32);
	if (!t)
		return 0;
	t2 = bpf_task_acquire(t);
	if (t2)
		bpf_task_release(t2);
	bpf_task_release(t);
	return 1;
}

// task references in a program type whose kfunc set has them
SEC("syscall")
int task_syscall(void *ctx)
{
	return task_refs();
}

// raw_tp programs may call only the common kfunc set
SEC("raw_tp")
int task_raw_tp(void *ctx)
{
	return task_refs();
}

// a task reference that is never released
SEC("syscall")
int task_leak(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(1);

	return t != 0;
}

// KF_RCU: a possibly-NULL pointer is refused before it is checked for NULL
SEC("syscall")
int task_acquire_maybe_null(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(1), *t2;

	t2 = bpf_task_acquire(t);
	if (t2)
		bpf_task_release(t2);
	if (t)
		bpf_task_release(t);
	return 0;
}

// KF_RELEASE matches the struct strictly: a cgroup is no task
SEC("syscall")
int release_wrong_type(void *ctx)
{
	struct cgroup *c = bpf_cgroup_from_id(1);

	if (c)
		bpf_task_release((struct task_struct *)c);
	return 0;
}

// KF_RCU: an untrusted pointer (from bpf_rdonly_cast) is neither trusted nor RCU
SEC("syscall")
int acquire_untrusted(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(1), *u, *t2;

	if (!t)
		return 0;
	u = bpf_rdonly_cast(t, bpf_core_type_id_kernel(struct task_struct));
	t2 = bpf_task_acquire(u);
	if (t2)
		bpf_task_release(t2);
	bpf_task_release(t);
	return 0;
}

SEC("tracepoint")
int cgroup_refs(void *ctx)
{
	struct cgroup *c, *ref;

	c = bpf_cgroup_from_id(1);
	if (!c)
		return 0;
	ref = bpf_cgroup_acquire(c);
	if (ref)
		bpf_cgroup_release(ref);
	bpf_cgroup_release(c);
	return 0;
}

// a bpf_cpumask is passed where a cpumask is wanted: its first member is one
SEC("syscall")
int cpumask_refs(void *ctx)
{
	struct bpf_cpumask *m, *ref;
	int set;

	m = bpf_cpumask_create();
	if (!m)
		return 0;
	ref = bpf_cpumask_acquire(m);
	bpf_cpumask_set_cpu(0, m);
	set = bpf_cpumask_test_cpu(0, (const struct cpumask *)ref);
	bpf_cpumask_release(ref);
	bpf_cpumask_release(m);
	return set;
}

// the cpumask set is not registered for tc programs
SEC("tc")
int cpumask_tc(struct __sk_buff *skb)
{
	struct bpf_cpumask *m = bpf_cpumask_create();

	if (m)
		bpf_cpumask_release(m);
	return 0;
}

// bpf_cast_to_kern_ctx: a trusted sk_buff read through BTF
SEC("tc")
int kern_ctx_len(struct __sk_buff *skb)
{
	struct sk_buff *kskb = bpf_cast_to_kern_ctx(skb);

	return kskb->len;
}

// bpf_cast_to_kern_ctx wants the context itself
SEC("tc")
int kern_ctx_not_ctx(struct __sk_buff *skb)
{
	__u64 v = 0;
	struct sk_buff *kskb = bpf_cast_to_kern_ctx(&v);

	return kskb != 0;
}
