/* Legacy struct bpf_map_def maps in SEC("maps"), read as libbpf 0.x read them. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct legacy_map_def {
	unsigned int type, key_size, value_size, max_entries, map_flags;
};

struct legacy_map_def SEC("maps") counts = { BPF_MAP_TYPE_ARRAY, 4, 8, 16, 0 };
struct legacy_map_def SEC("maps") seen = { BPF_MAP_TYPE_HASH, 4, 4, 256, BPF_F_NO_PREALLOC };

SEC("socket")
int legacy(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u64 *c = bpf_map_lookup_elem(&counts, &k);
	if (c)
		(*c)++;
	return bpf_map_lookup_elem(&seen, &k) != 0;
}
