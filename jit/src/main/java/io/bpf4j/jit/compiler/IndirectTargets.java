package io.bpf4j.jit.compiler;

import io.bpf4j.isa.facts.Facts;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.internal.DecodedProgram;
import java.util.Arrays;

/**
 * The verifier's target set of each {@code callx} and {@code gotox} ({@link Facts#INDIRECT_TARGETS}),
 * where the compiler can use it: a {@code callx} whose targets all start functions of the program,
 * a {@code gotox} whose targets all start instructions of its own function. Such an instruction
 * dispatches with a switch over exactly these targets (direct calls, direct jumps); its basic
 * blocks and chunk entries need only these targets. Facts that do not fit the program (facts
 * proved for other instructions, or none at all) are ignored: the instruction then dispatches
 * through the function table or over every slot of its function, as without facts.
 */
final class IndirectTargets {
    private static final IndirectTargets NONE = new IndirectTargets(new int[0][]);

    /** Per slot, the usable target slots (ascending, distinct), or {@code null}. */
    private final int[][] bySlot;
    private final int count;

    private IndirectTargets(int[][] bySlot) {
        this.bySlot = bySlot;
        this.count = (int) java.util.Arrays.stream(bySlot).filter(java.util.Objects::nonNull).count();
    }

    /** How many instructions have known targets (each dispatches with a switch over them). */
    int count() {
        return count;
    }

    static IndirectTargets of(ProgramImage image, DecodedProgram code) {
        if (image.facts().isEmpty()) {
            return NONE;
        }
        int[] op = code.op();
        int[][] by = new int[code.length()][];
        boolean any = false;
        for (int f = 0; f < code.functionCount(); f++) {
            int start = code.functionStart(f);
            int end = code.functionEnd(f);
            for (int pc = start; pc < end; pc++) {
                if (!code.startsInstruction(pc) || op[pc] != 0x8d && op[pc] != 0x0d) {
                    continue;
                }
                int[] t = image.facts().get(pc, Facts.INDIRECT_TARGETS).orElse(null);
                if (t == null || t.length == 0) {
                    continue;
                }
                int[] sorted = Arrays.stream(t).sorted().distinct().toArray();
                boolean fits = true;
                for (int slot : sorted) {
                    fits &= op[pc] == 0x8d ? code.functionAt(slot) >= 0
                            : slot >= start && slot < end && code.startsInstruction(slot);
                }
                if (fits) {
                    by[pc] = sorted;
                    any = true;
                }
            }
        }
        return any ? new IndirectTargets(by) : NONE;
    }

    /** The targets of the {@code callx} or {@code gotox} at {@code pc}, or {@code null} when unknown. */
    int[] at(int pc) {
        return pc >= 0 && pc < bySlot.length ? bySlot[pc] : null;
    }

    /** Whether any {@code gotox} in slots {@code [from, to]} has no known targets (it may jump to any slot of its function). */
    boolean anyUnknownGotox(DecodedProgram code, int from, int to) {
        for (int pc = from; pc <= to; pc++) {
            if (BasicBlocks.emitted(code, pc) && code.op()[pc] == 0x0d && at(pc) == null) {
                return true;
            }
        }
        return false;
    }
}
