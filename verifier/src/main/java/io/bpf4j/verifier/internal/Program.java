package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.verifier.LineInfo;
import java.util.List;

/**
 * The program as the kernel indexes it: one entry per 8-byte slot (an {@code ld_imm64} is two
 * entries, the second decoded on its own as the kernel would see it), plus what the structure
 * passes learn per instruction (prune/jump points, resolved {@code ld_imm64} operands). Each
 * entry's raw slot is {@code insns[i].slot()}: every decoded kind keeps the slot it came from.
 */
final class Program {
    final Instruction[] insns;
    final int len;
    /** Subprogram starts, sorted, with the fake end entry {@code len} last. */
    int[] subprogStart = {0};
    int subprogCount = 1;
    private final boolean[] secondHalf;
    /** Registers (bits R0-R9) live before each insn, and each insn's SCC id (0 when not on a cycle). */
    int[] liveRegs;
    int[] scc;
    final boolean[] prunePoint;
    final boolean[] jmpPoint;
    final boolean[] forceCheckpoint;
    /** Helper calls that call a BPF callback synchronously (bpf_loop...). */
    final boolean[] callsCallback;
    /** For ld_imm64 of a map or map value: the map; else null. */
    final MapRef[] ldMap;
    /** For ld_imm64 of a map value: the offset into the value. */
    final int[] ldMapOff;
    /** Per gotox insn: its successors (the jump-table targets of its subprogram, sorted); else null. */
    final int[][] gotoxTargets;
    /** Per subprog: whether it holds a tail call / LD_ABS. */
    boolean[] hasTailCall;
    boolean[] hasLdAbs;
    final List<LineInfo> lineInfo;
    /** The kfunc prototypes the input gave, by BTF id. */
    java.util.Map<Integer, io.bpf4j.verifier.KfuncSignature> kfuncs = java.util.Map.of();
    /** Calls of an iterator's {@code _next} kfunc (is_iter_next_kfunc): forced checkpoints, loop convergence. */
    boolean[] iterNext;

    Program(List<Slot> raw, List<LineInfo> lineInfo) {
        this.len = raw.size();
        this.insns = new Instruction[len];
        for (int i = 0; i < len; i++) {
            Slot s = raw.get(i);
            Slot next = i + 1 < len ? raw.get(i + 1) : null;
            insns[i] = Instruction.of(s, s.code() == Opcodes.CODE_LD_IMM64 ? next : null);
        }
        secondHalf = new boolean[len];
        for (int i = 0; i + 1 < len; i++) {
            if (insns[i].code() == Opcodes.CODE_LD_IMM64) {
                secondHalf[++i] = true;
            }
        }
        prunePoint = new boolean[len];
        jmpPoint = new boolean[len];
        forceCheckpoint = new boolean[len];
        callsCallback = new boolean[len];
        iterNext = new boolean[len];
        ldMap = new MapRef[len];
        ldMapOff = new int[len];
        gotoxTargets = new int[len][];
        this.lineInfo = lineInfo;
    }

    /** True for the second slot of an ld_imm64 (never an instruction of its own). */
    boolean isSecondHalf(int i) {
        return secondHalf[i];
    }

    boolean isLdImm64(int i) {
        return insns[i].code() == Opcodes.CODE_LD_IMM64;
    }

    /** The subprogram whose range holds insn {@code i}. */
    int subprogOf(int i) {
        int lo = 0;
        int hi = subprogCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (subprogStart[mid] <= i) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The subprogram starting exactly at {@code insn}, or -1. */
    int findSubprog(int insn) {
        for (int s = 0; s < subprogCount; s++) {
            if (subprogStart[s] == insn) {
                return s;
            }
        }
        return -1;
    }

    /** The line_info record covering insn {@code i} (the last one at or before it), or null. */
    LineInfo lineFor(int i) {
        LineInfo found = null;
        int lo = 0;
        int hi = lineInfo.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (lineInfo.get(mid).insnOffset() <= i) {
                found = lineInfo.get(mid);
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
