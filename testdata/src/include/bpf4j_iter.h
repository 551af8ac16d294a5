/* Open-coded numeric iterators for the bpf4j corpus: the kernel's bpf_iter_num kfuncs
 * declared as weak kernel symbols (libbpf 1.1's bpf_helpers.h predates them), and for/repeat
 * loop macros over them in the shape libbpf's newer headers give bpf_for and bpf_repeat: the
 * iterator lives in an 8-aligned stack slot, is created once, advanced by _next until it
 * returns NULL, and destroyed by a cleanup attribute when the loop's scope ends. */
#ifndef BPF4J_ITER_H
#define BPF4J_ITER_H

#include "bpf4j_test.h"

#ifndef __ksym
#define __ksym __attribute__((section(".ksyms")))
#endif

/* The kernel's opaque iterator state: 8 bytes, 8-aligned (struct bpf_iter_num in vmlinux). */
struct bpf_iter_num {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __weak __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __weak __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __weak __ksym;

/* for (i = start; i < end; i++) through an iterator; the range check after each step tells
 * the verifier the bounds of i. start and end are evaluated more than once. */
#define iter_for(i, start, end)                                                              \
	for (struct bpf_iter_num __bpf4j_it __attribute__((aligned(8),                       \
							   cleanup(bpf_iter_num_destroy))), \
	     *__bpf4j_once __attribute__((unused)) =                                         \
		     (bpf_iter_num_new(&__bpf4j_it, (start), (end)),                         \
		      (void)bpf_iter_num_destroy, (void *)0);                                \
	     ({                                                                              \
		     int *__bpf4j_v = bpf_iter_num_next(&__bpf4j_it);                        \
		     __bpf4j_v && ((i) = *__bpf4j_v, (i) >= (start) && (i) < (end));         \
	     });)

/* Runs the body n times, with no index. */
#define iter_repeat(n)                                                                       \
	for (struct bpf_iter_num __bpf4j_it __attribute__((aligned(8),                       \
							   cleanup(bpf_iter_num_destroy))), \
	     *__bpf4j_once __attribute__((unused)) =                                         \
		     (bpf_iter_num_new(&__bpf4j_it, 0, (n)),                                 \
		      (void)bpf_iter_num_destroy, (void *)0);                                \
	     bpf_iter_num_next(&__bpf4j_it);)

#endif
