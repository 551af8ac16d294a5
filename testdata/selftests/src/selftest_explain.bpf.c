/* Programs rejected on purpose, one per rule bpf4j explains (the slice of the failing path that
 * made the offending value, with source lines, and a hint): a packet read past a short check, a
 * map value used without its NULL check, a map value indexed without a bound, a scalar passed as
 * a helper's key pointer, a ring buffer record never submitted and a cgroup_skb program returning
 * outside [0, 1]. The marker comments name the lines the explanation must show; the annotations
 * are the kernel's messages (each holds on Linux 6.18).
 * bpf4j-cpu: v3
 * bpf4j-endian: el
 */
#include "bpf4j_test.h"
#include "selftest_misc.h"

char LICENSE[] SEC("license") = "GPL";

struct bucket {
	__u64 slot[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bucket);
} buckets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hashed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
__failure __msg("invalid access to packet, off=0 size=8")
int packet_short_check(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data; /* @data */
	void *data_end = (void *)(long)ctx->data_end; /* @data_end */

	if (data + 4 > data_end) /* @check */
		return XDP_PASS;
	return *(__u64 *)data == 42 ? XDP_DROP : XDP_PASS; /* @read */
}

SEC("xdp")
__failure __msg("invalid mem access 'map_value_or_null'")
int value_unchecked(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&hashed, &k); /* @lookup */

	return *v == 1 ? XDP_DROP : XDP_PASS; /* @deref */
}

SEC("xdp")
__failure __msg("unbounded memory access")
int index_unbounded(struct xdp_md *ctx)
{
	__u32 k = 0;
	struct bucket *b = bpf_map_lookup_elem(&buckets, &k); /* @bucket */
	__u32 i = ctx->rx_queue_index; /* @index */

	if (!b) /* @null_check */
		return XDP_PASS;
	return b->slot[i] == 1 ? XDP_DROP : XDP_PASS; /* @use */
}

SEC("xdp")
__failure __msg("R2 type=scalar expected=fp")
int key_not_a_pointer(struct xdp_md *ctx)
{
	__u64 *v = bpf_map_lookup_elem(&hashed, (void *)(long)ctx->rx_queue_index); /* @call */

	return v ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
__failure __msg("Unreleased reference")
int record_leaked(struct xdp_md *ctx)
{
	__u64 *rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0); /* @reserve */

	if (!rec)
		return XDP_PASS;
	*rec = ctx->rx_queue_index;
	return XDP_DROP;
} /* @exit: both returns end at the closing brace */

SEC("cgroup_skb/ingress")
__failure __msg("should have been in [0, 1]")
int verdict_out_of_range(struct __sk_buff *skb)
{
	__u32 len = skb->len; /* @len */

	return len & 3; /* @ret */
}
