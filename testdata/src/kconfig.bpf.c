// SPDX-License-Identifier: GPL-2.0
/* .kconfig externs: LINUX_KERNEL_VERSION, a bool, a tristate, an int and a string config,
 * __weak externs that may be absent; plus a typeless extern __ksym (resolved from
 * /proc/kallsyms; a function, since this kernel lists no data symbols there) and a weak
 * extern __ksym that does not exist (resolved to 0).
 * bpf4j-cpu: v1 v3 v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

extern int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern int CONFIG_HZ __kconfig __weak;
extern char CONFIG_LOCALVERSION[16] __kconfig __weak;
extern _Bool CONFIG_BPF4J_DOES_NOT_EXIST __kconfig __weak;
extern const void bpf_prog_put __ksym __weak;
extern const void bpf4j_no_such_symbol __ksym __weak;

__u64 seen_version;
__u64 seen_hz;

SEC("syscall")
int kconfig_check(void *ctx)
{
	seen_version = LINUX_KERNEL_VERSION;
	seen_hz = CONFIG_HZ;
	CHECK(LINUX_KERNEL_VERSION >= 0x050000);
	CHECK(CONFIG_BPF_SYSCALL);
	CHECK(CONFIG_BPF_JIT != TRI_NO);
	CHECK(!CONFIG_BPF4J_DOES_NOT_EXIST);
	CHECK(CONFIG_HZ == 0 || CONFIG_HZ >= 100);
	CHECK(CONFIG_LOCALVERSION[15] == 0);
	CHECK(&bpf4j_no_such_symbol == 0);
	CHECK(&bpf_prog_put != 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
