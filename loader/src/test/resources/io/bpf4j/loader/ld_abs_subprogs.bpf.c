// LD_ABS/LD_IND and tail calls in subprograms: a subprogram's failed packet load returns 0 to
// its caller at once, and only functions returning a scalar may hold either (check_btf_func).
// Compiled by CompiledSourceParityTest at test time.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, int);
} jmp SEC(".maps");

__attribute__((naked, noinline, used)) static int ldabs_int(void)
{
	asm volatile ("r6 = r1; r0 = *(u32 *)skb[0]; r0 = 1; exit;" ::: "memory");
}

__attribute__((naked, noinline, used)) static int ldind_int(void)
{
	asm volatile ("r6 = r1; r7 = 0; r0 = *(u8 *)skb[r7]; r0 = 1; exit;" ::: "memory");
}

__attribute__((naked, noinline, used)) static void ldabs_void(void)
{
	asm volatile ("r6 = r1; r7 = 0; r0 = *(u16 *)skb[r7]; r0 = 1; exit;" ::: "memory");
}

static __noinline void tail_void(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &jmp, 0);
}

static __noinline int tail_int(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &jmp, 0);
	return 1;
}

/* the early exit returns 0: the caller's R9 was never written */
SEC("socket")
__attribute__((naked)) int ldabs_early_exit(void)
{
	asm volatile ("call ldabs_int; if r0 != 0 goto 1f; r0 = r9; 1: r0 = 0; exit;" ::: "memory");
}

SEC("socket")
__attribute__((naked)) int ldind_early_exit(void)
{
	asm volatile ("call ldind_int; if r0 != 0 goto 1f; r0 = r9; 1: r0 = 0; exit;" ::: "memory");
}

SEC("socket")
__attribute__((naked)) int ldabs_both_paths_safe(void)
{
	asm volatile ("call ldabs_int; r0 = 0; exit;" ::: "memory");
}

SEC("socket")
__attribute__((naked)) int ldabs_result_used(void)
{
	asm volatile ("r9 = 7; call ldabs_int; if r0 != 0 goto 1f; r0 = r9; exit; 1: r0 = 0; exit;" ::: "memory");
}

SEC("socket")
__attribute__((naked)) int ldabs_void_subprog(void)
{
	asm volatile ("call ldabs_void; r0 = 0; exit;" ::: "memory");
}

SEC("tc")
int tail_call_void_subprog(struct __sk_buff *skb)
{
	tail_void(skb);
	return 0;
}

SEC("tc")
int tail_call_int_subprog(struct __sk_buff *skb)
{
	return tail_int(skb);
}

char LICENSE[] SEC("license") = "GPL";
