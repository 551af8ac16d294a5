// Test input for io.bpf4j.isa.text.BpftoolSyntaxTest: cpu v4 instructions and the newer forms
// written in assembler (gotol, may_goto, load-acquire and store-release as raw words, which
// LLVM 19 cannot spell). -mcpu=v4.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int v4_alu(struct __sk_buff *skb)
{
    long a = (long)(short)skb->mark;
    long b = (long)(int)skb->len / (long)(int)(skb->priority | 1);
    long c = (long)(int)skb->len % (long)(int)(skb->priority | 3);
    long d = (long)__builtin_bswap64(skb->hash) + __builtin_bswap16(skb->protocol);
    volatile signed char buf[2] = { (signed char)skb->len, 1 };
    signed char e = buf[0];
    return (int)(a + b + c + d + e);
}

SEC("socket")
__attribute__((naked)) int v4_asm(void)
{
    asm volatile(
        "r3 = *(u32 *)(r1 + 0);"
        "r1 = 0;"
        "*(u64 *)(r10 - 8) = r1;"
        "r0 = 0;"
        "if r3 != 0 goto +1;"
        "gotol +1;"
        "r0 = 1;"
        "may_goto +1;"
        "r0 += 2;"
        /* r2 = load_acquire((u64 *)(r10 -8)) */
        ".quad 0x00000100fff8a2db;"
        /* store_release((u32 *)(r10 -16), r2) */
        ".quad 0x00000110fff02ac3;"
        "r1 = *(u32 *)(r10 - 16);"
        "r1 = (s8)r1;"
        "w1 s/= 3;"
        "w1 s%%= -5;"
        "if w1 s> 7 goto +1;"
        "r0 = -r0;"
        "exit;"
        ::: "memory");
}

char LICENSE[] SEC("license") = "GPL";
