// SPDX-License-Identifier: GPL-2.0
/*
 * ld_imm64 map loads that no relocation binds to a map: libbpf passes the instruction on as
 * written, so its imm is a file descriptor number of the loading process, here its standard
 * streams, which are no maps: "fd N is not pointing to valid bpf_map" (EINVAL), before the
 * verifier looks at anything else. The same load bound by a relocation is accepted.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, long);
	__type(value, long);
} map SEC(".maps");

/* fd 0 in a map-pointer load */
SEC("socket")
__attribute__((naked)) void raw_fd_0(void)
{
	asm volatile ("r2 = 0;"
		"*(u64 *)(r10 - 8) = r2;"
		"r2 = r10;"
		"r2 += -8;"
		".8byte %[ld_fd0];"
		".8byte 0;"
		"call %[bpf_map_delete_elem];"
		"r0 = 0;"
		"exit;"
		:
		: [bpf_map_delete_elem] "i"(BPF_FUNC_map_delete_elem),
		  [ld_fd0] "i"(((__u64)(BPF_LD | BPF_DW | BPF_IMM)) | ((__u64)(1 | (BPF_PSEUDO_MAP_FD << 4)) << 8))
		: "r0", "r1", "r2", "r3", "r4", "r5");
}

/* fd 2 in a map-value load (BPF_PSEUDO_MAP_VALUE), after a relocated map load */
SEC("socket")
__attribute__((naked)) void raw_fd_2_value(void)
{
	asm volatile ("r1 = %[map] ll;"
		".8byte %[ld_fd2];"
		".8byte 0;"
		"r0 = 0;"
		"exit;"
		:
		: [map] "i"(&map),
		  [ld_fd2] "i"(((__u64)(BPF_LD | BPF_DW | BPF_IMM)) | ((__u64)(2 | (BPF_PSEUDO_MAP_VALUE << 4)) << 8)
				| ((__u64)2 << 32))
		: "r0", "r1", "r2", "r3", "r4", "r5");
}

/* the same delete through a relocated map load: accepted */
SEC("socket")
int bound_map(void *ctx)
{
	long key = 0;

	bpf_map_delete_elem(&map, &key);
	return 0;
}

char _license[] SEC("license") = "GPL";
