/* Exercises every relocation kind libbpf applies at open/load on one object: BTF-defined
 * maps (incl. map-in-map and prog-array .values, pinning, map_extra, ringbuf rounding),
 * global data of every flavour, kconfig externs, BPF-to-BPF calls to static, global and
 * hidden subprograms, function pointers, several programs in one section, '?' sections. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} in1 SEC(".maps"), in2 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &in1, [2] = &in2 },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u64);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_NONE);
} hsh SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 16);
	__uint(max_entries, 4);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 5000);
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__type(value, __u32);
	__uint(max_entries, 16);
	__uint(map_extra, 3);
} bloom SEC(".maps");

int tail1(struct __sk_buff *skb);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} jmp SEC(".maps") = {
	.values = { [2] = (void *)&tail1 },
};

int global_data = 7;
__attribute__((visibility("hidden"))) int hidden_var = 9;
static volatile int sv1 = 3;
const volatile int ro_global = 42;
const volatile __u64 ro_table[4] = { 1, 2, 3, 4 };
int bss_counter;
static volatile int static_bss;
int custom_data SEC(".data.custom") = 5;
const volatile int mine SEC(".rodata.mine") = 11;

extern int CONFIG_HZ __kconfig;
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_BPF4J_MISSING_THING __kconfig __weak;

static __attribute__((noinline)) int static_helper(int x)
{
	return x * 3 + sv1;
}

__attribute__((noinline)) int global_helper(int x)
{
	return static_helper(x) + global_data;
}

__attribute__((noinline, visibility("hidden"))) int hidden_helper(int x)
{
	return x + hidden_var + ro_global;
}

static int loop_cb(__u32 idx, void *ctx)
{
	bss_counter += idx;
	return 0;
}

SEC("socket")
int s1(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u32 *v = bpf_map_lookup_elem(&in1, &k);
	return v ? *v + custom_data : mine;
}

SEC("socket")
int s2(struct __sk_buff *skb)
{
	return global_helper(skb->len) + ro_table[skb->len & 3];
}

SEC("socket")
int tail1(struct __sk_buff *skb)
{
	static_bss++;
	return 1;
}

SEC("kprobe/do_nanosleep")
int kp(void *ctx)
{
	__u64 key = bpf_get_current_pid_tgid();
	__u32 one = 1, *val;
	char *rec;

	bpf_loop(4, loop_cb, NULL, 0);
	val = bpf_map_lookup_elem(&hsh, &key);
	if (!val)
		bpf_map_update_elem(&hsh, &key, &one, BPF_ANY);
	rec = bpf_ringbuf_reserve(&rb, 8, 0);
	if (rec) {
		rec[0] = CONFIG_HZ;
		rec[1] = LINUX_KERNEL_VERSION;
		rec[2] = CONFIG_BPF4J_MISSING_THING;
		bpf_ringbuf_submit(rec, 0);
	}
	bpf_map_push_elem(&bloom, &one, BPF_ANY);
	bpf_printk("kp %d", global_helper(key));
	bpf_tail_call(ctx, &jmp, 2);
	return 0;
}

SEC("xdp")
int xdp_prog(struct xdp_md *ctx)
{
	__u32 k = 1;
	void *m = bpf_map_lookup_elem(&outer, &k);
	return static_helper(ctx->ingress_ifindex) + hidden_helper(m != 0) + (bpf_map_lookup_elem(&arr, &k) != 0);
}

SEC("?tp/syscalls/sys_enter_getpid")
int maybe(void *ctx)
{
	const char *s = "a string literal through a pointer";
	return s[global_data & 7];
}
