// SPDX-License-Identifier: GPL-2.0
/* struct_ops: TCP congestion controls as libbpf opens and loads them. A local
 * struct tcp_congestion_ops with a subset of the kernel's members in another order (libbpf
 * matches members by name against the kernel's BTF): function pointers, the name (char[16])
 * and flags (a __u32 data member). Three maps:
 *   bpf4j_cc       SEC(".struct_ops.link")   every member kind, BPF_F_LINK
 *   bpf4j_cc_plain SEC(".struct_ops")        shares bpf4j_ssthresh and bpf4j_undo_cwnd with bpf4j_cc
 *   bpf4j_cc_off   SEC("?.struct_ops.link")  not created by default; its own ssthresh program
 *                                            is then not loaded (libbpf's autoload rule)
 * The programs compute from their arguments only (no kernel structure is read).
 * bpf4j-cpu: v3
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"
#include <bpf/bpf_tracing.h>

struct sock;

struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	void (*set_state)(struct sock *sk, __u8 new_state);
	__u32 (*undo_cwnd)(struct sock *sk);
	void (*init)(struct sock *sk);
	void (*release)(struct sock *sk);
	__u32 flags;
	char name[16];
};

__u64 acked_total;

SEC("struct_ops/bpf4j_ssthresh")
__u32 BPF_PROG(bpf4j_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/bpf4j_cong_avoid")
void BPF_PROG(bpf4j_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	acked_total += acked;
}

SEC("struct_ops/bpf4j_set_state")
void BPF_PROG(bpf4j_set_state, struct sock *sk, __u8 new_state)
{
	if (new_state == 7)
		acked_total = 0;
}

SEC("struct_ops/bpf4j_undo_cwnd")
__u32 BPF_PROG(bpf4j_undo_cwnd, struct sock *sk)
{
	return 10;
}

SEC("struct_ops/bpf4j_init")
void BPF_PROG(bpf4j_init, struct sock *sk)
{
	acked_total = 0;
}

SEC("struct_ops/bpf4j_opt_ssthresh")
__u32 BPF_PROG(bpf4j_opt_ssthresh, struct sock *sk)
{
	return 4;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops bpf4j_cc = {
	.ssthresh = (void *)bpf4j_ssthresh,
	.cong_avoid = (void *)bpf4j_cong_avoid,
	.set_state = (void *)bpf4j_set_state,
	.undo_cwnd = (void *)bpf4j_undo_cwnd,
	.init = (void *)bpf4j_init,
	.flags = 1, /* TCP_CONG_NON_RESTRICTED */
	.name = "bpf4j_cc",
};

SEC(".struct_ops")
struct tcp_congestion_ops bpf4j_cc_plain = {
	.ssthresh = (void *)bpf4j_ssthresh,
	.cong_avoid = (void *)bpf4j_cong_avoid,
	.undo_cwnd = (void *)bpf4j_undo_cwnd,
	.name = "bpf4j_cc_plain",
};

SEC("?.struct_ops.link")
struct tcp_congestion_ops bpf4j_cc_off = {
	.ssthresh = (void *)bpf4j_opt_ssthresh,
	.cong_avoid = (void *)bpf4j_cong_avoid,
	.undo_cwnd = (void *)bpf4j_undo_cwnd,
	.name = "bpf4j_cc_off",
};

char LICENSE[] SEC("license") = "GPL";
