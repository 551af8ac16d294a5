// SPDX-License-Identifier: GPL-2.0
/* Arena: a BPF_MAP_TYPE_ARENA map of 16 pages at a fixed user address (map_extra),
 * __arena globals in .addr_space.1 (one initialised, the rest zero; libbpf places them at
 * the start of the arena), pointers cast between the arena's address spaces (addr_space_cast),
 * and the bpf_arena_alloc_pages/bpf_arena_free_pages kfuncs. Sleepable syscall programs (the
 * kfuncs are KF_SLEEPABLE), self-checking: 0 when every CHECK holds, else its line.
 *   arena_pages      allocates two pages, writes a pattern through them, reads it back, frees them
 *   arena_globals    reads and writes the __arena globals and a list built in allocated pages
 *   arena_fixed      allocates at a chosen address; the same address again fails (NULL); a
 *                    page count past the arena fails
 *   arena_freed_read reads and writes a freed page and a page never allocated: in the kernel a
 *                    load from an unmapped arena page gives 0 and a store is dropped
 *   arena_atomics    atomic add/and/or/xor, fetching and not, xchg and cmpxchg, 4 and 8 bytes, on
 *                    an allocated page and on an __arena global
 * bpf4j-cpu: v3 v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

#define __arena __attribute__((address_space(1)))
#define ARENA_PAGES 16
#define PAGE_SIZE 4096
#define ARENA_BASE (1ull << 44)
#define NUMA_NO_NODE (-1)

/* this system's <linux/bpf.h> predates arenas (Linux 6.9) */
#define BPF4J_MAP_TYPE_ARENA 33

#ifndef __ulong
#define __ulong(name, val) enum { ___bpf_concat(__unique_value, __COUNTER__) = val } name
#endif

struct {
	__uint(type, BPF4J_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, ARENA_PAGES);
	__ulong(map_extra, ARENA_BASE);
} arena SEC(".maps");

void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt, int node_id,
				    __u64 flags) __ksym __weak;
void bpf_arena_free_pages(void *map, void __arena *ptr, __u32 page_cnt) __ksym __weak;

struct node {
	struct node __arena *next;
	__u64 value;
};

__u64 __arena arena_magic = 0x4250463441524e41ull; /* "BPF4ARNA" */
__u64 __arena arena_counter;
struct node __arena *arena_head;
__u32 __arena arena_table[32];

SEC("syscall")
int arena_pages(void *ctx)
{
	__u64 __arena *p = bpf_arena_alloc_pages(&arena, NULL, 2, NUMA_NO_NODE, 0);
	__u64 sum = 0;
	int i;

	CHECK(p != NULL);
	/* fresh pages are zeroed */
	CHECK(p[0] == 0);
	CHECK(p[PAGE_SIZE / 8] == 0);
	for (i = 0; i < 1024; i++)
		p[i] = (__u64)i * 3 + 1;
	for (i = 0; i < 1024; i++)
		sum += p[i];
	CHECK(sum == 3ull * 1023 * 1024 / 2 + 1024);
	/* the second page */
	p[PAGE_SIZE / 8 + 5] = 0x1122334455667788ull;
	CHECK(((__u32 __arena *)p)[PAGE_SIZE / 4 + 10] == 0x55667788);
	CHECK(((__u8 __arena *)p)[PAGE_SIZE + 47] == 0x11);
	bpf_arena_free_pages(&arena, p, 2);
	return 0;
}

SEC("syscall")
int arena_globals(void *ctx)
{
	struct node __arena *n;
	__u64 sum = 0;
	int i;

	CHECK(arena_magic == 0x4250463441524e41ull);
	arena_counter++;
	CHECK(arena_counter >= 1);
	for (i = 0; i < 32; i++)
		arena_table[i] = i * i;
	CHECK(arena_table[31] == 961);
	/* a list of three nodes in one allocated page */
	n = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	CHECK(n != NULL);
	for (i = 0; i < 3; i++) {
		n[i].value = 100 + i;
		n[i].next = i < 2 ? &n[i + 1] : NULL;
	}
	arena_head = n;
	for (n = arena_head, i = 0; n && i < 8; n = n->next, i++)
		sum += n->value;
	CHECK(i == 3);
	CHECK(sum == 303);
	bpf_arena_free_pages(&arena, arena_head, 1);
	arena_head = NULL;
	return 0;
}

