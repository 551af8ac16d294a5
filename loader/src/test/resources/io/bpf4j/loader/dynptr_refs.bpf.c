// bpf_dynptr objects on the stack: ringbuf dynptrs (a reference the program must release, which
// takes its slices and clones with it), local dynptrs over map values (destroyed with their slices
// by any write into their slots), skb and xdp dynptrs from kfuncs (their slices die when the packet
// changes), the read-only dynptr a user ringbuf
// callback is given, and the argument rules of the dynptr
// helpers and kfuncs. Compiled by CompiledSourceParityTest at test time; the running kernel judges
// every program.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int bpf_dynptr_from_skb(struct __sk_buff *skb, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern int bpf_dynptr_from_xdp(struct xdp_md *x, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset, void *buffer__opt, __u32 buffer__szk) __ksym;
extern int bpf_dynptr_clone(const struct bpf_dynptr *p, struct bpf_dynptr *clone__uninit) __ksym;
extern __u32 bpf_dynptr_size(const struct bpf_dynptr *p) __ksym;

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} urb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[4]);
} vals SEC(".maps");

// a ringbuf dynptr reserved, written through its slice and submitted
SEC("raw_tp/sys_enter")
int ringbuf_submit(void *ctx)
{
	struct bpf_dynptr ptr;
	__u64 *slot;

	bpf_ringbuf_reserve_dynptr(&rb, sizeof(*slot), 0, &ptr);
	slot = bpf_dynptr_data(&ptr, 0, sizeof(*slot));
	if (slot)
		*slot = 42;
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return 0;
}

// reserved but never submitted nor discarded: the reference leaks
SEC("raw_tp/sys_enter")
int ringbuf_leak(void *ctx)
{
	struct bpf_dynptr ptr;

	bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &ptr);
	return 0;
}

// the slice dies with the record it points into
SEC("raw_tp/sys_enter")
int ringbuf_slice_after_submit(void *ctx)
{
	struct bpf_dynptr ptr;
	__u64 *slot;

	bpf_ringbuf_reserve_dynptr(&rb, sizeof(*slot), 0, &ptr);
	slot = bpf_dynptr_data(&ptr, 0, sizeof(*slot));
	if (!slot) {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
		return 0;
	}
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return *slot;
}

// a referenced dynptr may not be overwritten
SEC("raw_tp/sys_enter")
int ringbuf_overwrite(void *ctx)
{
	struct bpf_dynptr ptr;

	bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &ptr);
	*(volatile __u64 *)&ptr = 0;
	bpf_ringbuf_discard_dynptr(&ptr, 0);
	return 0;
}

// a clone shares the parent's reference: releasing the parent invalidates it
SEC("raw_tp/sys_enter")
int ringbuf_clone_after_submit(void *ctx)
{
	struct bpf_dynptr ptr, clone;
	__u64 v = 0;

	bpf_ringbuf_reserve_dynptr(&rb, 8, 0, &ptr);
	bpf_dynptr_clone(&ptr, &clone);
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	bpf_dynptr_read(&v, sizeof(v), &clone, 0, 0);
	return v;
}

// a local dynptr over a map value, read and written
SEC("raw_tp/sys_enter")
int local_map_value(void *ctx)
{
	struct bpf_dynptr ptr;
	__u32 key = 0;
	__u64 *val, v = 7;

	val = bpf_map_lookup_elem(&vals, &key);
	if (!val)
		return 0;
	bpf_dynptr_from_mem(val, 32, 0, &ptr);
	bpf_dynptr_write(&ptr, 8, &v, sizeof(v), 0);
	bpf_dynptr_read(&v, sizeof(v), &ptr, 0, 0);
	return v + bpf_dynptr_size(&ptr);
}

// bpf_dynptr_from_mem takes map values only
SEC("raw_tp/sys_enter")
int local_from_stack(void *ctx)
{
	struct bpf_dynptr ptr;
	char buf[16];

	bpf_dynptr_from_mem(buf, sizeof(buf), 0, &ptr);
	return 0;
}

// writing into a local dynptr's slots destroys it and its slices
SEC("raw_tp/sys_enter")
int local_slice_after_overwrite(void *ctx)
{
	struct bpf_dynptr ptr;
	__u32 key = 0;
	__u64 *val, *slice;

	val = bpf_map_lookup_elem(&vals, &key);
	if (!val)
		return 0;
	bpf_dynptr_from_mem(val, 32, 0, &ptr);
	slice = bpf_dynptr_data(&ptr, 0, 8);
	if (!slice)
		return 0;
	*(volatile __u64 *)((char *)&ptr + 8) = 0;
	return *slice;
}

