// XDP programs for the interpreter/kernel test-run comparison (TestRunKernelTest).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* The operation comes from the first byte of the source MAC (frame byte 6). */
SEC("xdp")
int xdp_adjust(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	long rc = 0;
	if (data + 14 > end)
		return 99;
	__u8 op = ((__u8 *)data)[6];
	__u8 arg = ((__u8 *)data)[7];
	switch (op) {
	case 1: rc = bpf_xdp_adjust_head(ctx, -(int)arg); break;
	case 2: rc = bpf_xdp_adjust_head(ctx, arg); break;
	case 3: rc = bpf_xdp_adjust_tail(ctx, -(int)arg); break;
	case 4: rc = bpf_xdp_adjust_tail(ctx, (int)arg * 16); break;
	case 5: rc = bpf_xdp_adjust_meta(ctx, -(int)arg); break;
	case 6: rc = bpf_xdp_adjust_head(ctx, -(int)arg * 4); break;
	default: break;
	}
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	void *meta = (void *)(long)ctx->data_meta;
	if (rc == 0 && op == 5 && meta + 4 <= data)
		*(__u32 *)meta = 0xabcdef01;
	if (rc == 0 && data + 1 <= end)
		*(__u8 *)data = 0x5a;
	/* result: errno (low byte), packet length and metadata length */
	__u32 len = end - data;
	__u32 mlen = data - meta;
	return (int)((-rc) & 0xff) | (len << 8) | (mlen << 24);
}

/* Reads the xdp_md fields. */
SEC("xdp")
int xdp_fields(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	return ctx->ingress_ifindex * 100000 + ctx->rx_queue_index * 10000 + (end - data);
}

/* A compute loop: FNV-1a over the first 64 bytes, 64 rounds. */
SEC("xdp")
int xdp_compute(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + 64 > end)
		return 0;
	__u8 *p = data;
	__u32 h = 2166136261u;
	for (int round = 0; round < 64; round++) {
		for (int i = 0; i < 64; i++)
			h = (h ^ p[i]) * 16777619u;
		h ^= round;
	}
	return h & 0x7fffffff;
}

char _license[] SEC("license") = "GPL";
