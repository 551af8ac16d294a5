// SPDX-License-Identifier: GPL-2.0
/* The rules of Linux 6.19's gotox, one program per rule and side, in LLVM 22's jump-table
 * layout written as inline assembly as in jumptables.bpf.c (clang-19 cannot emit gotox): a
 * bounded index loaded whole from a jump table is accepted; gotox through a number, a function
 * without jump tables, a load past the table, a partial or misaligned load, a store into the
 * table, pointer subtraction and reserved fields are rejected with 6.19's messages. The
 * expected verdicts are in IndirectRulesTest. This kernel rejects gotox ("unknown opcode 0d");
 * libbpf 1.1 refuses the object (.jumptables).
 * bpf4j-cpu: v4; bpf4j-clang22: v4
 * bpf4j-endian: el */
#include "bpf4j_test.h"

#define GOTOX_R1 ".byte 0x0d, 0x01, 0, 0, 0, 0, 0, 0;"
/* gotox r1 with off = 1: a reserved field */
#define GOTOX_R1_OFF1 ".byte 0x0d, 0x01, 0x01, 0, 0, 0, 0, 0;"

#define JT_BEGIN(name, n)                     \
	".pushsection .jumptables,\"\",@progbits;" \
	".p2align 3;"                             \
	".globl " name ";"                        \
	".type " name ",@object;"                 \
	".size " name ", " #n " * 8;"             \
	name ":"
#define JT_END ".popsection;"

/* the three targets every program below jumps to */
#define TARGETS \
	"1: r0 = 10; exit;" \
	"2: r0 = 20; exit;" \
	"3: r0 = 30; exit;"
#define TABLE(name) \
	JT_BEGIN(name, 3) \
	".quad 1b - syscall; .quad 2b - syscall; .quad 3b - syscall;" \
	JT_END

/* accepted: the index is checked against the table's three entries */
SEC("syscall")
__attribute__((naked)) int gx_bounded(void *ctx)
{
	asm volatile(
	"r1 = *(u32 *)(r1 + 0);"
	"if r1 > 2 goto 9f;"
	"r1 <<= 3;"
	"r2 = BPF.JT.0.0 ll;"
	"r2 += r1;"
	"r1 = *(u64 *)(r2 + 0);"
	GOTOX_R1
	TARGETS
	"9: r0 = 0; exit;"
	TABLE("BPF.JT.0.0")
	);
}

/* accepted: the index is one of the last two entries (targets 2b and 3b only) */
SEC("syscall")
__attribute__((naked)) int gx_bounded_range(void *ctx)
{
	asm volatile(
	"r1 = *(u32 *)(r1 + 0);"
	"if r1 < 1 goto 9f;"
	"if r1 > 2 goto 9f;"
	"r1 <<= 3;"
	"r2 = BPF.JT.1.0 ll;"
	"r2 += r1;"
	"r1 = *(u64 *)(r2 + 0);"
	GOTOX_R1
	TARGETS
	"9: r0 = 0; exit;"
	TABLE("BPF.JT.1.0")
	);
}

/* rejected: gotox through a number (R1 has type scalar, expected PTR_TO_INSN) */
SEC("syscall")
__attribute__((naked)) int gx_scalar(void *ctx)
{
	asm volatile(
	"r2 = BPF.JT.2.0 ll;"
	"r1 = *(u32 *)(r1 + 0);"
	GOTOX_R1
	TARGETS
	TABLE("BPF.JT.2.0")
	);
}

/* rejected: gotox in a function that loads no jump table (no jump tables found) */
SEC("syscall")
__attribute__((naked)) int gx_no_table(void *ctx)
{
	asm volatile(
	"r1 = *(u32 *)(r1 + 0);"
	GOTOX_R1
	"r0 = 0; exit;"
	);
}

/* rejected: the check lets the index one past the table (max value is outside) */
SEC("syscall")
__attribute__((naked)) int gx_past_end(void *ctx)
{
	asm volatile(
	"r1 = *(u32 *)(r1 + 0);"
	"if r1 > 3 goto 9f;"
	"r1 <<= 3;"
	"r2 = BPF.JT.4.0 ll;"
	"r2 += r1;"
	"r1 = *(u64 *)(r2 + 0);"
	GOTOX_R1
	TARGETS
	"9: r0 = 0; exit;"
	TABLE("BPF.JT.4.0")
	);
}

/* rejected: a 4-byte load of an entry (Invalid read of 4 bytes from insn_array) */
SEC("syscall")
__attribute__((naked)) int gx_partial_load(void *ctx)
{
	asm volatile(
	"r2 = BPF.JT.5.0 ll;"
	"r1 = *(u32 *)(r2 + 0);"
	GOTOX_R1
	TARGETS
	TABLE("BPF.JT.5.0")
	);
}

/* rejected: a load between two entries (misaligned value access) */
SEC("syscall")
__attribute__((naked)) int gx_misaligned(void *ctx)
{
	asm volatile(
	"r1 = *(u32 *)(r1 + 0);"
	"r1 &= 8;"
	"r1 |= 4;"
	"r2 = BPF.JT.6.0 ll;"
	"r2 += r1;"
	"r1 = *(u64 *)(r2 + 0);"
	GOTOX_R1
	TARGETS
	TABLE("BPF.JT.6.0")
	);
}

/* rejected: a store into the table (writes into insn_array not allowed) */
SEC("syscall")
__attribute__((naked)) int gx_store(void *ctx)
{
	asm volatile(
	"r2 = BPF.JT.7.0 ll;"
	"r1 = 0;"
	"*(u64 *)(r2 + 8) = r1;"
	"r1 = *(u64 *)(r2 + 0);"
	GOTOX_R1
	TARGETS
	TABLE("BPF.JT.7.0")
	);
}

/* rejected: pointer subtraction on the table (subtraction from pointer to instruction prohibited) */
SEC("syscall")
__attribute__((naked)) int gx_subtract(void *ctx)
{
	asm volatile(
	"r1 = *(u32 *)(r1 + 0);"
	"r1 &= 8;"
	"r2 = BPF.JT.8.0 ll;"
	"r2 += 16;"
	"r2 -= r1;"
	"r1 = *(u64 *)(r2 + 0);"
	GOTOX_R1
	TARGETS
	TABLE("BPF.JT.8.0")
	);
}

/* rejected: gotox with a non-zero off field (BPF_JA|BPF_X uses reserved fields) */
SEC("syscall")
__attribute__((naked)) int gx_reserved_field(void *ctx)
{
	asm volatile(
	"r2 = BPF.JT.9.0 ll;"
	"r1 = *(u64 *)(r2 + 0);"
	GOTOX_R1_OFF1
	TARGETS
	TABLE("BPF.JT.9.0")
	);
}

char LICENSE[] SEC("license") = "GPL";
