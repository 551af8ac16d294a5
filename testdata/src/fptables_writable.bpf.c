// SPDX-License-Identifier: GPL-2.0
/* A table of function pointers in writable data (.data): a program could overwrite a slot
 * before calling through it, so nothing can verify the call; bpf4j refuses the load with a
 * message naming the table (docs/indirect-calls.md §3).
 * bpf4j-cpu: v3; bpf4j-clang22: v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

static __noinline __u64 w_inc(__u64 x) { return x + 1; }
static __noinline __u64 w_dbl(__u64 x) { return x * 2; }

__u64 (*writable_ops[2])(__u64) = { w_inc, w_dbl };

SEC("syscall")
int fp_writable(__u64 *ctx)
{
	ctx[1] = writable_ops[ctx[0] & 1](ctx[0]);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
