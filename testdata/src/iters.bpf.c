// SPDX-License-Identifier: GPL-2.0
/* Open-coded numeric iterators (bpf_iter_num_new/next/destroy kfuncs): the for and repeat
 * loop macros, nested iterators, an early break, the raw API's edge cases (empty, reversed,
 * too long and INT_MAX-touching ranges), and a range taken from the context. The kfunc
 * calls resolve against the kernel's BTF at load time. Self-checking where the result is
 * known; every program also returns a value that depends on every step.
 * bpf4j-cpu: v2 v3 v4; bpf4j-clang22: v3 v4
 * bpf4j-endian: el */
#include "bpf4j_iter.h"

#define EINVAL 22
#define E2BIG 7
#define INT_MAX 0x7fffffff
#define INT_MIN (-INT_MAX - 1)
#define MAX_LOOPS (8 * 1024 * 1024)

__u32 weights[16] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3 };

/* The iterator's ranges for iters_ctx: start, end, and where to stop early (0: never). */
struct range {
	int start;
	int end;
	int stop;
};

SEC("syscall")
int iters_for(void *ctx)
{
	__u32 sum = 0;
	int i;

	iter_for(i, 0, 16)
		sum += weights[i] * (i + 1);
	CHECK(sum == 786);
	return sum;
}

SEC("syscall")
int iters_repeat(void *ctx)
{
	int n = 0, outer = 0;

	iter_repeat(5) {
		outer++;
		iter_repeat(3)
			n += outer;
	}
	return n * 100 + outer;
}

SEC("syscall")
int iters_nested(void *ctx)
{
	int i, j;
	__s64 acc = 0;

	iter_for(i, -3, 4) {
		iter_for(j, i, 4)
			acc = acc * 3 + i * j + 7;
	}
	return (int)(acc ^ (acc >> 32));
}

SEC("syscall")
int iters_break(void *ctx)
{
	int i, seen = 0;

	iter_for(i, 10, 1000) {
		seen += i;
		if (seen > 300)
			break;
	}
	CHECK(seen == 306);
	return seen;
}

/* The raw API: return codes and what next yields after each kind of new. */
static __noinline int drain(struct bpf_iter_num *it, int *last)
{
	int *v, n = 0;

	while ((v = bpf_iter_num_next(it))) {
		*last = *v;
		n++;
		if (n > 10)
			break;
	}
	return n;
}

SEC("syscall")
int iters_raw(void *ctx)
{
	struct bpf_iter_num it;
	int ret, n, last = -1, empty, empty2;
	__u32 code = 0;

	/* every iterator is destroyed before a check may return */
	ret = bpf_iter_num_new(&it, 5, 3);
	empty = bpf_iter_num_next(&it) == 0;
	bpf_iter_num_destroy(&it);
	CHECK(ret == -EINVAL && empty);
	code = code * 31 + (__u32)ret;

	ret = bpf_iter_num_new(&it, 7, 7);
	empty = bpf_iter_num_next(&it) == 0;
	empty2 = bpf_iter_num_next(&it) == 0;
	bpf_iter_num_destroy(&it);
	CHECK(ret == 0 && empty && empty2);
	code = code * 31 + (__u32)ret;

	ret = bpf_iter_num_new(&it, 0, MAX_LOOPS + 1);
	empty = bpf_iter_num_next(&it) == 0;
	bpf_iter_num_destroy(&it);
	CHECK(ret == -E2BIG && empty);
	code = code * 31 + (__u32)ret;

	ret = bpf_iter_num_new(&it, INT_MIN, INT_MAX);
	bpf_iter_num_destroy(&it);
	CHECK(ret == -E2BIG);
	code = code * 31 + (__u32)ret;

	ret = bpf_iter_num_new(&it, -MAX_LOOPS, 0);
	bpf_iter_num_destroy(&it);
	CHECK(ret == 0);
	code = code * 31 + (__u32)ret;

	ret = bpf_iter_num_new(&it, INT_MAX - 2, INT_MAX);
	n = drain(&it, &last);
	bpf_iter_num_destroy(&it);
	CHECK(ret == 0 && n == 2 && last == INT_MAX - 1);
	code = code * 31 + (__u32)(ret + n * 7 + last);

	ret = bpf_iter_num_new(&it, INT_MIN, INT_MIN + 3);
	n = drain(&it, &last);
	bpf_iter_num_destroy(&it);
	CHECK(ret == 0 && n == 3 && last == INT_MIN + 2);
	code = code * 31 + (__u32)(ret + n * 7 + last);
	return code;
}

/* The range comes from the caller: the count of elements, their sum and the return code of new. */
SEC("syscall")
int iters_ctx(struct range *r)
{
	struct bpf_iter_num it;
	int *v, ret, n = 0;
	__s64 sum = 0;

	ret = bpf_iter_num_new(&it, r->start, r->end);
	while ((v = bpf_iter_num_next(&it))) {
		sum += *v;
		n++;
		if (r->stop && n >= r->stop)
			break;
	}
	bpf_iter_num_destroy(&it);
	return (int)(sum * 7 + n * 131 + ret);
}

char LICENSE[] SEC("license") = "GPL";
