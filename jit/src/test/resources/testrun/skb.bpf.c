// TC and socket filter programs for the interpreter/kernel test-run comparison.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");

static __always_inline void put(__u32 k, __u64 v)
{
	bpf_map_update_elem(&results, &k, &v, 0);
}

/* Copies the __sk_buff fields a TC program may read into results. */
SEC("tc")
int tc_fields(struct __sk_buff *skb)
{
	put(0, skb->len);
	put(1, skb->pkt_type);
	put(2, skb->mark);
	put(3, skb->queue_mapping);
	put(4, skb->protocol);
	put(5, skb->vlan_present);
	put(6, skb->priority);
	put(7, skb->ingress_ifindex);
	put(8, skb->ifindex);
	put(9, skb->tc_index);
	put(10, skb->cb[0] + skb->cb[4]);
	put(11, skb->hash);
	put(12, skb->tc_classid);
	put(13, skb->data_end - skb->data);
	put(14, skb->napi_id);
	put(15, skb->wire_len);
	put(16, skb->gso_segs);
	put(17, skb->gso_size);
	put(18, skb->tstamp);
	skb->mark = skb->mark + 7;
	skb->cb[1] = 0x1234;
	return skb->len;
}

/* IPv4: rewrites daddr with skb_store_bytes and fixes the checksums with l3/l4_csum_replace. */
SEC("tc")
int tc_csum(struct __sk_buff *skb)
{
	__u8 ip[20];
	long rc = bpf_skb_load_bytes(skb, 14, ip, sizeof(ip));
	put(20, rc);
	if (rc)
		return TC_ACT_SHOT;
	if (skb->protocol != __builtin_bswap16(0x0800))
		return 3;
	__u32 old = *(__u32 *)&ip[16];
	__u32 new = old ^ 0x01020304;
	put(21, bpf_skb_store_bytes(skb, 14 + 16, &new, 4, 0));
	put(22, bpf_l3_csum_replace(skb, 14 + 10, old, new, 4));
	__u32 l4 = ip[9] == 17 ? 14 + 20 + 6 : 14 + 20 + 16;
	put(23, bpf_l4_csum_replace(skb, l4, old, new, BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0 | 4));
	__u16 oldport = 0x3412, newport = 0x7856;
	put(24, bpf_l4_csum_replace(skb, l4, oldport, newport, 2));
	put(25, bpf_csum_diff(&old, 4, &new, 4, 0));
	put(26, bpf_csum_diff(0, 0, (__be32 *)ip, 20, 0x1234));
	put(27, bpf_skb_store_bytes(skb, skb->len - 2, &new, 4, 0));
	put(28, bpf_skb_load_bytes(skb, skb->len - 2, &new, 4));
	put(29, bpf_l3_csum_replace(skb, 13, old, new, 4));
	put(30, bpf_skb_store_bytes(skb, 0, &new, 4, 8));
	put(31, bpf_redirect(1, 0) * 100 + bpf_redirect(1, 2));
	return TC_ACT_OK;
}

/* A socket filter: sees the packet from the IP header on. */
SEC("socket")
int sock_filter(struct __sk_buff *skb)
{
	__u8 b[4];
	long rc = bpf_skb_load_bytes(skb, 0, b, 4);
	if (rc)
		return 1000 + -rc;
	__u32 v = load_byte(skb, 0) << 16 | load_half(skb, 2);
	return (skb->len << 20) ^ v ^ b[3] ^ (skb->protocol << 8) ^ skb->pkt_type;
}

char _license[] SEC("license") = "GPL";
