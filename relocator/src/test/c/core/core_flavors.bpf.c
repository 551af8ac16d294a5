/*
 * CO-RE candidates that disagree: several target flavors of one name (core_flavors_target.c),
 * pruned relocation by relocation as libbpf does, enum flavors and ENUM/ENUM64 pairs.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* target: 'flav' {x@0, y@4} and 'flav___b' {y@8}: reading x first drops flav___b, so y is not ambiguous */
struct flav {
	int x;
	int y;
} __attribute__((preserve_access_index));

/* target: two flavors agreeing on z */
struct agree___local {
	int z;
	int w;
} __attribute__((preserve_access_index));

enum color___loc {
	RED___loc,
	GREEN___loc,
	BLUE___loc,
};

enum wide {
	WIDE_A = 1,
	WIDE_B = 2,
};

SEC("kprobe/pruned")
int pruned(struct pt_regs *ctx)
{
	struct flav *f = (void *)ctx;
	struct agree___local *a = (void *)ctx;
	int r = BPF_CORE_READ(f, x);

	r += BPF_CORE_READ(f, y);
	r += BPF_CORE_READ(a, z);
	if (bpf_core_field_exists(a->w))
		r += BPF_CORE_READ(a, w);
	return r;
}

/* as flav, but the pruning happens in one program and pays off in the next one of the same section */
struct flav2 {
	int x;
	int y;
} __attribute__((preserve_access_index));

SEC("kprobe/shared")
int shared_first(struct pt_regs *ctx)
{
	struct flav2 *f = (void *)ctx;

	return BPF_CORE_READ(f, x);
}

SEC("kprobe/shared")
int shared_second(struct pt_regs *ctx)
{
	struct flav2 *f = (void *)ctx;

	return BPF_CORE_READ(f, y);
}

SEC("kprobe/flavored_enums")
int flavored_enums(struct pt_regs *ctx)
{
	long r = 0;

	r += bpf_core_enum_value(enum color___loc, GREEN___loc);
	r += bpf_core_enum_value_exists(enum color___loc, BLUE___loc);
	r += bpf_core_enum_value(enum color___loc, BLUE___loc);
	r += bpf_core_enum_value(enum wide, WIDE_B);
	r += bpf_core_type_exists(enum wide);
	r += bpf_core_type_size(enum wide);
	r += bpf_core_type_matches(enum wide);
	r += bpf_core_type_matches(struct agree___local);
	r += bpf_core_type_id_kernel(struct agree___local);
	return r;
}

char LICENSE[] SEC("license") = "GPL";
