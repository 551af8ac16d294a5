// SPDX-License-Identifier: GPL-2.0
/* Bounded loops the verifier must walk: counted for-loops (not unrolled: #pragma nounroll),
 * a while loop with a data-dependent exit, nested loops, a loop over a global array, and
 * an unrolled loop for comparison. Self-checking.
 * bpf4j-cpu: v1 v2 v3 v4; bpf4j-clang22: v3 v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

__u32 data[32] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3,
		   2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5 };

static __noinline __u32 collatz_steps(__u32 n)
{
	__u32 steps = 0;

	while (n != 1 && steps < 200) {
		n = (n & 1) ? 3 * n + 1 : n / 2;
		steps++;
	}
	return steps;
}

SEC("syscall")
int loops_check(void *ctx)
{
	__u32 i, j, sum = 0, max = 0, pairs = 0;

#pragma nounroll
	for (i = 0; i < 32; i++) {
		sum += data[i];
		if (data[i] > max)
			max = data[i];
	}
	CHECK(sum == 155);
	CHECK(max == 9);

#pragma nounroll
	for (i = 0; i < 8; i++)
#pragma nounroll
		for (j = i + 1; j < 8; j++)
			if (data[i] == data[j])
				pairs++;
	CHECK(pairs == 1);

	CHECK(collatz_steps(OPAQUE(27)) == 111);
	CHECK(collatz_steps(OPAQUE(1)) == 0);

	sum = 0;
#pragma unroll
	for (i = 0; i < 4; i++)
		sum += data[i] << i;
	CHECK(sum == 3 + 2 + 16 + 8);
	return 0;
}

SEC("xdp")
int loops_xdp(struct xdp_md *ctx)
{
	unsigned char *p = (void *)(long)ctx->data;
	unsigned char *end = (void *)(long)ctx->data_end;
	__u32 i, x = 0;

	for (i = 0; i < 64; i++) {
		if (p + i + 1 > end)
			break;
		x ^= p[i];
	}
	return x == 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
