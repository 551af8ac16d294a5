/* A static function in a program section. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
SEC("socket") static int prog(struct __sk_buff *skb) { return 1; }
SEC("socket") int other(struct __sk_buff *skb) { return prog(skb); }
