// Test input for io.bpf4j.isa.text.ObjdumpListingTest: v4 instructions (gotol is not emitted
// by clang for short jumps, so this checks sign-extending loads, movsx, sdiv/smod, bswap,
// atomics with fetch, xchg and cmpxchg), a function pointer (callx) and several symbols.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

long counter;
int small_counter;

static __attribute__((noinline)) long twice(long x) { return x * 2; }
static __attribute__((noinline)) long thrice(long x) { return x * 3; }

SEC("socket")
int atomics(struct __sk_buff *skb)
{
    long old = __sync_fetch_and_add(&counter, 1);
    old += __sync_fetch_and_or(&counter, 2);
    old += __sync_fetch_and_xor(&counter, 4);
    old += __sync_fetch_and_and(&counter, ~8L);
    old += __sync_lock_test_and_set(&counter, 5);
    old += __sync_val_compare_and_swap(&counter, 5, 6);
    int o32 = __sync_fetch_and_add(&small_counter, 1);
    o32 += __sync_val_compare_and_swap(&small_counter, 1, 2);
    __sync_fetch_and_or(&small_counter, 16);
    return (int)old + o32;
}

SEC("socket")
int signed_ops(struct __sk_buff *skb)
{
    long a = (long)(short)skb->mark;
    long b = (long)(int)skb->len / (long)(int)(skb->priority | 1);
    long c = (long)(int)skb->len % (long)(int)(skb->priority | 3);
    long d = (long)__builtin_bswap64(skb->hash);
    long (*f)(long) = skb->len & 1 ? twice : thrice;
    return (int)(a + b + c + d + f(a));
}

char LICENSE[] SEC("license") = "GPL";
