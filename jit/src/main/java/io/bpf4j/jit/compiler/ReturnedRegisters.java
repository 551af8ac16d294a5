package io.bpf4j.jit.compiler;

import io.bpf4j.jit.internal.DecodedProgram;

/**
 * Which of r1-r5 are read after a bpf-to-bpf call returns. The interpreter's callee shares its
 * caller's register file, so after a call the caller sees the callee's r1-r5; generated methods
 * hand them back through {@code CompiledState.ret}, five stores at each exit and five loads after
 * each call. Most are never read (the calling convention clobbers r1-r5, and a verified program
 * never reads them before writing them), so a function's exit stores only the registers some
 * caller may read after calling it, and a call reloads only the registers read after it.
 *
 * <p>A liveness analysis of each function (backward, over its slots) gives what is read after
 * each call; a call reads what its callee may read on entry, an exit what the function's callers
 * read after calling it, so the functions' masks are solved together until they stop growing.
 * It is conservative where it cannot see: {@code callx} may call any function and read any
 * register, a helper reads r1-r5, and an instruction is taken to read both of its register fields.
 * A tail call that runs its target leaves the function as an exit does (the target runs on a
 * register file of its own, as in the interpreter): it hands back the function's own registers.
 */
final class ReturnedRegisters {
    static final int R1_R5 = 0b11_1110;

    private final DecodedProgram code;
    private final int[] op;
    private final IndirectTargets indirect;
    /** Per function: r1-r5 some caller may read after it returns (bit r for register r). */
    private final int[] atExit;
    /** Per function: the registers it may read before writing them. */
    private final int[] atEntry;
    /** Per slot of a call: the registers read after it returns. */
    private final int[] afterCall;

    private ReturnedRegisters(DecodedProgram code, IndirectTargets indirect) {
        this.code = code;
        this.op = code.op();
        this.indirect = indirect;
        int n = code.functionCount();
        atExit = new int[n];
        atEntry = new int[n];
        afterCall = new int[code.length() + 1];
    }

    static ReturnedRegisters of(DecodedProgram code, IndirectTargets indirect, CodeGenerator gen) {
        ReturnedRegisters r = new ReturnedRegisters(code, indirect);
        int n = code.functionCount();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int f = 0; f < n; f++) {
                int entry = r.atEntry[f] | r.liveness(f, code.functionStart(f), gen.lastSlot(f));
                changed |= entry != r.atEntry[f];
                r.atEntry[f] = entry;
                for (int pc = code.functionStart(f); pc <= gen.lastSlot(f); pc++) {
                    if (!BasicBlocks.emitted(code, pc)) {
                        continue;
                    }
                    if (r.op[pc] == DecodedProgram.CALL_LOCAL) {
                        changed |= r.returns(code.target()[pc], r.afterCall[pc]);
                    } else if (r.op[pc] == 0x8d) {
                        for (int c = 0; c < n; c++) {
                            changed |= r.returns(c, r.afterCall[pc]);
                        }
                    }
                }
            }
        }
        return r;
    }

    /** Adds {@code live} (of r1-r5) to what function {@code f} hands back; whether that grew. */
    private boolean returns(int f, int live) {
        int m = atExit[f] | live & R1_R5;
        boolean grew = m != atExit[f];
        atExit[f] = m;
        return grew;
    }

    /** r1-r5 that function {@code f}'s exits store for the caller (bit r for register r). */
    int atExit(int f) {
        return atExit[f];
    }

    /** r1-r5 read after the call at slot {@code pc} (bit r for register r). */
    int afterCall(int pc) {
        return afterCall[pc] & R1_R5;
    }

    /** One pass of the function's liveness to its fixpoint; records what is live after each call; returns what is live on entry. */
    private int liveness(int f, int start, int last) {
        int[] in = new int[last - start + 1];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int pc = last; pc >= start; pc--) {
                if (!BasicBlocks.emitted(code, pc)) {
                    continue;
                }
                int out = liveOut(pc, start, last, in);
                int o = op[pc];
                if (o == DecodedProgram.CALL_LOCAL || o == 0x8d) {
                    afterCall[pc] = out;
                }
                int live = reads(f, pc) | out & ~writes(pc);
                if (live != in[pc - start]) {
                    in[pc - start] = live;
                    changed = true;
                }
            }
        }
        return in[0];
    }

    private static int bit(int r) {
        return r >= 0 && r <= 10 ? 1 << r : 0;
    }

    private int reads(int f, int pc) {
        int o = op[pc];
        int r = switch (o) {
            // moves of a constant: nothing; moves and loads: their source only
            case 0xb7, 0xb4, 0x18, DecodedProgram.LD_STATIC -> 0;
            case 0xbf, 0xbc, DecodedProgram.MOVSX64_8, DecodedProgram.MOVSX64_16, DecodedProgram.MOVSX64_32,
                    DecodedProgram.MOVSX32_8, DecodedProgram.MOVSX32_16 -> bit(code.src()[pc]);
            default -> (o & 0x07) == 0x01 ? bit(code.src()[pc]) : bit(code.dst()[pc]) | bit(code.src()[pc]);
        };
        return switch (o) {
            case 0x85, 0x8d -> r | R1_R5;
            case DecodedProgram.TAIL_CALL -> r | R1_R5 | atExit[f];
            case DecodedProgram.CALL_LOCAL -> r | atEntry[code.target()[pc]];
            // an exit, and LD_ABS/LD_IND, which exits when the load is outside the packet
            case 0x95, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50 -> r | atExit[f];
            default -> r;
        };
    }

    /** The register an instruction certainly writes (ALU, moves, 64-bit immediates, loads), as a bit. */
    private int writes(int pc) {
        int o = op[pc];
        boolean load = (o & 0x07) == 0x01;
        return BasicBlocks.straightLine(o) && (!BasicBlocks.mayFault(o) || load) ? bit(code.dst()[pc]) : 0;
    }

    /** What is live after the instruction at {@code pc}: the union over its successors in the function. */
    private int liveOut(int pc, int start, int last, int[] in) {
        int o = op[pc];
        if (o == 0x95 || o == DecodedProgram.ILLEGAL) {
            return 0;
        }
        int next = pc + 1;
        while (next <= last && !BasicBlocks.emitted(code, next)) {
            next++;
        }
        if (o == 0x05 || o == 0x06) {
            return liveAt(code.target()[pc], start, last, in);
        }
        if (BasicBlocks.jumps(o)) {
            return liveAt(code.target()[pc], start, last, in) | liveAt(next, start, last, in);
        }
        if (o == 0x0d) {
            int[] known = indirect.at(pc);
            int out = 0;
            if (known != null) {
                for (int t : known) {
                    out |= liveAt(t, start, last, in);
                }
            } else {
                for (int v : in) {
                    out |= v;
                }
            }
            return out;
        }
        return liveAt(next, start, last, in);
    }

    private static int liveAt(int slot, int start, int last, int[] in) {
        return slot >= start && slot <= last ? in[slot - start] : 0;
    }
}
