// SPDX-License-Identifier: GPL-2.0
/* The smallest useful objects: one XDP program returning a constant, and a second program
 * in the same section, so a reader must split a section into programs by symbol.
 * bpf4j-cpu: v1 v2 v3 v4
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
