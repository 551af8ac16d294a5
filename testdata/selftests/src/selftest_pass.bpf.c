/* Selftest-style programs whose annotations hold, on the kernel and on bpf4j: success with
 * return values (decimal, hex, TEST_DATA_LEN, a syscall program), a description, failures with
 * one message, with several in order, with a {{regex}}, with a whole regex and with the plain
 * (counter-less) form, a success checked in its level-2 log, unprivileged runs (one accepted,
 * one refused for a pointer leak), a testing-only program flag (no effect on the verdict), a flag bpf4j does not model
 * (skipped) and a program without annotations (it must load).
 * bpf4j-cpu: v3
 * bpf4j-endian: el
 */
#include "bpf4j_test.h"
#include "selftest_misc.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

/* a hash map: a lookup may return NULL whatever the key (Linux 6.18 proves an array lookup with
 * a constant key in range non-null) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hashed SEC(".maps");

SEC("xdp")
__success __retval(2)
int pass_returns_xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
__description("the packet is TEST_DATA_LEN bytes long")
__success __retval(TEST_DATA_LEN)
int packet_length(struct xdp_md *ctx)
{
	return ctx->data_end - ctx->data;
}

SEC("tc")
__success __retval(0x2a)
int tc_hex_retval(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&values, &k);

	if (!v)
		return 1;
	*v += 0x2a;
	return *v;
}

SEC("syscall")
__success __retval(7)
int syscall_retval(void *ctx)
{
	return 7;
}

SEC("xdp")
__failure __msg("R0 invalid mem access 'map_value_or_null'")
int null_map_value(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&hashed, &k);

	return *v;
}

SEC("xdp")
__description("several messages in log order")
__failure __msg("call bpf_map_lookup_elem#1") __msg("R0 invalid mem access 'map_value_or_null'")
int null_map_value_ordered(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&hashed, &k);

	return *v + 1;
}

SEC("xdp")
__failure __msg("R{{[0-9]}} invalid mem access 'map_{{[a-z_]+}}'")
int regex_in_msg(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&hashed, &k);

	return *v + 2;
}

SEC("xdp")
__failure __regex("^[0-9]+: \\(79\\) r0 = \\*\\(u64 \\*\\)\\(r0 \\+0\\)$") __msg_plain("invalid mem access")
int whole_regex_and_plain_msg(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&hashed, &k);

	return *v + 3;
}

SEC("xdp")
__success __log_level(2) __msg("R0=2") __msg("exit")
int success_log_level_2(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* unprivileged users load socket filters only */
SEC("socket")
__success __success_unpriv
int also_unprivileged(struct __sk_buff *skb)
{
	return skb->len;
}

/* root may return a pointer, a user without CAP_PERFMON may not */
SEC("socket")
__success __failure_unpriv __msg_unpriv("R0 leaks addr as return value")
long unprivileged_pointer_leak(struct __sk_buff *skb)
{
	return (long)skb;
}

SEC("xdp")
__success __flag(BPF_F_TEST_STATE_FREQ) __retval(2)
int testing_flag(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
__success __flag(BPF_F_STRICT_ALIGNMENT)
int strict_alignment(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int no_annotations(struct xdp_md *ctx)
{
	return XDP_DROP;
}
