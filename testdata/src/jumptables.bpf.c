// SPDX-License-Identifier: GPL-2.0
/* Jump tables and gotox in LLVM 22's format, which clang-19 cannot emit: the code is written
 * as inline assembly that clang-19's integrated assembler (the one llvm-mc-19 uses) turns into
 * exactly what LLVM 22 writes (docs/reference/indirect-calls-and-jumps.md §4.2):
 *   - a section ".jumptables", SHT_PROGBITS, flags 0, holding every table;
 *   - per table a symbol BPF.JT.<function number>.<table number>, STT_OBJECT, STB_GLOBAL,
 *     st_size = 8 * entries;
 *   - entries: 8-byte byte offsets of the target block from the start of the code section
 *     of the function (".quad label - <section>", resolved by the assembler: no relocation,
 *     no .rel.jumptables, as after llvm-project #166301);
 *   - "rX = BPF.JT.F.J ll" with R_BPF_64_64 against the table symbol, implicit addend 0;
 *   - gotox rX (0x0d, register in dst_reg) written as raw bytes (no mnemonic in LLVM 19).
 * The F in BPF.JT.F.J is the function's number in definition order in this file.
 * Shapes: a 13-case switch (LLVM's bpf-min-jump-table-entries), a table in a .text
 * subprogram used by two programs (two maps, different offsets), a table loaded twice in one
 * program (one map), a computed goto over a label array and a single block address
 * (a 1-entry table). The kernel here rejects gotox ("unknown opcode 0d").
 * bpf4j-cpu: v4; bpf4j-clang22: v4
 * bpf4j-endian: el eb */
#include "bpf4j_test.h"

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define GOTOX_R1 ".byte 0x0d, 0x10, 0, 0, 0, 0, 0, 0;"
#else
#define GOTOX_R1 ".byte 0x0d, 0x01, 0, 0, 0, 0, 0, 0;"
#endif

#define JT_BEGIN(name, n)                     \
	".pushsection .jumptables,\"\",@progbits;" \
	".p2align 3;"                             \
	".globl " name ";"                        \
	".type " name ",@object;"                 \
	".size " name ", " #n " * 8;"             \
	name ":"
#define JT_END ".popsection;"

struct jt_ctx {
	__u32 x;
	__u32 y;
	__u64 out;
};

/* function 0: a plain subprogram placed first in .text, so jt_classify does not start at 0 */
static __attribute__((naked)) __noinline __u64 jt_helper(__u64 x)
{
	asm volatile(
	"r0 = r1;"
	"r0 *= 3;"
	"r0 += 1;"
	"exit;"
	);
}

/* function 1: a 13-entry switch in a .text subprogram: x in 0..2 -> 1, 3..6 -> 2, odd 7..11
 * -> 4, even 8..12 -> 3, anything else -> 0 */
static __attribute__((naked)) __noinline __u64 jt_classify(__u64 x)
{
	asm volatile(
	"if r1 > 12 goto 9f;"
	"r1 <<= 3;"
	"r2 = BPF.JT.1.0 ll;"
	"r2 += r1;"
	"r1 = *(u64 *)(r2 + 0);"
	GOTOX_R1
	"1: r0 = 1; exit;"
	"2: r0 = 2; exit;"
	"3: r0 = 3; exit;"
	"4: r0 = 4; exit;"
	"9: r0 = 0; exit;"
	JT_BEGIN("BPF.JT.1.0", 13)
	".quad 1b - .text; .quad 1b - .text; .quad 1b - .text;"
	".quad 2b - .text; .quad 2b - .text; .quad 2b - .text; .quad 2b - .text;"
	".quad 4b - .text; .quad 3b - .text; .quad 4b - .text; .quad 3b - .text;"
	".quad 4b - .text; .quad 3b - .text;"
	JT_END
	);
}

/* function 2: computed goto, first in its section: a label array of three (BPF.JT.2.0) and,
 * for x > 2, a single block address (BPF.JT.2.1) */
SEC("syscall")
__attribute__((naked)) int jt_computed(struct jt_ctx *ctx)
{
	asm volatile(
	"r1 = *(u32 *)(r1 + 0);"
	"if r1 > 2 goto 8f;"
	"r1 <<= 3;"
	"r2 = BPF.JT.2.0 ll;"
	"r2 += r1;"
	"r1 = *(u64 *)(r2 + 0);"
	GOTOX_R1
	"1: r0 = 100; exit;"
	"2: r0 = 200; exit;"
	"3: r0 = 300; exit;"
	"8: r2 = BPF.JT.2.1 ll;"
	"r1 = *(u64 *)(r2 + 0);"
	GOTOX_R1
	"4: r0 = 400; exit;"
	JT_BEGIN("BPF.JT.2.0", 3)
	".quad 1b - syscall; .quad 2b - syscall; .quad 3b - syscall;"
	JT_BEGIN("BPF.JT.2.1", 1)
	".quad 4b - syscall;"
	JT_END
	);
}

/* function 3: a 13-case switch on ctx->x, second in its section; when x is out of range the
 * same table dispatches ctx->y from a second load of BPF.JT.3.0 */
SEC("syscall")
__attribute__((naked)) int jt_switch(struct jt_ctx *ctx)
{
	asm volatile(
	"r6 = r1;"
	"r1 = *(u32 *)(r6 + 0);"
	"if r1 > 12 goto 7f;"
	"r1 <<= 3;"
	"r2 = BPF.JT.3.0 ll;"
	"r2 += r1;"
	"r1 = *(u64 *)(r2 + 0);"
	GOTOX_R1
	"7: r1 = *(u32 *)(r6 + 4);"
	"if r1 > 12 goto 9f;"
	"r1 <<= 3;"
	"r3 = BPF.JT.3.0 ll;"
	"r3 += r1;"
	"r1 = *(u64 *)(r3 + 0);"
	GOTOX_R1
	"1: r0 = 10; exit;"
	"2: r0 = 20; exit;"
	"3: r0 = 30; exit;"
	"4: r0 = 40; exit;"
	"5: r0 = 50; exit;"
	"9: r0 = -1; exit;"
	JT_BEGIN("BPF.JT.3.0", 13)
	".quad 1b - syscall; .quad 2b - syscall; .quad 3b - syscall; .quad 4b - syscall;"
	".quad 5b - syscall; .quad 1b - syscall; .quad 2b - syscall; .quad 3b - syscall;"
	".quad 4b - syscall; .quad 5b - syscall; .quad 1b - syscall; .quad 2b - syscall;"
	".quad 9b - syscall;"
	JT_END
	);
}

/* functions 4 and 5: two programs appending jt_classify at different offsets (jt_sub_b first,
 * so that clang places jt_helper before jt_classify in .text) */
SEC("syscall")
int jt_sub_b(struct jt_ctx *ctx)
{
	__u64 h = jt_helper(ctx->y);

	ctx->out = jt_classify(ctx->x) + h;
	return 0;
}

SEC("syscall")
int jt_sub_a(struct jt_ctx *ctx)
{
	ctx->out = jt_classify(ctx->x);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
