// SPDX-License-Identifier: GPL-2.0
/* struct_ops: a local struct tcp_congestion_ops written for a newer kernel than the one that
 * loads it. Two members the kernel does not have (bpf4j_future_hook, a function pointer, and
 * bpf4j_future_knob, data) are left zero, so libbpf skips them ("member ... not found in
 * kernel, skipping it as it's set to zero"); the kernel members the object leaves out
 * (set_state, cwnd_event, ...) stay zero in the map value.
 * bpf4j-cpu: v3
 * bpf4j-endian: el */
#include "bpf4j_test.h"
#include <bpf/bpf_tracing.h>

struct sock;

struct tcp_congestion_ops {
	char name[16];
	__u32 (*ssthresh)(struct sock *sk);
	void (*bpf4j_future_hook)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 bpf4j_future_knob;
	__u32 (*undo_cwnd)(struct sock *sk);
};

SEC("struct_ops/opt_ssthresh")
__u32 BPF_PROG(opt_ssthresh, struct sock *sk)
{
	return 3;
}

SEC("struct_ops/opt_cong_avoid")
void BPF_PROG(opt_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/opt_undo_cwnd")
__u32 BPF_PROG(opt_undo_cwnd, struct sock *sk)
{
	return 5;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops bpf4j_opt = {
	.name = "bpf4j_opt",
	.ssthresh = (void *)opt_ssthresh,
	.cong_avoid = (void *)opt_cong_avoid,
	.undo_cwnd = (void *)opt_undo_cwnd,
};

char LICENSE[] SEC("license") = "GPL";
