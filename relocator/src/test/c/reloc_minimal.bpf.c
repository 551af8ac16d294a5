/* No maps, no BTF-defined anything: one program calling one static subprogram. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";
__u32 VERSION SEC("version") = 0x060c00;

static __attribute__((noinline)) int twice(int x)
{
	return x + x;
}

SEC("tc")
int classify(struct __sk_buff *skb)
{
	return twice(skb->len) > 100;
}
