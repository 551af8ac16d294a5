/* Shared definitions for the bpf4j test corpus. */
#ifndef BPF4J_TEST_H
#define BPF4J_TEST_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* A self-checking program returns 0 when every check holds, else the source line of the
 * first failed check, so a failure names itself without a debugger. */
#define CHECK(cond)                     \
	do {                            \
		if (!(cond))            \
			return __LINE__; \
	} while (0)

/* Hides a value from the optimiser so checks exercise the instructions, not constant folding. */
#define OPAQUE(x) ({ typeof(x) __v = (x); asm volatile("" : "+r"(__v)); __v; })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
