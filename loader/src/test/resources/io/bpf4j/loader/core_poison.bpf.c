// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE relocations that fail against the running kernel's BTF (no kernel has a struct
 * bpf4j_core_absent): libbpf poisons the instruction as a call to 0xbad2310, the verifier
 * rejects it only where it is reachable, and libbpf rewrites the log's last lines to name the
 * relocation ("failed to resolve CO-RE relocation <byte_off> [N] struct ..."), which is the
 * error line users read.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct bpf4j_core_absent {
	int first;
	int second;
} __attribute__((preserve_access_index));

/* the poisoned offset is used: rejected with the relocation named */
SEC("tc")
int core_offset_reached(struct __sk_buff *ctx)
{
	return bpf_core_field_offset(struct bpf4j_core_absent, second);
}

/* the existence check is 0 on this kernel, so the poisoned instruction is dead code: accepted */
SEC("tc")
int core_offset_guarded(struct __sk_buff *ctx)
{
	if (bpf_core_field_exists(struct bpf4j_core_absent, second))
		return bpf_core_field_offset(struct bpf4j_core_absent, second);
	return 0;
}

/* a poisoned access inside a static subprogram: libbpf finds the relocation at its place in the
 * program after the subprogram was appended */
static __attribute__((noinline)) int second_offset(int x)
{
	return x + bpf_core_field_offset(struct bpf4j_core_absent, second);
}

SEC("tc")
int core_offset_in_subprog(struct __sk_buff *ctx)
{
	return second_offset(ctx->len);
}

char _license[] SEC("license") = "GPL";
