/* A global function placed outside .text and called: libbpf refuses the call relocation. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
__attribute__((noinline, section("othersec"))) int helper(int x) { return x + 1; }
SEC("socket") int prog(struct __sk_buff *skb) { return helper(skb->len); }
