// Map-heavy programs for the interpreter/kernel test-run comparison.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} per_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} per_cpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

static __always_inline void add(void *map, __u32 k, __u64 v)
{
	__u64 *p = bpf_map_lookup_elem(map, &k);
	if (p)
		__sync_fetch_and_add(p, v);
}

/* Counts frames by the byte at offset 6 in a small hash; every failure code is recorded. */
SEC("xdp")
int map_ops(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + 14 > end)
		return 1;
	__u32 key = ((__u8 *)data)[6];
	__u64 one = 1;
	long rc = bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
	if (rc == -17) {
		__u64 *v = bpf_map_lookup_elem(&counts, &key);
		if (v)
			*v += 1;
	}
	add(&totals, 0, 1);
	add(&totals, 1, end - data);
	__u32 bad = 99;
	add(&totals, 2, -bpf_map_update_elem(&totals, &bad, &one, 0));
	add(&totals, 3, -bpf_map_delete_elem(&totals, &key));
	__u32 absent = 1000;
	add(&totals, 4, -bpf_map_delete_elem(&counts, &absent));
	add(&totals, 5, -bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST));
	add(&totals, 6, -bpf_map_update_elem(&counts, &absent, &one, BPF_EXIST));
	if (rc == -7)
		add(&totals, 7, 1);
	__u32 z = 0;
	__u64 *pc = bpf_map_lookup_elem(&per_cpu, &z);
	if (pc)
		*pc += end - data;
	__u32 hv = key * 3;
	bpf_map_update_elem(&per_cpu_hash, &key, &hv, 0);
	return rc == 0 ? 2 : 3;
}

struct sum_ctx {
	__u64 keys;
	__u64 values;
	__u64 stop_at;
};

static long sum_cb(void *map, __u32 *key, __u64 *value, struct sum_ctx *c)
{
	c->keys += *key;
	c->values += *value;
	*value += 100;
	return *key == c->stop_at;
}

static long loop_cb(__u32 i, __u64 *acc)
{
	*acc = *acc * 31 + i;
	return i == 40;
}

/* for_each_map_elem over the array (stops at the key in byte 6) and the hash, and bpf_loop. */
SEC("xdp")
int foreach(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + 14 > end)
		return 1;
	struct sum_ctx c = { .stop_at = ((__u8 *)data)[6] };
	for (__u32 i = 0; i < 4; i++) {
		__u64 v = i * 10 + 1;
		__u32 k = i + 100;
		bpf_map_update_elem(&counts, &k, &v, 0);
	}
	long visited = bpf_for_each_map_elem(&totals, sum_cb, &c, 0);
	struct sum_ctx h = { .stop_at = 0xffffffff };
	long hashed = bpf_for_each_map_elem(&counts, sum_cb, &h, 0);
	__u64 acc = 7;
	long loops = bpf_loop(100, loop_cb, &acc, 0);
	add(&totals, 8, acc);
	add(&totals, 9, h.keys * 1000 + h.values);
	add(&totals, 10, c.keys * 1000 + c.values);
	return visited | hashed << 8 | loops << 16;
}

/* Ring buffer producer: output, reserve + submit, reserve + discard, a reserve too large; returns query results. */
SEC("xdp")
int ringbuf(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + 14 > end)
		return 1;
	__u64 v = *(__u64 *)data;
	long out = bpf_ringbuf_output(&events, &v, sizeof(v), 0);
	__u64 *rec = bpf_ringbuf_reserve(&events, 16, 0);
	if (rec) {
		rec[0] = v;
		rec[1] = end - data;
		bpf_ringbuf_submit(rec, 0);
	}
	__u64 *gone = bpf_ringbuf_reserve(&events, 8, 0);
	if (gone)
		bpf_ringbuf_discard(gone, 0);
	void *big = bpf_ringbuf_reserve(&events, 8192, 0);
	if (big)
		bpf_ringbuf_discard(big, 0);
	long badflags = bpf_ringbuf_output(&events, &v, sizeof(v), 4);
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);
	__u64 prod = bpf_ringbuf_query(&events, BPF_RB_PROD_POS);
	return (int)(avail | size << 8 | (prod & 0xff) << 20) ^ (int)(-out) ^ (int)(-badflags << 28) ^ (big ? 1 : 0) ^ (rec ? 0 : 2);
}

char _license[] SEC("license") = "GPL";
