// SPDX-License-Identifier: GPL-2.0
/*
 * Loads through a map pointer (check_ptr_to_map_access): a map pointer points at the map's
 * kernel struct (struct bpf_array for an array, struct bpf_htab for a hash), which a privileged
 * program may read but not write, walked through the kernel's BTF like a BTF pointer; the field
 * offsets come from CO-RE against the running kernel.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_ops;

struct bpf_map {
	const struct bpf_map_ops *ops;
	__u32 max_entries;
	__u32 key_size;
} __attribute__((preserve_access_index));

struct bpf_array {
	struct bpf_map map;
	__u32 elem_size;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, int);
	__type(value, long);
} array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 5);
	__type(key, long);
	__type(value, long);
} hash SEC(".maps");

/* scalar fields of the generic part: accepted */
SEC("socket")
int read_max_entries(void *ctx)
{
	struct bpf_map *m = (struct bpf_map *)&hash;

	return m->max_entries + m->key_size;
}

/* a field of the array's own struct: accepted */
SEC("socket")
int read_array_elem_size(void *ctx)
{
	struct bpf_array *a = (struct bpf_array *)&array;

	return a->elem_size;
}

/* a pointer member gives an (untrusted) BTF pointer: accepted */
SEC("socket")
int read_through_ops(void *ctx)
{
	struct bpf_map *m = (struct bpf_map *)&array;
	const struct bpf_map_ops *ops = m->ops;

	return ops != 0;
}

/* below the struct: rejected */
SEC("socket")
__attribute__((naked)) void read_negative(void)
{
	asm volatile ("r1 = %[array] ll;"
		"r0 = *(u64 *)(r1 - 16);"
		"r0 = 0;"
		"exit;"
		:
		: [array] "i"(&array)
		: "r0", "r1");
}

/* a store into the map's struct: rejected */
SEC("socket")
__attribute__((naked)) void write_rejected(void)
{
	asm volatile ("r1 = %[hash] ll;"
		"r2 = 7;"
		"*(u32 *)(r1 + 8) = r2;"
		"r0 = 0;"
		"exit;"
		:
		: [hash] "i"(&hash)
		: "r0", "r1", "r2");
}

/* far beyond the struct: rejected */
SEC("socket")
__attribute__((naked)) void read_beyond(void)
{
	asm volatile ("r1 = %[hash] ll;"
		"r0 = *(u32 *)(r1 + 30000);"
		"r0 = 0;"
		"exit;"
		:
		: [hash] "i"(&hash)
		: "r0", "r1");
}

char _license[] SEC("license") = "GPL";
