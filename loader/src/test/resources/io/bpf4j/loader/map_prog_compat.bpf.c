// Maps whose values hold special fields, used from program types that may or may not use them
// (check_map_prog_compatibility): compiled by MapProgCompatibilityTest at test time.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct timer_val {
	struct bpf_timer t;
};

struct lock_val {
	struct bpf_spin_lock l;
	int v;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct timer_val);
} timers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct lock_val);
} locks SEC(".maps");

static __always_inline int use_timer(void)
{
	int k = 0;
	struct timer_val *v = bpf_map_lookup_elem(&timers, &k);

	if (v)
		bpf_timer_init(&v->t, &timers, 1);
	return 0;
}

static __always_inline int use_lock(void)
{
	int k = 0;
	struct lock_val *v = bpf_map_lookup_elem(&locks, &k);

	if (v) {
		bpf_spin_lock(&v->l);
		v->v++;
		bpf_spin_unlock(&v->l);
	}
	return 0;
}

SEC("kprobe/do_nanosleep")
int timer_kprobe(void *ctx) { return use_timer(); }

SEC("tracepoint/syscalls/sys_enter_nanosleep")
int timer_tracepoint(void *ctx) { return use_timer(); }

SEC("perf_event")
int lock_perf_event(void *ctx) { return use_lock(); }

SEC("raw_tracepoint/sys_enter")
int lock_raw_tracepoint(void *ctx) { return use_lock(); }

SEC("socket")
int lock_socket(void *ctx) { return use_lock(); }

SEC("tc")
int lock_tc(void *ctx) { return use_lock(); }

SEC("tc")
int timer_tc(void *ctx) { return use_timer(); }

char LICENSE[] SEC("license") = "GPL";
