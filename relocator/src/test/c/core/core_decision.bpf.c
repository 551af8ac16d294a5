/* Two target flavors agree on the offset of 'v' but not on its size: libbpf refuses. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct dec {
	int v;
} __attribute__((preserve_access_index));

SEC("kprobe/decision")
int decision(struct pt_regs *ctx)
{
	struct dec *d = (void *)ctx;

	return bpf_core_field_size(d->v);
}

char LICENSE[] SEC("license") = "GPL";
