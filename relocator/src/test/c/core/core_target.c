/*
 * A made-up "kernel" whose BTF is the second CO-RE target for core_kernel.bpf.c: the same
 * type names with members moved, resized, re-signed, removed and turned into bitfields,
 * enumerators renumbered, an ENUM64 with other values. Compiled with -g for its .BTF only.
 */
typedef int pid_t;

struct hlist_node {
	struct hlist_node *next;
	struct hlist_node **pprev;
};

struct list_head {
	struct list_head *next;
	struct list_head *prev;
};

/* 'func' is an int here, so callback_head___bad matches */
struct callback_head {
	int func;
};

struct mm_struct {
	int map_count;
	union {
		struct {
			unsigned long task_size;
			unsigned long mmap_base;
		};
		char reserved[64];
	};
};

struct task_struct {
	long state;				/* still there: task_struct___old matches */
	unsigned short flags;			/* unsigned long locally: narrowed to a half-word load */
	char comm[8];
	struct task_struct *group_leader;
	int prio;				/* long locally and signed: poisoned direct load */
	unsigned long long sched_migrated: 3;
	unsigned int pad_bits: 7;
	unsigned int sched_reset_on_fork: 1;
	struct task_struct *real_parent;
	int tgid;
	pid_t pid;
	struct mm_struct *mm;
	struct hlist_node pid_links[2];		/* pid_links[2] is out of bounds */
	/* no exit_code, no tasks, no __state */
};

struct sk_buff {
	unsigned int len;
	struct sk_buff *next;
	unsigned char cloned: 1;
	unsigned char pkt_type: 3;
	char cb[48];
};

enum pid_type {
	PIDTYPE_PID = 10,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID = 0x80000001,		/* an unsigned 32-bit value libbpf sign-extends */
	PIDTYPE_GONE = 7,
};

enum perf_callchain_context {
	PERF_CONTEXT_HV = 1,
	PERF_CONTEXT_KERNEL = 0x1122334455667788ULL,
};

int use_structs(struct task_struct *t, struct sk_buff *s, struct list_head *l, struct callback_head *c)
{
	return 0;
}

int use_enums(enum pid_type p, enum perf_callchain_context x)
{
	return 0;
}
