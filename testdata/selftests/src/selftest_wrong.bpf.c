/* Selftest-style programs whose annotations are wrong on purpose: each must fail, and the
 * tests assert that it does and why (a harness that passes these is broken).
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
__success
int wrong_expects_success(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&hashed, &k);

	return *v;
}

SEC("xdp")
__failure
int wrong_expects_failure(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
__failure __msg("R0 invalid mem access 'scalar'")
int wrong_message(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&hashed, &k);

	return *v + 1;
}

SEC("xdp")
__failure __msg("R0 invalid mem access 'map_value_or_null'") __msg("call bpf_map_lookup_elem#1")
int wrong_message_order(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&hashed, &k);

	return *v + 2;
}

SEC("xdp")
__success __retval(1)
int wrong_retval(struct xdp_md *ctx)
{
	return XDP_PASS;
}
