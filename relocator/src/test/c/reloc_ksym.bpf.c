/* __ksym externs resolved against kernel BTF: a typed per-CPU variable, a kfunc, and a weak
 * kfunc the kernel does not have (libbpf poisons its call). */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

extern const int bpf_prog_active __ksym;
extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;
extern int bpf4j_no_such_kfunc(int x) __ksym __weak;

SEC("tc")
int ksyms(struct __sk_buff *skb)
{
	int *active = bpf_this_cpu_ptr(&bpf_prog_active);
	void *kctx = bpf_cast_to_kern_ctx(skb);
	int r = *active + (kctx != 0);
	if (bpf4j_no_such_kfunc)
		r += bpf4j_no_such_kfunc(r);
	return r;
}
