/* A static map in .maps: libbpf refuses its linkage. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
static struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, int); __type(value, int); } m SEC(".maps");
SEC("socket") int prog(struct __sk_buff *skb) { int k = 0; return bpf_map_lookup_elem(&m, &k) != 0; }
