// SPDX-License-Identifier: GPL-2.0
/* CO-RE relocations against minimal kernel struct definitions marked preserve_access_index
 * (no vmlinux.h): BPF_CORE_READ chains through pointers, bitfield reads (probed and direct),
 * bpf_core_field_exists/size/offset, bpf_core_type_exists/size/id, bpf_core_enum_value and
 * _exists, ___flavor structs describing another kernel version's layout, and a field that
 * does not exist in this kernel (guarded by field_exists).
 * bpf4j-cpu: v1 v2 v3 v4; bpf4j-clang22: v3 v4
 * bpf4j-endian: el eb */
/* bpf_tracing.h needs an architecture for PT_REGS; x86-64 register layout throughout. */
#define __TARGET_ARCH_x86
#include "bpf4j_test.h"
#include <bpf/bpf_core_read.h>

/* x86-64 register frame with the uapi field names bpf_tracing.h expects; the context of
 * kprobes (fixed layout, no CO-RE). */
struct pt_regs {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	unsigned long rax, rcx, rdx, rsi, rdi, orig_rax, rip, cs, eflags, rsp, ss;
};
#include <bpf/bpf_tracing.h>

struct mm_struct {
	unsigned long start_code;
	unsigned long end_code;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
	unsigned int flags;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct mm_struct *mm;
	char comm[16];
	int bpf4j_missing_field;
} __attribute__((preserve_access_index));

/* Layout from another kernel: only the name before the ___ matters to CO-RE. */
struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

struct task_struct___new {
	unsigned int __state;
} __attribute__((preserve_access_index));

struct sk_buff {
	__u8 pkt_type : 3;
	__u8 ignore_df : 1;
	__u32 len;
	__u16 protocol;
} __attribute__((preserve_access_index));

enum bpf_map_type___core {
	BPF_MAP_TYPE_RINGBUF___core = 0,
	BPF_MAP_TYPE_BPF4J_MISSING___core = 1,
};

struct bpf4j_no_such_type {
	int x;
} __attribute__((preserve_access_index));

struct core_out {
	__s32 pid;
	__s32 ppid;
	__s32 leader_tgid;
	__u32 state;
	__u64 code_size;
	__u32 pkt_type;
	__u32 flags;
	__u32 field_exists_missing;
	__u32 type_exists_task;
	__u32 type_exists_missing;
	__u32 type_size_task;
	__u32 enum_ringbuf;
	__u32 enum_missing_exists;
	__u32 comm_size;
	char comm[16];
};

struct core_out core_result;

static __always_inline __u32 task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(struct task_struct___new, __state))
		return BPF_CORE_READ((struct task_struct___new *)t, __state);
	return BPF_CORE_READ((struct task_struct___old *)t, state);
}

SEC("kprobe/do_nanosleep")
int BPF_KPROBE(core_kprobe, void *timer)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct mm_struct *mm;

	core_result.pid = BPF_CORE_READ(t, pid);
	core_result.ppid = BPF_CORE_READ(t, real_parent, tgid);
	core_result.leader_tgid = BPF_CORE_READ(t, group_leader, tgid);
	core_result.state = task_state(t);
	core_result.flags = BPF_CORE_READ(t, flags);
	mm = BPF_CORE_READ(t, mm);
	if (mm)
		core_result.code_size = BPF_CORE_READ(mm, end_code) - BPF_CORE_READ(mm, start_code);
	BPF_CORE_READ_STR_INTO(&core_result.comm, t, comm);
	core_result.comm_size = bpf_core_field_size(t->comm);
	core_result.field_exists_missing = bpf_core_field_exists(t->bpf4j_missing_field);
	if (bpf_core_field_exists(t->bpf4j_missing_field))
		core_result.flags = BPF_CORE_READ(t, bpf4j_missing_field);
	core_result.type_exists_task = bpf_core_type_exists(struct task_struct);
	core_result.type_exists_missing = bpf_core_type_exists(struct bpf4j_no_such_type);
	core_result.type_size_task = bpf_core_type_size(struct task_struct);
	core_result.enum_ringbuf = bpf_core_enum_value(enum bpf_map_type___core, BPF_MAP_TYPE_RINGBUF___core);
	core_result.enum_missing_exists =
		bpf_core_enum_value_exists(enum bpf_map_type___core, BPF_MAP_TYPE_BPF4J_MISSING___core);
	return 0;
}

/* Bitfields through a kernel pointer: probed reads (bpf_probe_read_kernel of the
 * containing bytes, then shifts from the relocated bit offset and size). */
SEC("kprobe/ip_rcv")
int BPF_KPROBE(core_bitfields, struct sk_buff *skb)
{
	core_result.pkt_type = BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
	core_result.flags = BPF_CORE_READ_BITFIELD_PROBED(skb, ignore_df);
	core_result.comm_size = BPF_CORE_READ(skb, len);
	return 0;
}

/* Direct bitfield reads: BTF-typed pointers can be dereferenced without a helper. */
SEC("fentry/ip_rcv")
int BPF_PROG(core_bitfields_direct, struct sk_buff *skb)
{
	core_result.pkt_type = BPF_CORE_READ_BITFIELD(skb, pkt_type);
	core_result.flags = bpf_core_field_offset(skb->protocol);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
