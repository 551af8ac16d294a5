// SPDX-License-Identifier: GPL-2.0
/* Open-coded iterator misuse the verifier must refuse, one mistake per program: an iterator
 * never destroyed, one advanced before it was created, created twice, advanced after it was
 * destroyed, one living in a map value instead of on the stack, and a loop whose index the
 * iterator bounds but whose body still reads past an array. The kernel rejects every one;
 * bpf4j must reject each with the kernel's message.
 * bpf4j-cpu: v3; bpf4j-clang22: v4
 * bpf4j-endian: el */
#include "bpf4j_iter.h"

__u32 table[8];

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_iter_num);
} holder SEC(".maps");

SEC("syscall")
int bad_leak(void *ctx)
{
	struct bpf_iter_num it;
	int *v, n = 0;

	bpf_iter_num_new(&it, 0, 3);
	while ((v = bpf_iter_num_next(&it)))
		n += *v;
	return n;
}

SEC("syscall")
int bad_next_uninit(void *ctx)
{
	struct bpf_iter_num it;
	int *v = bpf_iter_num_next(&it);

	return v ? *v : 0;
}

SEC("syscall")
int bad_double_new(void *ctx)
{
	struct bpf_iter_num it;

	bpf_iter_num_new(&it, 0, 3);
	bpf_iter_num_new(&it, 0, 5);
	bpf_iter_num_destroy(&it);
	return 0;
}

SEC("syscall")
int bad_next_after_destroy(void *ctx)
{
	struct bpf_iter_num it;
	int *v;

	bpf_iter_num_new(&it, 0, 3);
	bpf_iter_num_destroy(&it);
	v = bpf_iter_num_next(&it);
	return v ? *v : 0;
}

SEC("syscall")
int bad_not_on_stack(void *ctx)
{
	__u32 key = 0;
	struct bpf_iter_num *it = bpf_map_lookup_elem(&holder, &key);

	if (!it)
		return 0;
	bpf_iter_num_new(it, 0, 3);
	bpf_iter_num_destroy(it);
	return 0;
}

SEC("syscall")
int bad_past_the_array(void *ctx)
{
	__u32 sum = 0;
	int i;

	iter_for(i, 0, 9)
		sum += table[i];
	return sum;
}

char LICENSE[] SEC("license") = "GPL";
