// SPDX-License-Identifier: GPL-2.0
/* struct_ops programs that read and write through their BTF-typed arguments: a TCP congestion
 * control's struct sock argument is a trusted tcp_sock to the verifier (bpf_tcp_ca promotes
 * it), whose few writable fields (snd_cwnd, snd_ssthresh...) the programs may store to.
 * struct_ops_write_reject.bpf.c has a store the kernel refuses (one object per rejection:
 * a rejected program fails its whole object's load in libbpf).
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

SEC("struct_ops/accept_ssthresh_reads")
__u32 BPF_PROG(accept_ssthresh_reads, struct sock *sk)
{
	struct tcp_sock *tp = (struct tcp_sock *)sk;

	return tp->snd_cwnd > 4 ? tp->snd_cwnd / 2 : 2;
}

SEC("struct_ops/accept_cong_avoid_writes")
void BPF_PROG(accept_cong_avoid_writes, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = (struct tcp_sock *)sk;

	tp->snd_cwnd = tp->snd_cwnd + acked;
	tp->snd_ssthresh = 10;
}

SEC("struct_ops/accept_undo_cwnd")
__u32 BPF_PROG(accept_undo_cwnd, struct sock *sk)
{
	return ((struct tcp_sock *)sk)->snd_cwnd;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops bpf4j_writes = {
	.ssthresh = (void *)accept_ssthresh_reads,
	.cong_avoid = (void *)accept_cong_avoid_writes,
	.undo_cwnd = (void *)accept_undo_cwnd,
	.name = "bpf4j_writes",
};

char LICENSE[] SEC("license") = "GPL";
