// SPDX-License-Identifier: GPL-2.0
/* cpu v4 instructions: sign-extending loads (ldsx b/h/w), sign-extending moves (movsx
 * 8/16/32 in 32 and 64 bits), signed division and modulo (sdiv/smod, 32 and 64 bits),
 * unconditional byte swaps (bswap16/32/64), and gotol (a jump with a 32-bit offset in imm,
 * written in inline assembly).
 * Self-checking.
 * bpf4j-cpu: v4; bpf4j-clang22: v4
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"

volatile __s8 s8v = -5;
volatile __s16 s16v = -300;
volatile __s32 s32v = -70000;
volatile __u64 wide = 0x0102030405060708ULL;

SEC("syscall")
int cpuv4_check(void *ctx)
{
	__s64 x;
	__s32 y;
	__u64 u = OPAQUE(0x80ULL);

	x = s8v;
	CHECK(x == -5);
	x = s16v;
	CHECK(x == -300);
	x = s32v;
	CHECK(x == -70000);

	x = (__s8)u;
	CHECK(x == -128);
	y = (__s16)OPAQUE(0x8001u);
	CHECK(y == -32767);
	x = (__s32)OPAQUE(0xffffffffULL);
	CHECK(x == -1);

	x = OPAQUE(-17LL);
	CHECK(x / 5 == -3);
	CHECK(x % 5 == -2);
	y = OPAQUE(-17);
	CHECK(y / OPAQUE(-5) == 3);
	CHECK(y % OPAQUE(-5) == -2);

	CHECK(__builtin_bswap64(wide) == 0x0807060504030201ULL);
	CHECK(__builtin_bswap32((__u32)wide) == 0x08070605);
	CHECK(__builtin_bswap16((__u16)wide) == 0x0807);
	return 0;
}

/* clang emits gotol only for branches farther than 32767 instructions, which would make
 * this object huge; inline assembly spells one (and a gotol backwards past a guard). */
SEC("syscall")
int cpuv4_gotol(void *ctx)
{
	__u64 r;

	asm volatile("r0 = 1;"
		     "if r0 == 2 goto +1;" /* keeps "r0 = 2" reachable for the verifier's CFG check */
		     "gotol +2;"
		     "r0 = 2;"
		     "goto +2;"
		     "r0 += 40;"
		     "gotol -3;"
		     "%[r] = r0;"
		     : [r] "=r"(r)
		     :
		     : "r0");
	CHECK(r == 41);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