// reading a dynptr that was never made
SEC("raw_tp/sys_enter")
int read_uninit(void *ctx)
{
	struct bpf_dynptr ptr;
	__u64 v = 0;

	bpf_dynptr_read(&v, sizeof(v), &ptr, 0, 0);
	return v;
}

// a local dynptr holds no reference to release
SEC("raw_tp/sys_enter")
int release_local(void *ctx)
{
	struct bpf_dynptr ptr;
	__u32 key = 0;
	__u64 *val;

	val = bpf_map_lookup_elem(&vals, &key);
	if (!val)
		return 0;
	bpf_dynptr_from_mem(val, 32, 0, &ptr);
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return 0;
}

// a helper's output buffer may not lie over a dynptr
SEC("raw_tp/sys_enter")
int read_into_dynptr(void *ctx)
{
	struct bpf_dynptr ptr;

	bpf_ringbuf_reserve_dynptr(&rb, 16, 0, &ptr);
	bpf_dynptr_read(&ptr, 8, &ptr, 0, 0);
	bpf_ringbuf_discard_dynptr(&ptr, 0);
	return 0;
}

// an skb dynptr: a read-only slice through a stack buffer
SEC("tc")
int skb_slice(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	char buf[4] = {};
	__u8 *p;

	bpf_dynptr_from_skb(skb, 0, &ptr);
	p = bpf_dynptr_slice(&ptr, 0, buf, sizeof(buf));
	if (!p)
		return 0;
	return p[1];
}

// a slice and a helper that may move the packet: the slice is gone
SEC("tc")
int skb_slice_after_pull(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	__u8 *p;

	bpf_dynptr_from_skb(skb, 0, &ptr);
	p = bpf_dynptr_slice(&ptr, 0, 0, 4);
	if (!p)
		return 0;
	bpf_skb_pull_data(skb, 0);
	return p[0];
}

// a slice is read-only
SEC("tc")
int skb_slice_write(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;
	__u8 *p;

	bpf_dynptr_from_skb(skb, 0, &ptr);
	p = bpf_dynptr_slice(&ptr, 0, 0, 4);
	if (!p)
		return 0;
	p[0] = 1;
	return 0;
}

// an xdp dynptr in an xdp program
SEC("xdp")
int xdp_slice(struct xdp_md *x)
{
	struct bpf_dynptr ptr;
	__u8 *p;

	bpf_dynptr_from_xdp(x, 0, &ptr);
	p = bpf_dynptr_slice(&ptr, 0, 0, 2);
	if (!p)
		return XDP_PASS;
	return p[0] == 0xff ? XDP_DROP : XDP_PASS;
}

// the xdp kfunc set is not registered for tc programs
SEC("tc")
int xdp_kfunc_in_tc(struct __sk_buff *skb)
{
	struct bpf_dynptr ptr;

	bpf_dynptr_from_xdp((struct xdp_md *)skb, 0, &ptr);
	return 0;
}

static long read_sample(struct bpf_dynptr *sample, void *ctx)
{
	__u64 v = 0;

	bpf_dynptr_read(&v, sizeof(v), sample, 0, 0);
	*(__u64 *)ctx += v;
	return 0;
}

// a user ringbuf callback reads its sample through the dynptr it is given
SEC("raw_tp/sys_enter")
int user_ringbuf_read(void *ctx)
{
	__u64 sum = 0;

	bpf_user_ringbuf_drain(&urb, read_sample, &sum, 0);
	return sum & 1;
}

static long submit_sample(struct bpf_dynptr *sample, void *ctx)
{
	bpf_ringbuf_submit_dynptr(sample, 0);
	return 0;
}

// the callback's dynptr is not the program's to release
SEC("raw_tp/sys_enter")
int user_ringbuf_release(void *ctx)
{
	bpf_user_ringbuf_drain(&urb, submit_sample, 0, 0);
	return 0;
}

static long deref_sample(struct bpf_dynptr *sample, void *ctx)
{
	return *(volatile __u64 *)sample & 1;
}

// nor memory the program may read
SEC("raw_tp/sys_enter")
int user_ringbuf_deref(void *ctx)
{
	bpf_user_ringbuf_drain(&urb, deref_sample, 0, 0);
	return 0;
}
