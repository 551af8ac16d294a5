package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.facts.Facts;
import io.bpf4j.isa.facts.ProgramFacts;

/**
 * What every path proved about each instruction, merged over paths as the facts need it (a
 * fact holds only if it holds on every path that reached the instruction): the engine reads
 * them to skip run-time checks, so disagreement drops the fact.
 */
final class FactsRecorder {
    private static final byte NONE = 0;
    private static final byte POINTER = 1;
    private static final byte SCALAR = 2;
    private static final byte MIXED = 3;

    private final Program prog;
    private final boolean[] visited;
    private final byte[] dstKind;
    private final long[] constant;
    /** 0 unset, 1 one constant so far, 2 not constant on some path. */
    private final byte[] constState;
    /** bit 0: the fall-through was followed, bit 1: the target was followed. */
    private final byte[] branch;
    private final int[] ctxField;

    FactsRecorder(Program prog) {
        this.prog = prog;
        int n = prog.len;
        visited = new boolean[n];
        dstKind = new byte[n];
        constant = new long[n];
        constState = new byte[n];
        branch = new byte[n];
        ctxField = new int[n];
    }

    void visit(int idx) {
        visited[idx] = true;
    }

    /** After insn {@code idx} ran in frame {@code state}: the register it wrote, if any. */
    void afterInsn(int idx, VState state, int frameBefore) {
        if (state.curframe != frameBefore) {
            return;
        }
        Slot s = prog.insns[idx].slot();
        int cls = s.instructionClass();
        int reg;
        if (cls == Opcodes.ALU || cls == Opcodes.ALU64 || cls == Opcodes.LDX
                || s.code() == Opcodes.CODE_LD_IMM64) {
            reg = s.dst();
        } else if (s.code() == Opcodes.CODE_CALL && s.src() == 0) {
            reg = 0;
        } else {
            return;
        }
        if (reg >= FuncState.MAX_REG) {
            return;
        }
        Reg r = state.regs()[reg];
        byte kind = r instanceof Reg.Ptr ? POINTER : r instanceof Reg.ScalarReg ? SCALAR : NONE;
        dstKind[idx] = dstKind[idx] == NONE || dstKind[idx] == kind ? kind : MIXED;
        if (r instanceof Reg.ScalarReg sr && sr.v().isConst()) {
            long v = sr.v().constValue();
            if (constState[idx] == 0) {
                constState[idx] = 1;
                constant[idx] = v;
            } else if (constState[idx] == 1 && constant[idx] != v) {
                constState[idx] = 2;
            }
        } else {
            constState[idx] = 2;
        }
    }

    void branch(int idx, boolean fallThrough, boolean taken) {
        branch[idx] |= (byte) ((fallThrough ? 1 : 0) | (taken ? 2 : 0));
    }

    void ctxField(int idx, int off, int size) {
        int packed = off << 8 | size;
        ctxField[idx] = ctxField[idx] == 0 || ctxField[idx] == packed ? packed : -1;
    }

    ProgramFacts build(Env env) {
        ProgramFacts.Builder b = ProgramFacts.builder(prog.len);
        for (int i = 0; i < prog.len; i++) {
            if (prog.isSecondHalf(i)) {
                continue;
            }
            if (!visited[i]) {
                b.put(i, Facts.DEAD, Boolean.TRUE);
                continue;
            }
            if (env.region[i] != null) {
                b.put(i, Facts.MEMORY_REGION, env.region[i]);
                b.put(i, Facts.IN_BOUNDS, Boolean.TRUE);
            }
            if (dstKind[i] == POINTER || dstKind[i] == SCALAR) {
                b.put(i, Facts.DST_IS_POINTER, dstKind[i] == POINTER);
            }
            if (constState[i] == 1) {
                b.put(i, Facts.KNOWN_CONSTANT, constant[i]);
            }
            if (branch[i] == 1) {
                b.put(i, Facts.BRANCH_TAKEN, 0);
            } else if (branch[i] == 2) {
                b.put(i, Facts.BRANCH_TAKEN, 1);
            }
            if (ctxField[i] > 0) {
                b.put(i, Facts.CTX_FIELD, ctxField[i]);
            }
        }
        env.indirect.recordFacts(b);
        b.putProgram(Facts.MAX_CTX_OFFSET, env.maxCtxOffset);
        b.putProgram(Facts.STACK_DEPTHS, env.stackDepth.clone());
        return b.build();
    }
}
