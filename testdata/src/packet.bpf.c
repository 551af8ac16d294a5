// SPDX-License-Identifier: GPL-2.0
/* Packet access: XDP direct packet access with bounds checks over Ethernet/IPv4/UDP headers,
 * bpf_xdp_adjust_head, TC direct access plus bpf_skb_load_bytes and bpf_skb_store_bytes,
 * and a socket filter using the legacy LD_ABS/LD_IND instructions (clang's
 * __builtin_bpf_load_byte/half/word, cpu-independent).
 * bpf4j-cpu: v1 v2 v3 v4
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");

__u64 udp_packets;
__u32 last_dport;

SEC("xdp")
int packet_xdp_udp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_DROP;
	if (ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > data_end)
		return XDP_DROP;
	udp_packets++;
	last_dport = bpf_ntohs(udp->dest);
	return last_dport == 9 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int packet_xdp_pop_eth(struct xdp_md *ctx)
{
	if (bpf_xdp_adjust_head(ctx, sizeof(struct ethhdr)))
		return XDP_ABORTED;
	return XDP_PASS;
}

SEC("tc")
int packet_tc_ttl(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr ip;
	__u8 ttl;

	if (data + sizeof(struct ethhdr) > data_end)
		return 2; /* TC_ACT_SHOT */
	if (bpf_skb_load_bytes(skb, sizeof(struct ethhdr), &ip, sizeof(ip)))
		return 0;
	ttl = ip.ttl > 1 ? ip.ttl - 1 : 1;
	bpf_skb_store_bytes(skb, sizeof(struct ethhdr) + __builtin_offsetof(struct iphdr, ttl), &ttl, 1, 0);
	return 0;
}

/* A socket filter sees the packet from the network header on; LD_ABS offsets are relative
 * to it. Keeps UDP packets (whole length), drops the rest. */
SEC("socket")
int packet_socket_ldabs(struct __sk_buff *skb)
{
	__u64 proto = load_byte(skb, __builtin_offsetof(struct iphdr, protocol));
	__u64 ihl = load_byte(skb, 0) & 0xf;
	__u64 dport;

	if (proto != IPPROTO_UDP)
		return 0;
	dport = load_half(skb, ihl * 4 + __builtin_offsetof(struct udphdr, dest));
	last_dport = dport;
	if (load_word(skb, 12) == 0)
		return 0;
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
