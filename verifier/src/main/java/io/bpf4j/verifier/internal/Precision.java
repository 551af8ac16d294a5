package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;

/**
 * Precision tracking, the kernel's {@code __mark_chain_precision}: when a check relies on the
 * exact value of a scalar, walk the current path backwards through the jump history and mark
 * every register and spilled slot that value was computed from as precise in the checkpoints
 * along the path, so that pruning compares exactly those (and treats all other scalars as
 * "anything fits"). The current state itself is never marked: only checkpoints are compared.
 */
final class Precision {
    private static final int ARGS = 0x3e;
    private static final int OK = 0;
    private static final int NOT_SUPPORTED = 1;
    private static final int BUG = 2;

    private final Env env;
    private final Explorer ex;
    private final int[] regMasks = new int[8];
    private final long[] stackMasks = new long[8];
    private int frame;
    /** Set when a run marked something new (the fixed point over loop back-edges stops when nothing does). */
    boolean changed;

    Precision(Env env, Explorer ex) {
        this.env = env;
        this.ex = ex;
    }

    /** mark_chain_precision: {@code regno} of the current frame of {@code st} must be exact. */
    void markChain(VState st, int regno) {
        if (!env.priv.bpfCapable()) {
            return;
        }
        if (!(st.frames[st.curframe].regs[regno] instanceof Reg.ScalarReg)) {
            return;
        }
        reset();
        regMasks[st.curframe] |= 1 << regno;
        run(st);
    }

    /** propagate_precision: what the matched checkpoint needed precise, the current path needs too. */
    void propagate(VState old, VState cur) {
        if (!env.priv.bpfCapable()) {
            return;
        }
        reset();
        for (int fr = old.curframe; fr >= 0; fr--) {
            FuncState f = old.frames[fr];
            StringBuilder line = env.log.level2() ? new StringBuilder() : null;
            boolean first = true;
            for (int i = 0; i < 10; i++) {
                if (f.regs[i] instanceof Reg.ScalarReg s && s.precise()) {
                    if (line != null) {
                        line.append(first ? "frame " + fr + ": propagating r" + i : ",r" + i);
                    }
                    regMasks[fr] |= 1 << i;
                    first = false;
                }
            }
            int slots = f.allocated() / FuncState.REG_SIZE;
            for (int spi = 0; spi < slots; spi++) {
                if (f.isSpill(spi) && f.spilled[spi] instanceof Reg.ScalarReg s && s.precise()) {
                    int off = (-spi - 1) * FuncState.REG_SIZE;
                    if (line != null) {
                        line.append(first ? "frame " + fr + ": propagating fp" + off : ",fp" + off);
                    }
                    if (spi < 64) {
                        stackMasks[fr] |= 1L << spi;
                    }
                    first = false;
                }
            }
            if (!first && line != null) {
                env.log.verbose(line.append('\n').toString());
            }
        }
        run(cur);
    }

    /** mark_all_scalars_imprecise: a new checkpoint starts with no inherited demands. */
    static void markAllImprecise(VState st) {
        for (int i = 0; i <= st.curframe; i++) {
            FuncState f = st.frames[i];
            for (int r = 0; r < 10; r++) {
                if (f.regs[r] instanceof Reg.ScalarReg s && s.precise()) {
                    f.regs[r] = s.withPrecise(false);
                }
            }
            for (int spi = 0; spi < f.spilled.length; spi++) {
                if (f.isSpill(spi) && f.spilled[spi] instanceof Reg.ScalarReg s && s.precise()) {
                    f.spilled[spi] = s.withPrecise(false);
                }
            }
        }
    }

    private void reset() {
        java.util.Arrays.fill(regMasks, 0);
        java.util.Arrays.fill(stackMasks, 0);
        frame = 0;
    }

