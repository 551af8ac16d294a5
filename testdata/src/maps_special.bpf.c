// SPDX-License-Identifier: GPL-2.0
/* BTF-defined maps with special semantics: ringbuf (reserve/submit/discard/output), queue
 * and stack (push/pop/peek, no key), bloom_filter (map_extra = number of hashes), lpm_trie
 * (BPF_F_NO_PREALLOC, struct key with prefixlen). Self-checking where the semantics can be
 * observed from BPF; the checks run as XDP programs (0 = pass, else the failing line)
 * because sleepable syscall programs may not use queue, stack, bloom filter or LPM maps.
 * bpf4j-cpu: v1 v3 v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

struct event {
	__u32 pid;
	__u32 kind;
	__u64 value;
};

struct lpm_v4 {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8);
	__type(value, __u32);
} fifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 8);
	__type(value, __u64);
} lifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__uint(map_extra, 3);
	__type(value, __u32);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct lpm_v4);
	__type(value, __u32);
} routes SEC(".maps");

static __always_inline int push_both(__u32 q, __u64 s)
{
	return bpf_map_push_elem(&fifo, &q, BPF_ANY) | bpf_map_push_elem(&lifo, &s, BPF_ANY);
}

SEC("xdp")
int special_queue_stack(struct xdp_md *ctx)
{
	__u32 q;
	__u64 s;

	CHECK(push_both(1, 1) == 0);
	CHECK(push_both(2, 2) == 0);
	CHECK(push_both(3, 3) == 0);
	CHECK(bpf_map_peek_elem(&fifo, &q) == 0 && q == 1);
	CHECK(bpf_map_pop_elem(&fifo, &q) == 0 && q == 1);
	CHECK(bpf_map_pop_elem(&lifo, &s) == 0 && s == 3);
	CHECK(bpf_map_pop_elem(&fifo, &q) == 0 && q == 2);
	CHECK(bpf_map_pop_elem(&fifo, &q) == 0 && q == 3);
	CHECK(bpf_map_pop_elem(&fifo, &q) != 0);
	return 0;
}

SEC("xdp")
int special_bloom_lpm(struct xdp_md *ctx)
{
	__u32 v = 42, route = 7, *r;
	struct lpm_v4 k = { .prefixlen = 8, .addr = { 10, 0, 0, 0 } };

	CHECK(bpf_map_push_elem(&seen, &v, BPF_ANY) == 0);
	CHECK(bpf_map_peek_elem(&seen, &v) == 0);
	CHECK(bpf_map_update_elem(&routes, &k, &route, BPF_ANY) == 0);
	k.prefixlen = 32;
	k.addr[3] = 9;
	r = bpf_map_lookup_elem(&routes, &k);
	CHECK(r && *r == 7);
	k.addr[0] = 11;
	CHECK(bpf_map_lookup_elem(&routes, &k) == 0);
	return 0;
}

SEC("tp/syscalls/sys_enter_getpid")
int special_ringbuf(void *ctx)
{
	struct event *e;
	struct event copy = { .kind = 2 };

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->kind = 1;
	e->value = bpf_ktime_get_ns();
	if (e->value & 1)
		bpf_ringbuf_discard(e, 0);
	else
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	bpf_ringbuf_output(&events, &copy, sizeof(copy), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
