/* A map definition with a field libbpf does not know. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, int); __uint(colour, 3); } m SEC(".maps");
SEC("socket") int prog(struct __sk_buff *skb) { int k = 0; return bpf_map_lookup_elem(&m, &k) != 0; }
