// Test input for io.bpf4j.isa.text.ObjdumpListingTest: maps, helper and bpf-to-bpf calls,
// global data in .data/.rodata/.bss, several code sections, a static and a global subprogram.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} totals SEC(".maps");

__u64 hits = 1;
const volatile __u32 limit = 100;
__u64 misses;
static volatile __u32 seen;

static __attribute__((noinline)) __u64 bump(__u64 *v, __u64 by)
{
    if (!v)
        return 0;
    __sync_fetch_and_add(v, by);
    return *v;
}

__attribute__((noinline)) int global_sub(int x)
{
    if (x > (int)limit)
        return x - 1;
    seen = x;
    return x * 3;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
    __u32 key = ctx->ingress_ifindex & 3;
    __u64 *v = bpf_map_lookup_elem(&counts, &key);
    if (!v) {
        __u64 one = 1;
        bpf_map_update_elem(&counts, &key, &one, BPF_ANY);
        misses++;
        return XDP_PASS;
    }
    hits += bump(v, 2);
    v = bpf_map_lookup_elem(&totals, &key);
    if (v)
        *v = global_sub((int)*v);
    return XDP_PASS;
}

SEC("tc")
int tc_signed(struct __sk_buff *skb)
{
    signed char c = *(signed char *)(long)skb->data;
    short s = (short)skb->len;
    long q = (long)skb->mark / (long)(skb->priority | 1);
    long r = (long)skb->mark % 7;
    __u32 b = __builtin_bswap32(skb->hash);
    int i;
    for (i = 0; i < 4; i++)
        q += i * c;
    return (int)(c + s + q + r + b + seen);
}

char LICENSE[] SEC("license") = "GPL";
