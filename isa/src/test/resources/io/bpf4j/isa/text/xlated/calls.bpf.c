// Test input for io.bpf4j.isa.text.BpftoolSyntaxTest: bpf-to-bpf calls, a bpf_loop callback
// (ld_imm64 of a function, BPF_PSEUDO_FUNC), a tail call through a prog array. -mcpu=v3.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u32);
} jumps SEC(".maps");

struct ctx_sum { __u64 sum; __u32 limit; };

static __attribute__((noinline)) __u64 mix(__u64 a, __u64 b)
{
    return (a << 3) ^ (b >> 2) ^ 0x9e3779b9;
}

static __attribute__((noinline)) __u64 twice_mix(__u64 a)
{
    return mix(a, a + 1) + mix(a + 2, a);
}

static long step(__u64 index, void *data)
{
    struct ctx_sum *c = data;
    c->sum += mix(index, c->sum);
    return index >= c->limit;
}

SEC("tc")
int tc_calls(struct __sk_buff *skb)
{
    struct ctx_sum c = { .sum = skb->len, .limit = 5 };
    bpf_loop(16, step, &c, 0);
    if (skb->mark == 42)
        bpf_tail_call(skb, &jumps, 1);
    return (int)twice_mix(c.sum) & 1;
}

char LICENSE[] SEC("license") = "GPL";