    private boolean empty() {
        for (int i = 0; i <= frame; i++) {
            if (regMasks[i] != 0 || stackMasks[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private void run(VState start) {
        frame = start.curframe;
        if (empty()) {
            return;
        }
        VState st = start;
        int firstIdx = st.firstInsnIdx;
        int lastIdx = st.insnIdx;
        int subseq = -1;
        boolean skipFirst = true;
        for (;;) {
            int histEnd = st.hist.size();
            if (env.log.level2()) {
                env.log.verbose("mark_precise: frame" + frame + ": last_idx " + lastIdx + " first_idx " + firstIdx
                        + " subseq_idx " + subseq + " \n");
            }
            if (lastIdx < 0) {
                // the entry of a global function verified on its own: its arguments are precise
                if (st.curframe == 0 && st.frames[0].subprog > 0 && st.frames[0].callsite == -1
                        && stackMasks[frame] == 0 && (regMasks[frame] & ~ARGS) == 0) {
                    FuncState f = st.frames[0];
                    for (int r = 1; r <= 5; r++) {
                        if ((regMasks[frame] & 1 << r) != 0 && f.regs[r] instanceof Reg.ScalarReg s) {
                            f.regs[r] = s.withPrecise(true);
                            changed = true;
                        }
                    }
                }
                reset();
                return;
            }
            for (int i = lastIdx;;) {
                if (skipFirst) {
                    skipFirst = false;
                } else {
                    VState.Hist h = histEnd > 0 && st.hist.get(histEnd - 1).idx() == i ? st.hist.get(histEnd - 1) : null;
                    int err = backtrackInsn(i, subseq, h);
                    if (err == NOT_SUPPORTED) {
                        markAllPrecise(start);
                        reset();
                        return;
                    }
                    if (err == BUG) {
                        reset();
                        return;
                    }
                }
                if (empty()) {
                    return;
                }
                subseq = i;
                if (i == st.firstInsnIdx && (histEnd == 0 || histEnd == 1 && st.hist.get(0).idx() == i)) {
                    break;
                }
                if (histEnd > 0 && st.hist.get(histEnd - 1).idx() == i) {
                    i = st.hist.get(histEnd - 1).prevIdx();
                    histEnd--;
                } else {
                    i = i - 1;
                }
                if (i < 0 || i >= env.prog.len) {
                    reset();
                    return;
                }
            }
            st = st.parent;
            if (st == null) {
                break;
            }
            for (int fr = frame; fr >= 0; fr--) {
                FuncState f = st.frames[fr];
                if (f == null) {
                    reset();
                    return;
                }
                for (int r = 0; r < 10; r++) {
                    if ((regMasks[fr] & 1 << r) == 0) {
                        continue;
                    }
                    if (!(f.regs[r] instanceof Reg.ScalarReg s) || s.precise()) {
                        regMasks[fr] &= ~(1 << r);
                    } else {
                        f.regs[r] = s.withPrecise(true);
                        changed = true;
                    }
                }
                for (int spi = 0; spi < 64; spi++) {
                    if ((stackMasks[fr] & 1L << spi) == 0) {
                        continue;
                    }
                    if (spi >= f.allocated() / FuncState.REG_SIZE) {
                        reset();
                        return;
                    }
                    if (!(f.isSpill(spi) && f.spilled[spi] instanceof Reg.ScalarReg s) || s.precise()) {
                        stackMasks[fr] &= ~(1L << spi);
                    } else {
                        f.spilled[spi] = s.withPrecise(true);
                        changed = true;
                    }
                }
                if (env.log.level2()) {
                    env.log.verbose("mark_precise: frame" + fr + ": parent state regs=" + regMask(regMasks[fr])
                            + " stack=" + stackMask(stackMasks[fr]) + ": " + StatePrinter.frame(st, f, true, 0, 0));
                }
            }
            if (empty()) {
                return;
            }
            subseq = firstIdx;
            lastIdx = st.lastInsnIdx;
            firstIdx = st.firstInsnIdx;
        }
        if (!empty()) {
            markAllPrecise(start);
            reset();
        }
    }

    /** mark_all_scalars_precise: the fallback when backtracking cannot follow the program. */
    void markAllPrecise(VState start) {
        if (env.log.level2()) {
            env.log.verbose("mark_precise: frame" + start.curframe + ": falling back to forcing all scalars precise\n");
        }
        for (VState st = start.parent; st != null; st = st.parent) {
            for (int i = 0; i <= st.curframe; i++) {
                FuncState f = st.frames[i];
                for (int r = 0; r < 10; r++) {
                    if (f.regs[r] instanceof Reg.ScalarReg s && !s.precise()) {
                        f.regs[r] = s.withPrecise(true);
                        if (env.log.level2()) {
                            env.log.verbose("force_precise: frame" + i + ": forcing r" + r + " to be precise\n");
                        }
                    }
                }
                int slots = f.allocated() / FuncState.REG_SIZE;
                for (int spi = 0; spi < slots; spi++) {
                    if (f.isSpill(spi) && f.spilled[spi] instanceof Reg.ScalarReg s && !s.precise()) {
                        f.spilled[spi] = s.withPrecise(true);
                        if (env.log.level2()) {
                            env.log.verbose("force_precise: frame" + i + ": forcing fp" + (-(spi + 1) * 8)
                                    + " to be precise\n");
                        }
                    }
                }
            }
        }
    }

    private boolean regSet(int r) {
        return (regMasks[frame] & 1 << r) != 0;
    }

    private void setReg(int r) {
        regMasks[frame] |= 1 << r;
    }

    private void clearReg(int r) {
        regMasks[frame] &= ~(1 << r);
    }

    private void syncLinked(VState.Hist h) {
        if (h == null || h.linked() == null) {
            return;
        }
        boolean some = false;
        for (int e : h.linked()) {
            int fr = e & 7;
            int n = e >> 3 & 63;
            boolean isReg = (e & 1 << 9) != 0;
            if (isReg ? (regMasks[fr] & 1 << n) != 0 : (stackMasks[fr] & 1L << n) != 0) {
                some = true;
                break;
            }
        }
        if (!some) {
            return;
        }
        for (int e : h.linked()) {
            int fr = e & 7;
            int n = e >> 3 & 63;
            if ((e & 1 << 9) != 0) {
                regMasks[fr] |= 1 << n;
            } else {
                stackMasks[fr] |= 1L << n;
            }
        }
    }

    /** backtrack_insn: moves the demand for precision from what {@code idx} wrote to what it read. */
    private int backtrackInsn(int idx, int subseq, VState.Hist h) {
        Slot s = env.prog.insns[idx].slot();
        if (s.code() == 0) {
            return OK;
        }
        if (env.log.level2()) {
            line.setLength(0);
            line.append("mark_precise: frame").append(frame).append(": regs=").append(cachedRegMask(regMasks[frame]))
                    .append(" stack=").append(cachedStackMask(stackMasks[frame])).append(" before ").append(idx)
                    .append(": ").append(ex.insnText(idx)).append('\n');
            env.log.verbose(line);
        }
        syncLinked(h);
        int cls = s.instructionClass();
        int op = s.code() & Opcodes.OP_MASK;
        int mode = s.code() & Opcodes.MODE_MASK;
        boolean x = (s.code() & Opcodes.SOURCE_MASK) == Opcodes.X;
        int dreg = s.dst();
        int sreg = s.src();
        boolean stackAccess = h != null && (h.flags() & VState.STACK_ACCESS) != 0;
        int spi = h == null ? 0 : h.flags() >> 3 & 63;
        int fr = h == null ? 0 : h.flags() & 7;
        if (cls == Opcodes.ALU || cls == Opcodes.ALU64) {
            if (!regSet(dreg)) {
                return OK;
            }
            if (op == Opcodes.END || op == Opcodes.NEG) {
                return OK;
            }
            if (op == Opcodes.MOV) {
                clearReg(dreg);
                if (x && sreg != 10) {
                    setReg(sreg);
                }
            } else if (x && sreg != 10) {
                setReg(sreg);
            }
        } else if (cls == Opcodes.LDX || cls == Opcodes.STX && mode == Opcodes.ATOMIC && s.imm() == LOAD_ACQ) {
            if (!regSet(dreg)) {
                return OK;
            }
            clearReg(dreg);
            if (!stackAccess) {
                return OK;
            }
            stackMasks[fr] |= 1L << spi;
            return OK;
        } else if (cls == Opcodes.STX || cls == Opcodes.ST) {
            if (regSet(dreg)) {
                return NOT_SUPPORTED;
            }
            if (!stackAccess || (stackMasks[fr] & 1L << spi) == 0) {
                return OK;
            }
            stackMasks[fr] &= ~(1L << spi);
            if (cls == Opcodes.STX) {
                setReg(sreg);
            }
            return OK;
        } else if (cls == Opcodes.JMP || cls == Opcodes.JMP32) {
            if (op == Opcodes.CALL && (sreg == Opcodes.PSEUDO_CALL || s.code() == Opcodes.CODE_CALLX)) {
                // callx enters its callee as a static call does (its callees are never global)
                int sub = s.code() == Opcodes.CODE_CALLX ? -2 : env.prog.findSubprog(idx + s.imm() + 1);
                if (sub == -1) {
                    return BUG;
                }
                boolean global = sub >= 0 && !env.input.funcInfo().isEmpty() && env.input.funcInfo().get(sub).global();
                if (global) {
                    if ((regMasks[frame] & ARGS) != 0) {
                        return BUG;
                    }
                    clearReg(0);
                    return OK;
                }
                if ((regMasks[frame] & ~ARGS) != 0 || stackMasks[frame] != 0 || frame == 0) {
                    return BUG;
                }
                for (int r = 1; r <= 5; r++) {
                    if (regSet(r)) {
                        clearReg(r);
                        regMasks[frame - 1] |= 1 << r;
                    }
                }
                frame--;
                return OK;
            }
            if (op == Opcodes.CALL && sreg == 0 && HelperTraits.callsSyncCallback(s.imm()) && idx != subseq - 1) {
                // back from the callback's exit to the helper that called it
                if ((regMasks[frame] & ~ARGS) != 0 || stackMasks[frame] != 0 || frame == 0) {
                    return BUG;
                }
                regMasks[frame] &= ~ARGS;
                frame--;
                return OK;
            }
            if (op == Opcodes.CALL) {
                if (sreg == Opcodes.PSEUDO_KFUNC_CALL && s.imm() == 0) {
                    return NOT_SUPPORTED;
                }
                clearReg(0);
                if ((regMasks[frame] & ARGS) != 0) {
                    return BUG;
                }
            } else if (op == Opcodes.EXIT) {
                if (subseq >= 0 && env.prog.callsCallback[subseq]) {
                    regMasks[frame] &= ~ARGS;
                }
                if ((regMasks[frame] & ARGS) != 0 || frame == 7) {
                    return BUG;
                }
                boolean r0 = subseq - 1 >= 0 && isPseudoCall(subseq - 1) && regSet(0);
                clearReg(0);
                frame++;
                regMasks[frame] = 0;
                stackMasks[frame] = 0;
                if (r0) {
                    setReg(0);
                }
                return OK;
            } else if (x) {
                if (!regSet(dreg) && !regSet(sreg)) {
                    return OK;
                }
                if (h == null || (h.flags() & VState.SRC_REG_STACK) == 0) {
                    setReg(sreg);
                }
                if (h == null || (h.flags() & VState.DST_REG_STACK) == 0) {
                    setReg(dreg);
                }
            }
        } else if (cls == Opcodes.LD) {
            if (!regSet(dreg)) {
                return OK;
            }
            clearReg(dreg);
            if (mode == Opcodes.IND || mode == Opcodes.ABS) {
                return NOT_SUPPORTED;
            }
        }
        syncLinked(h);
        return OK;
    }

    private static final int LOAD_ACQ = 0x100;

    // level-2 logs print these masks once per backtracked insn: keep the last text of each
    private final StringBuilder line = new StringBuilder();
    private int lastRegMask = -1;
    private String lastRegText;
    private long lastStackMask = -1;
    private String lastStackText;

    private String cachedRegMask(int mask) {
        if (mask != lastRegMask) {
            lastRegMask = mask;
            lastRegText = regMask(mask);
        }
        return lastRegText;
    }

    private String cachedStackMask(long mask) {
        if (mask != lastStackMask) {
            lastStackMask = mask;
            lastStackText = stackMask(mask);
        }
        return lastStackText;
    }

    private boolean isPseudoCall(int i) {
        Slot s = env.prog.insns[i].slot();
        return s.code() == (Opcodes.JMP | Opcodes.CALL) && s.src() == Opcodes.PSEUDO_CALL
                || s.code() == Opcodes.CODE_CALLX;
    }

    static String regMask(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            if ((mask & 1 << i) != 0) {
                sb.append(sb.length() == 0 ? "" : ",").append('r').append(i);
            }
        }
        return sb.toString();
    }

    static String stackMask(long mask) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            if ((mask & 1L << i) != 0) {
                sb.append(sb.length() == 0 ? "" : ",").append(-(i + 1) * 8);
            }
        }
        return sb.toString();
    }
}
