// SPDX-License-Identifier: GPL-2.0
/* ALU semantics an interpreter must get exactly right: 32-bit ops zero the upper half,
 * unsigned division and modulo by zero (x/0 = 0, x%0 = x), shift counts masked to the
 * width (in assembly), arithmetic right shift, negation, wrap-around, 64-bit immediates, and signed and
 * unsigned comparisons in 32 and 64 bits (the jmp32 class from cpu v2 on). Self-checking.
 * bpf4j-cpu: v1 v2 v3 v4
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"

SEC("syscall")
int alu_check(void *ctx)
{
	__u64 a = OPAQUE(0xffffffffffffffffULL);
	__u32 w = OPAQUE(0xffffffffu);
	__s64 s = OPAQUE(-8LL);
	__s32 sw = OPAQUE(-8);
	__u64 zero = OPAQUE(0ULL);
	__u32 zero32 = OPAQUE(0u);

	CHECK((__u64)(__u32)(w + 1) == 0);
	CHECK((__u64)(w + OPAQUE(2u)) == 1);
	CHECK(a + 1 == 0);
	CHECK(a * a == 1);
	/* division by zero is undefined in C (clang rewrites x / y == 0 to x < y), so the BPF
	 * semantics (x / 0 = 0, x % 0 = x) are checked in assembly in alu_shift_mask */
	CHECK(OPAQUE(100ULL) / (zero + 7) == 14);
	CHECK(OPAQUE(100u) % (zero32 + 7) == 2);
	CHECK(OPAQUE(1000000007ULL) / 13 == 76923077);
	CHECK(OPAQUE(1000000007ULL) % 13 == 6);
	CHECK((s >> 1) == -4);
	CHECK((sw >> 2) == -2);
	CHECK(((__u64)s >> 60) == 0xf);
	CHECK((OPAQUE(1ULL) << 63) == 0x8000000000000000ULL);
	CHECK((OPAQUE(1u) << 31) == 0x80000000u);
	CHECK(-s == 8);
	CHECK(-sw == 8);
	CHECK(OPAQUE(0x123456789abcdef0ULL) == 0x123456789abcdef0ULL);
	CHECK((OPAQUE(0x123456789abcdef0ULL) ^ 0xffffffff00000000ULL) == 0xedcba9879abcdef0ULL);
	CHECK(s < 0);
	CHECK(!((__u64)s < 0x100));
	CHECK(sw < OPAQUE(1));
	CHECK(w > OPAQUE(1u));
	CHECK((__s32)w == -1);
	CHECK((OPAQUE(0x0f0fULL) & 0xff) == 0x0f);
	CHECK((OPAQUE(0x0f00ULL) | 0xf) == 0x0f0f);
	CHECK(OPAQUE(7ULL) * 6 == 42);
	CHECK(OPAQUE(50ULL) - 8 == 42);
	return 0;
}

/* Shifts by a register mask the count (63 or 31) and division by zero gives 0 (modulo
 * gives the dividend): both undefined in C, so written in assembly. */
SEC("syscall")
int alu_shift_mask(void *ctx)
{
	__u64 r;

	asm volatile("r0 = 1; r1 = 65; r0 <<= r1; %0 = r0" : "=r"(r) :: "r0", "r1");
	CHECK(r == 2);
#if __BPF_CPU_VERSION__ >= 3 /* 32-bit registers (w) in assembly need alu32 */
	asm volatile("w0 = 1; w1 = 33; w0 <<= w1; %0 = r0" : "=r"(r) :: "r0", "r1");
	CHECK(r == 2);
	asm volatile("r0 = -1; w0 += 0; %0 = r0" : "=r"(r) :: "r0");
	CHECK(r == 0xffffffff);
#endif
	asm volatile("r0 = -16; r0 s>>= 2; %0 = r0" : "=r"(r) :: "r0");
	CHECK(r == (__u64)-4);
	asm volatile("r0 = 100; r1 = 0; r0 /= r1; %0 = r0" : "=r"(r) :: "r0", "r1");
	CHECK(r == 0);
	asm volatile("r0 = 100; r1 = 0; r0 %%= r1; %0 = r0" : "=r"(r) :: "r0", "r1");
	CHECK(r == 100);
#if __BPF_CPU_VERSION__ >= 3
	asm volatile("r0 = -1; w1 = 0; w0 %%= w1; %0 = r0" : "=r"(r) :: "r0", "r1");
	CHECK(r == 0xffffffff); /* 32-bit modulo by zero keeps the dividend's low half, zero-extended */
	asm volatile("r0 = -1; w1 = 0; w0 /= w1; %0 = r0" : "=r"(r) :: "r0", "r1");
	CHECK(r == 0);
#endif
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
