/* Two target flavors put 'y' at different offsets: libbpf refuses the relocation. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct amb {
	int y;
} __attribute__((preserve_access_index));

SEC("kprobe/ambiguous")
int ambiguous(struct pt_regs *ctx)
{
	struct amb *a = (void *)ctx;

	return BPF_CORE_READ(a, y);
}

char LICENSE[] SEC("license") = "GPL";
