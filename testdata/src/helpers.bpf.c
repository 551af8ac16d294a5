// SPDX-License-Identifier: GPL-2.0
/* A spread of helper calls (by id, no relocation): bpf_get_prandom_u32, bpf_ktime_get_ns,
 * bpf_get_smp_processor_id, bpf_get_current_pid_tgid, bpf_get_current_comm, bpf_probe_read_kernel,
 * bpf_trace_printk through bpf_printk (format strings in .rodata), bpf_snprintf, bpf_strncmp,
 * bpf_spin_lock on a map value; a big stack frame (close to 512 bytes) and spills/fills.
 * bpf4j-cpu: v1 v3 v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

struct locked {
	struct bpf_spin_lock lock;
	__u64 value;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct locked);
} locked_map SEC(".maps");

char formatted[32];

SEC("syscall")
int helpers_check(void *ctx)
{
	__u64 t0 = bpf_ktime_get_ns(), t1;
	__u64 args[2] = { 42, 7 };
	__u32 zero = 0;
	struct locked *l;
	char comm[16];

	CHECK(bpf_get_smp_processor_id() < 4096);
	CHECK(bpf_get_current_comm(comm, sizeof(comm)) == 0);
	bpf_get_prandom_u32();
	CHECK(bpf_snprintf(formatted, sizeof(formatted), "%llu-%llu", args, sizeof(args)) == 5);
	CHECK(bpf_strncmp(formatted, 5, "42-7") == 0);
	l = bpf_map_lookup_elem(&locked_map, &zero);
	CHECK(l != 0);
	bpf_spin_lock(&l->lock);
	l->value += 1;
	bpf_spin_unlock(&l->lock);
	t1 = bpf_ktime_get_ns();
	CHECK(t1 >= t0);
	bpf_printk("helpers ok after %llu ns", t1 - t0);
	return 0;
}

/* A frame of ~480 bytes with values live across a helper call. */
SEC("syscall")
int helpers_big_stack(void *ctx)
{
	volatile __u64 buf[60];
	__u32 i;
	__u64 sum = 0;

	for (i = 0; i < 60; i++)
		buf[i] = i;
	bpf_get_prandom_u32();
	for (i = 0; i < 60; i++)
		sum += buf[i];
	CHECK(sum == 1770);
	return 0;
}

SEC("kprobe/do_nanosleep")
int helpers_kprobe(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	long v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), ctx);
	bpf_printk("pid %d tgid %d v %ld", (__u32)id, id >> 32, v);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
