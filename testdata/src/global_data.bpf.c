// SPDX-License-Identifier: GPL-2.0
/* Global data: .data, .rodata (const and const volatile), .bss, custom .data.foo and
 * .rodata.bar sections (one map each in libbpf), a struct and an array in global data,
 * static (local-symbol) and non-static globals, and string literals. Self-checking: the
 * initial values must arrive in the maps intact.
 * bpf4j-cpu: v1 v2 v3 v4
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"

struct point {
	__s32 x;
	__s32 y;
	__u64 tag;
};

int counter = 41;                                 /* .data */
static __u64 hidden = 0x1122334455667788ULL;      /* .data, local symbol */
struct point origin = { .x = -3, .y = 4, .tag = 7 }; /* .data */
__u64 zeroes[4];                                  /* .bss */
static __u32 hidden_zero;                         /* .bss, local symbol */
const __u32 primes[5] = { 2, 3, 5, 7, 11 };       /* .rodata */
const volatile __u32 tunable = 100;               /* .rodata, rewritable before load */
int foo_counter SEC(".data.foo") = 5;             /* custom data section */
__u64 foo_array[3] SEC(".data.foo") = { 1, 2, 3 };
const char bar_message[16] SEC(".rodata.bar") = "hello, bar";
const __u16 bar_short SEC(".rodata.bar") = 0xbeef;

SEC("syscall")
int global_data_check(void *ctx)
{
	__u32 i, sum = 0;

	CHECK(counter == 41);
	CHECK(hidden == 0x1122334455667788ULL);
	CHECK(origin.x == -3 && origin.y == 4 && origin.tag == 7);
	CHECK(zeroes[OPAQUE(2)] == 0);
	CHECK(hidden_zero == 0);
	for (i = 0; i < 5; i++)
		sum += primes[OPAQUE(i)];
	CHECK(sum == 28);
	CHECK(tunable == 100);
	CHECK(foo_counter == 5);
	CHECK(foo_array[OPAQUE(2)] == 3);
	CHECK(bar_message[OPAQUE(7)] == 'b');
	CHECK(bar_short == 0xbeef);
	return 0;
}

SEC("syscall")
int global_data_write(void *ctx)
{
	counter++;
	hidden ^= 0xff;
	zeroes[1] = 9;
	hidden_zero = 1;
	foo_counter += 10;
	origin.tag = counter;
	CHECK(counter == 42);
	CHECK(origin.tag == 42);
	CHECK(foo_counter == 15);
	return 0;
}

SEC("tp/syscalls/sys_enter_getpid")
int global_data_printk(void *ctx)
{
	bpf_printk("counter=%d tunable=%u", counter, tunable);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