SEC("syscall")
int arena_fixed(void *ctx)
{
	void __arena *want = (void __arena *)(ARENA_BASE + 8 * PAGE_SIZE);
	__u64 __arena *p = bpf_arena_alloc_pages(&arena, want, 1, NUMA_NO_NODE, 0);
	void __arena *again;

	CHECK(p != NULL);
	CHECK((__u64)p == ARENA_BASE + 8 * PAGE_SIZE);
	*p = 42;
	CHECK(*p == 42);
	again = bpf_arena_alloc_pages(&arena, want, 1, NUMA_NO_NODE, 0);
	CHECK(again == NULL);
	/* more pages than the arena has */
	again = bpf_arena_alloc_pages(&arena, NULL, ARENA_PAGES + 1, NUMA_NO_NODE, 0);
	CHECK(again == NULL);
	/* an address that is not page-aligned */
	again = bpf_arena_alloc_pages(&arena, (void __arena *)(ARENA_BASE + 9 * PAGE_SIZE + 8), 1,
				      NUMA_NO_NODE, 0);
	CHECK(again == NULL);
	bpf_arena_free_pages(&arena, p, 1);
	return 0;
}

SEC("syscall")
int arena_freed_read(void *ctx)
{
	/* volatile: each store and load below is a real arena access (no store-to-load forwarding) */
	volatile __u64 __arena *p = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	volatile __u64 __arena *never = (volatile __u64 __arena *)(ARENA_BASE + 12 * PAGE_SIZE);
	__u64 v;

	CHECK(p != NULL);
	*p = 7;
	CHECK(*p == 7);
	bpf_arena_free_pages(&arena, (void __arena *)p, 1);
	v = *p;
	CHECK(v == 0);
	*p = 9;
	v = *p;
	CHECK(v == 0);
	v = *never;
	CHECK(v == 0);
	*never = 5;
	v = *never;
	CHECK(v == 0);
	return 0;
}

SEC("syscall")
int arena_atomics(void *ctx)
{
	__u64 __arena *p = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	__u32 __arena *w;

	CHECK(p != NULL);
	w = (__u32 __arena *)&p[8];
	p[0] = 40;
	CHECK(__sync_fetch_and_add(&p[0], 2) == 40);
	CHECK(p[0] == 42);
	__sync_fetch_and_add(&p[0], 100);
	CHECK(p[0] == 142);
	p[1] = 0xf0f0;
	CHECK(__sync_fetch_and_and(&p[1], 0xff00) == 0xf0f0);
	CHECK(__sync_fetch_and_or(&p[1], 0x000f) == 0xf000);
	CHECK(__sync_fetch_and_xor(&p[1], 0xffff) == 0xf00f);
	CHECK(p[1] == 0x0ff0);
	CHECK(__sync_lock_test_and_set(&p[2], 0x1122334455667788ull) == 0);
	CHECK(p[2] == 0x1122334455667788ull);
	CHECK(__sync_val_compare_and_swap(&p[2], 1, 2) == 0x1122334455667788ull);
	CHECK(p[2] == 0x1122334455667788ull);
	CHECK(__sync_val_compare_and_swap(&p[2], 0x1122334455667788ull, 7) == 0x1122334455667788ull);
	CHECK(p[2] == 7);
	/* 4-byte forms: the neighbouring word is untouched */
	w[0] = 0xffffffff;
	w[1] = 5;
	CHECK(__sync_fetch_and_add(&w[0], 1) == 0xffffffff);
	CHECK(w[0] == 0 && w[1] == 5);
	CHECK(__sync_val_compare_and_swap(&w[1], 5, 6) == 5);
	CHECK(w[1] == 6);
	/* an __arena global */
	arena_counter = 0;
	__sync_fetch_and_add(&arena_counter, 3);
	CHECK(__sync_fetch_and_add(&arena_counter, 4) == 3);
	CHECK(arena_counter == 7);
	bpf_arena_free_pages(&arena, p, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
