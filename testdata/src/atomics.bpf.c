// SPDX-License-Identifier: GPL-2.0
/* Atomic instructions (BPF_ATOMIC, cpu v3): add/and/or/xor with and without BPF_FETCH in
 * 32 and 64 bits, xchg, cmpxchg, on .bss globals and on map values. __sync_fetch_and_add
 * whose result is unused becomes a plain atomic add (the only atomic cpu v1/v2 know).
 * Self-checking.
 * bpf4j-cpu: v3 v4
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} atomic_map SEC(".maps");

__u64 a64;
__u32 a32;

SEC("syscall")
int atomics_check(void *ctx)
{
	__u64 old64, *p;
	__u32 old32, zero = 0;

	a64 = 10;
	__sync_fetch_and_add(&a64, 5);
	CHECK(a64 == 15);
	old64 = __sync_fetch_and_add(&a64, 1);
	CHECK(old64 == 15 && a64 == 16);
	old64 = __sync_fetch_and_or(&a64, 0x100);
	CHECK(old64 == 16 && a64 == 0x110);
	old64 = __sync_fetch_and_and(&a64, 0xf0);
	CHECK(old64 == 0x110 && a64 == 0x10);
	old64 = __sync_fetch_and_xor(&a64, 0x11);
	CHECK(old64 == 0x10 && a64 == 0x01);
	__atomic_fetch_or(&a64, 2, __ATOMIC_RELAXED);
	__atomic_fetch_and(&a64, 3, __ATOMIC_RELAXED);
	__atomic_fetch_xor(&a64, 4, __ATOMIC_RELAXED);
	CHECK(a64 == 7);
	old64 = __atomic_exchange_n(&a64, 99, __ATOMIC_SEQ_CST);
	CHECK(old64 == 7 && a64 == 99);
	old64 = __sync_val_compare_and_swap(&a64, 99, 100);
	CHECK(old64 == 99 && a64 == 100);
	old64 = __sync_val_compare_and_swap(&a64, 99, 200);
	CHECK(old64 == 100 && a64 == 100);

	a32 = 0xfffffffe;
	old32 = __sync_fetch_and_add(&a32, 3);
	CHECK(old32 == 0xfffffffe && a32 == 1);
	old32 = __atomic_exchange_n(&a32, 5, __ATOMIC_SEQ_CST);
	CHECK(old32 == 1 && a32 == 5);
	old32 = __sync_val_compare_and_swap(&a32, 5, 6);
	CHECK(old32 == 5 && a32 == 6);
	old32 = __sync_fetch_and_sub(&a32, 2);
	CHECK(old32 == 6 && a32 == 4);

	p = bpf_map_lookup_elem(&atomic_map, &zero);
	CHECK(p != 0);
	*p = 1;
	CHECK(__sync_fetch_and_add(p, 41) == 1);
	CHECK(__sync_lock_test_and_set(p, 7) == 42);
	CHECK(*p == 7);
	return 0;
}

SEC("xdp")
int atomics_xdp(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *p = bpf_map_lookup_elem(&atomic_map, &zero);

	if (!p)
		return XDP_ABORTED;
	return __sync_fetch_and_add(p, 1) & 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
