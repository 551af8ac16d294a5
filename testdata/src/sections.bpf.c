// SPDX-License-Identifier: GPL-2.0
/* One program per common section name, so a loader's section-to-program-type table is
 * exercised: xdp, tc, classifier, socket, syscall, kprobe, kretprobe, tracepoint (long and
 * short forms), raw_tp, raw_tracepoint, tp_btf, fentry, fexit, cgroup_skb/ingress, perf_event,
 * and two programs in one tracepoint section.
 * bpf4j-cpu: v1 v3
 * bpf4j-endian: el */
#include "bpf4j_test.h"

__u64 hits[16];

SEC("xdp")
int sec_xdp(struct xdp_md *ctx)
{
	hits[0]++;
	return XDP_PASS;
}

SEC("tc")
int sec_tc(struct __sk_buff *skb)
{
	hits[1]++;
	return 0; /* TC_ACT_OK */
}

SEC("classifier")
int sec_classifier(struct __sk_buff *skb)
{
	hits[2] += skb->len;
	return -1; /* TC_ACT_UNSPEC */
}

SEC("socket")
int sec_socket(struct __sk_buff *skb)
{
	hits[3]++;
	return skb->len;
}

SEC("syscall")
int sec_syscall(void *ctx)
{
	hits[4]++;
	return 0;
}

SEC("kprobe/do_nanosleep")
int sec_kprobe(void *ctx)
{
	hits[5]++;
	return 0;
}

SEC("kretprobe/do_nanosleep")
int sec_kretprobe(void *ctx)
{
	hits[6]++;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_nanosleep")
int sec_tracepoint(void *ctx)
{
	hits[7]++;
	return 0;
}

SEC("tp/syscalls/sys_enter_nanosleep")
int sec_tp_short(void *ctx)
{
	hits[8]++;
	return 0;
}

SEC("tp/syscalls/sys_enter_nanosleep")
int sec_tp_short_second(void *ctx)
{
	hits[8] += 2;
	return 0;
}

SEC("raw_tp/sys_enter")
int sec_raw_tp(void *ctx)
{
	hits[9]++;
	return 0;
}

SEC("raw_tracepoint/sys_exit")
int sec_raw_tracepoint(void *ctx)
{
	hits[10]++;
	return 0;
}

SEC("tp_btf/sys_enter")
int sec_tp_btf(void *ctx)
{
	hits[11]++;
	return 0;
}

SEC("fentry/do_nanosleep")
int sec_fentry(void *ctx)
{
	hits[12]++;
	return 0;
}

SEC("fexit/do_nanosleep")
int sec_fexit(void *ctx)
{
	hits[13]++;
	return 0;
}

SEC("cgroup_skb/ingress")
int sec_cgroup_skb(struct __sk_buff *skb)
{
	hits[14]++;
	return 1;
}

SEC("perf_event")
int sec_perf_event(void *ctx)
{
	hits[15]++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
