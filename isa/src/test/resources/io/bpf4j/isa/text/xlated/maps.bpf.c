// Test input for io.bpf4j.isa.text.BpftoolSyntaxTest: maps (by id and by value), global data,
// helpers (some inlined by the kernel: per-CPU addresses), atomics, 32- and 64-bit jumps.
// Built with -mcpu=v3.
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

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} per_cpu SEC(".maps");

__u64 hits = 1;
const volatile __u32 limit = 100;
__u64 misses;
__u32 flags;

SEC("xdp")
int xdp_maps(struct xdp_md *ctx)
{
    __u32 key = ctx->ingress_ifindex & 3;
    __u64 *v = bpf_map_lookup_elem(&counts, &key);
    if (!v) {
        __u64 one = 1;
        bpf_map_update_elem(&counts, &key, &one, BPF_ANY);
        __sync_fetch_and_add(&misses, 1);
        return XDP_PASS;
    }
    __u64 old = __sync_fetch_and_add(v, 2);
    old += __sync_fetch_and_or(v, 4);
    old += __sync_lock_test_and_set(&hits, old);
    old += __sync_val_compare_and_swap(&hits, 7, old);
    __sync_fetch_and_xor(&flags, 1);
    __sync_fetch_and_and(&flags, 3);
    if ((__u32)old > limit)
        bpf_map_delete_elem(&counts, &key);
    v = bpf_map_lookup_elem(&totals, &key);
    if (v && *v > bpf_ktime_get_ns())
        return XDP_DROP;
    return XDP_PASS;
}

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");

SEC("xdp")
int xdp_percpu(struct xdp_md *ctx)
{
    __u32 key = ctx->rx_queue_index & 1;
    __u64 *v = bpf_map_lookup_elem(&per_cpu, &key);
    if (!v)
        return XDP_ABORTED;
    *v += bpf_get_smp_processor_id();
    return XDP_PASS;
}

SEC("socket")
int legacy_ld(struct __sk_buff *skb)
{
    __u32 proto = load_byte(skb, 23);
    __u32 port = load_half(skb, 36);
    __u32 word = load_word(skb, 26 + (skb->len & 4));
    return proto + port + word;
}

char LICENSE[] SEC("license") = "GPL";
