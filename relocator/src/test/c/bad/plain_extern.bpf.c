/* An extern that is neither __kconfig nor __ksym. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
extern int elsewhere;
SEC("socket") int prog(struct __sk_buff *skb) { return elsewhere; }
