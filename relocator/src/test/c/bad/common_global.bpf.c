/* Built with -fcommon: the uninitialised global is SHN_COMMON, which libbpf refuses. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
int counter;
SEC("socket") int prog(struct __sk_buff *skb) { return counter; }
