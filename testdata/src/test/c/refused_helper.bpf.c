// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for a kernel build that lacks a helper: xdp_lacks_helper calls
 * bpf_skb_load_bytes, which no kernel offers XDP programs, so the verifier says
 * "program of this type cannot use helper bpf_skb_load_bytes#26" exactly as a build
 * without bpf_xdp_adjust_meta for XDP says it of that helper. xdp_fine loads anywhere.
 * Build: clang-19 -O2 -g -target bpfel -mcpu=v3 -c refused_helper.bpf.c -o ../resources/refused_helper.el.o && llvm-strip-19 -g ../resources/refused_helper.el.o
 */
static long (*bpf_skb_load_bytes)(const void *skb, unsigned int offset, void *to, unsigned int len) = (void *)26;

struct xdp_md;

__attribute__((section("xdp"), used)) int xdp_fine(struct xdp_md *ctx)
{
	return 2; /* XDP_PASS */
}

__attribute__((section("xdp"), used)) int xdp_lacks_helper(struct xdp_md *ctx)
{
	char b[4];

	return bpf_skb_load_bytes(ctx, 0, b, sizeof(b)) ? 1 : 2;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
