// A tail-call chain for the interpreter/kernel test-run comparison.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jmp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hops SEC(".maps");

static __always_inline __u64 bump(__u32 k)
{
	__u64 *p = bpf_map_lookup_elem(&hops, &k);
	if (!p)
		return 0;
	*p += 1;
	return *p;
}

/* Entry: jumps to the slot in byte 6; a failed tail call falls through. */
SEC("xdp")
int tc_entry(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + 14 > end)
		return 1;
	__u32 slot = ((__u8 *)data)[6];
	bump(0);
	bpf_tail_call(ctx, &jmp, slot);
	return 1000 + slot;
}

/* Slot 1: tail-calls itself until the kernel's limit stops it. */
SEC("xdp")
int tc_self(struct xdp_md *ctx)
{
	__u64 n = bump(1);
	bpf_tail_call(ctx, &jmp, 1);
	return 2000 + n;
}

/* Slot 2: changes the packet and goes on to slot 3. */
SEC("xdp")
int tc_second(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + 14 > end)
		return 1;
	((__u8 *)data)[0] = 0x77;
	bump(2);
	bpf_tail_call(ctx, &jmp, 3);
	return 3000;
}

/* Slot 3: the end of the chain. */
SEC("xdp")
int tc_third(struct xdp_md *ctx)
{
	return 4000 + bump(3);
}

char _license[] SEC("license") = "GPL";
