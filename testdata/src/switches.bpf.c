// SPDX-License-Identifier: GPL-2.0
/* Real switch statements, dense enough that LLVM 22 at -mcpu=v4 compiles them to jump tables
 * (".jumptables", BPF.JT.* symbols, gotox); clang-19 and clang-22 at v3 compile the same C to
 * compare-and-branch trees, so the v3 objects run in this kernel and the v4 ones must give the
 * same results in process. Shapes: a table in the main program (sw_main), in a static
 * subprogram called twice (sw_sub), two tables in one function (sw_two), a table inside a
 * loop (sw_loop), a switch on a packet byte (sw_xdp). sw_selftest checks all of them against
 * values worked out by hand from op() below.
 * bpf4j-cpu: v1 v3 v4; bpf4j-clang22: v3 v4
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"

struct sw_ctx {
	__u32 x;
	__u32 y;
	__u64 out;
};

/* op(k, y): sixteen different computations on y, 0x5a5a for any other k */
static __always_inline __u64 op(__u32 k, __u64 y)
{
	switch (k) {
	case 0: return y + 11;
	case 1: return y * 23;
	case 2: return y ^ 37;
	case 3: return y << 4;
	case 4: return y >> 1;
	case 5: return y - 61;
	case 6: return y | 73;
	case 7: return y & 89;
	case 8: return y * y;
	case 9: return y / 3;
	case 10: return y % 7;
	case 11: return ~y;
	case 12: return -y;
	case 13: return y + y + 149;
	case 14: return y * 151 + 2;
	case 15: return y ^ 0xffff;
	default: return 0x5a5a;
	}
}

/* a second, different switch, so one function can hold two tables */
static __always_inline __u64 op2(__u32 k, __u64 y)
{
	switch (k) {
	case 0: return y * 5;
	case 1: return y + 1000;
	case 2: return y >> 3;
	case 3: return y * 7 + 3;
	case 4: return y ^ 0x1234;
	case 5: return y & 0xff;
	case 6: return y << 2;
	case 7: return y - 7;
	case 8: return y * 9;
	case 9: return y | 0x100;
	case 10: return y / 5;
	case 11: return y % 11;
	case 12: return y + y + y;
	case 13: return y * 13 + 13;
	default: return 0xa5;
	}
}

/* the switch in a static subprogram: its table belongs to .text */
static __noinline __u64 op_sub(__u32 k, __u64 y)
{
	return op(k, y);
}

/* acc = 1, then n times acc = acc * 3 + op((x + i) & 15, y + i) (n at most 24) */
static __always_inline __u64 loop_sum(__u32 x, __u64 y, __u32 n)
{
	__u64 acc = 1;

#pragma nounroll
	for (__u32 i = 0; i < n && i < 24; i++)
		acc = acc * 3 + op((x + i) & 15, y + i);
	return acc;
}

SEC("syscall")
int sw_main(struct sw_ctx *ctx)
{
	ctx->out = op(ctx->x, ctx->y);
	return 0;
}

SEC("syscall")
int sw_sub(struct sw_ctx *ctx)
{
	ctx->out = op_sub(ctx->x, ctx->y) + op_sub(ctx->x + 1, ctx->y) * 1000;
	return 0;
}

SEC("syscall")
int sw_two(struct sw_ctx *ctx)
{
	__u64 a = op(ctx->x, ctx->y);

	ctx->out = a * 3 + op2(ctx->y & 15, a);
	return 0;
}

SEC("syscall")
int sw_loop(struct sw_ctx *ctx)
{
	ctx->out = loop_sum(ctx->x, ctx->y, 24);
	return 0;
}

/* data[0] selects the operation on data[1]; the 64-bit result goes to data[2..9] (little
 * endian byte by byte); XDP_TX for a known operation, XDP_PASS otherwise */
SEC("xdp")
int sw_xdp(struct xdp_md *xdp)
{
	__u8 *data = (void *)(long)xdp->data;
	__u8 *end = (void *)(long)xdp->data_end;
	__u64 r;

	if (data + 10 > end)
		return XDP_DROP;
	r = op(data[0], data[1]);
	for (int i = 0; i < 8; i++)
		data[2 + i] = r >> (8 * i);
	return data[0] < 16 ? XDP_TX : XDP_PASS;
}

SEC("syscall")
int sw_selftest(void *ctx)
{
	/* op(k, 100) for k = 0..15 and one default */
	CHECK(op(OPAQUE(0), OPAQUE(100)) == 111);
	CHECK(op(OPAQUE(1), OPAQUE(100)) == 2300);
	CHECK(op(OPAQUE(2), OPAQUE(100)) == 65);
	CHECK(op(OPAQUE(3), OPAQUE(100)) == 1600);
	CHECK(op(OPAQUE(4), OPAQUE(100)) == 50);
	CHECK(op(OPAQUE(5), OPAQUE(100)) == 39);
	CHECK(op(OPAQUE(6), OPAQUE(100)) == 109);
	CHECK(op(OPAQUE(7), OPAQUE(100)) == 64);
	CHECK(op(OPAQUE(8), OPAQUE(100)) == 10000);
	CHECK(op(OPAQUE(9), OPAQUE(100)) == 33);
	CHECK(op(OPAQUE(10), OPAQUE(100)) == 2);
	CHECK(op(OPAQUE(11), OPAQUE(100)) == 0xffffffffffffff9bULL);
	CHECK(op(OPAQUE(12), OPAQUE(100)) == 0xffffffffffffff9cULL);
	CHECK(op(OPAQUE(13), OPAQUE(100)) == 349);
	CHECK(op(OPAQUE(14), OPAQUE(100)) == 15102);
	CHECK(op(OPAQUE(15), OPAQUE(100)) == 0xff9b);
	CHECK(op(OPAQUE(16), OPAQUE(100)) == 0x5a5a);
	/* the subprogram's table: op(3, 5) + op(4, 5) * 1000 */
	CHECK(op_sub(OPAQUE(3), OPAQUE(5)) + op_sub(OPAQUE(4), OPAQUE(5)) * 1000 == 80 + 2000);
	CHECK(op_sub(OPAQUE(99), OPAQUE(5)) == 0x5a5a);
	/* two tables in one expression: op(1, 2) = 46, op2(9, 46) = 46 | 0x100 = 302 */
	CHECK(op(OPAQUE(1), OPAQUE(2)) * 3 + op2(OPAQUE(9), op(OPAQUE(1), OPAQUE(2))) == 138 + 302);
	CHECK(op2(OPAQUE(13), OPAQUE(1)) == 26);
	CHECK(op2(OPAQUE(14), OPAQUE(1)) == 0xa5);
	/* the loop, x = 15, y = 0: acc = 1 * 3 + op(15, 0) = 65538, then 65538 * 3 + op(0, 1) = 196626 */
	CHECK(loop_sum(OPAQUE(15), OPAQUE(0), OPAQUE(2)) == 196626);
	CHECK(loop_sum(OPAQUE(15), OPAQUE(0), OPAQUE(0)) == 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
