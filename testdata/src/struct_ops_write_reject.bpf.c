// SPDX-License-Identifier: GPL-2.0
/* struct_ops: a TCP congestion control storing to a tcp_sock field the kernel does not let BPF
 * write (max_window): the kernel refuses the program (struct_ops_writes.bpf.c has the
 * accepted stores).
 * bpf4j-cpu: v3
 * bpf4j-endian: el */
#include "bpf4j_test.h"
#include <bpf/bpf_tracing.h>

struct sock {
	__u32 sk_mark;
} __attribute__((preserve_access_index));

struct tcp_sock {
	__u32 snd_cwnd;
	__u32 snd_ssthresh;
	__u32 max_window;
} __attribute__((preserve_access_index));

struct tcp_congestion_ops {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	char name[16];
};

SEC("struct_ops/reject_write_readonly_field")
void BPF_PROG(reject_write_readonly_field, struct sock *sk, __u32 ack, __u32 acked)
{
	((struct tcp_sock *)sk)->max_window = acked;
}

SEC("struct_ops/reject_ssthresh")
__u32 BPF_PROG(reject_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/reject_undo_cwnd")
__u32 BPF_PROG(reject_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops bpf4j_wreject = {
	.ssthresh = (void *)reject_ssthresh,
	.cong_avoid = (void *)reject_write_readonly_field,
	.undo_cwnd = (void *)reject_undo_cwnd,
	.name = "bpf4j_wreject",
};

char LICENSE[] SEC("license") = "GPL";
