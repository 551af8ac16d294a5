// Built against the vmlinux.h the compile goal writes from the kernel's BTF (no linux/bpf.h).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int pass_on_ifindex(struct xdp_md *ctx)
{
	return ctx->ingress_ifindex == 0 ? XDP_PASS : XDP_DROP;
}
