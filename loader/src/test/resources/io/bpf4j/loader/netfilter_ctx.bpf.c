// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter programs (nf_is_valid_access): the context is struct bpf_nf_ctx, two read-only
 * pointers that load as trusted BTF pointers to the kernel's struct nf_hook_state and struct
 * sk_buff, walked through the kernel's BTF (fields found by CO-RE).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct sk_buff {
	unsigned int len;
} __attribute__((preserve_access_index));

struct nf_hook_state {
	__u8 hook;
	__u8 pf;
} __attribute__((preserve_access_index));

/* the kernel's layout (include/linux/filter.h): two pointers */
struct bpf_nf_ctx {
	const struct nf_hook_state *state;
	struct sk_buff *skb;
};

#define NF_DROP 0
#define NF_ACCEPT 1

/* reads through both pointers: accepted */
SEC("netfilter")
int nf_read_fields(struct bpf_nf_ctx *ctx)
{
	if (ctx->state->pf != 2)
		return NF_ACCEPT;
	return ctx->skb->len > 20 ? NF_ACCEPT : NF_DROP;
}

/* a store through the state pointer: rejected */
SEC("netfilter")
int nf_write_state(struct bpf_nf_ctx *ctx)
{
	struct nf_hook_state *state = (void *)ctx->state;

	state->pf = 0;
	return NF_ACCEPT;
}

/* the pointer itself as the verdict: rejected */
SEC("netfilter")
__attribute__((naked)) void nf_return_pointer(void)
{
	asm volatile ("r0 = *(u64 *)(r1 + 8);"
		"exit;"
		::: "r0");
}

/* half of a context pointer: rejected */
SEC("netfilter")
__attribute__((naked)) void nf_narrow_ctx_read(void)
{
	asm volatile ("r0 = *(u32 *)(r1 + 0);"
		"r0 = 1;"
		"exit;"
		::: "r0");
}

char _license[] SEC("license") = "GPL";
