package io.bpf4j.jit.compiler;

import io.bpf4j.jit.internal.DecodedProgram;

/**
 * The basic blocks of one function, for the instruction budget: a block is entered only at its
 * first instruction and left only after its last, so compiled code can compare the budget with
 * the block's length once on entry instead of counting every instruction.
 *
 * <p>A block ends at every instruction that can transfer control or run other code (jumps,
 * {@code may_goto}, {@code gotox}, calls, tail calls, {@code exit}, {@code LD_ABS}/{@code LD_IND},
 * which may leave the function, and illegal slots); the instructions before its last one are
 * straight-line code (ALU, loads, stores, atomics, {@code ld_imm64}). A function with
 * {@code gotox} whose targets the verifier's facts do not give ({@link IndirectTargets}) may jump
 * to any of its instructions, so there every instruction is a block; a {@code gotox}'s known
 * targets start blocks.
 */
final class BasicBlocks {
    private final int start;
    private final int last;
    /** Per slot from {@code start}: the number of instructions of the block it starts, or 0. */
    private final int[] length;

    /**
     * @param start the function's first slot
     * @param last  its last slot, inclusive (the last function also holds the slot past the end)
     * @param chunks how the function is cut into methods, or {@code null}: each chunk starts a block
     * @param indirect the known targets of its {@code gotox} instructions
     */
    BasicBlocks(DecodedProgram code, int start, int last, FunctionChunks chunks, IndirectTargets indirect) {
        this.start = start;
        this.last = last;
        int[] op = code.op();
        boolean[] leader = new boolean[last - start + 1];
        boolean anyTarget = indirect.anyUnknownGotox(code, start, last);
        boolean next = true;
        for (int pc = start; pc <= last; pc++) {
            if (!emitted(code, pc)) {
                continue;
            }
            if (next || anyTarget || pc == code.length() || chunks != null && chunks.startsChunk(pc)) {
                leader[pc - start] = true;
            }
            int o = op[pc];
            next = endsBlock(o);
            if (jumps(o)) {
                int t = code.target()[pc];
                if (t >= start && t <= last) {
                    leader[t - start] = true;
                }
            } else if (o == 0x0d && indirect.at(pc) != null) {
                for (int t : indirect.at(pc)) {
                    leader[t - start] = true;
                }
            }
        }
        length = new int[last - start + 1];
        int head = -1;
        for (int pc = start; pc <= last; pc++) {
            if (!emitted(code, pc)) {
                continue;
            }
            if (leader[pc - start]) {
                head = pc;
            }
            length[head - start]++;
        }
    }

    static boolean emitted(DecodedProgram code, int pc) {
        return pc == code.length() || code.startsInstruction(pc);
    }

    /** Whether {@code op} has a jump target in {@code DecodedProgram.target()}. */
    static boolean jumps(int op) {
        return op == 0x05 || op == 0x06 || op == 0xe5 || CodeGenerator.isConditionalJump(op);
    }

    /** Whether only straight-line code of a block may come before an instruction of kind {@code op}: false for every block end. */
    static boolean endsBlock(int op) {
        return !straightLine(op);
    }

    /** ALU, moves, {@code ld_imm64}, loads, stores and atomics: what may run in the middle of a block. */
    static boolean straightLine(int op) {
        return CodeGenerator.ALU_CALLS.containsKey(op) || mayFault(op) || switch (op) {
            case 0x07, 0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x47, 0x4f, 0x57, 0x5f, 0xa7, 0xaf, 0x87, 0xb7, 0xbf, 0x18,
                    DecodedProgram.LD_STATIC, 0x84, 0xb4, 0xbc, DecodedProgram.MOVSX64_8, DecodedProgram.MOVSX64_16,
                    DecodedProgram.MOVSX64_32, DecodedProgram.MOVSX32_8, DecodedProgram.MOVSX32_16, 0xd7, 0xdc, 0xd4 -> true;
            default -> false;
        };
    }

    /** Whether an instruction of kind {@code op} is a memory access (load, store, atomic): the straight-line code that may fault. */
    static boolean mayFault(int op) {
        return switch (op) {
            case 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91, 0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb, 0xcb, 0xd3 -> true;
            default -> false;
        };
    }

    /** The number of instructions of the block starting at {@code pc}, or 0 when no block starts there. */
    int lengthAt(int pc) {
        return pc < start || pc > last ? 0 : length[pc - start];
    }
}
