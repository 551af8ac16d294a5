package io.bpf4j.verifier.internal;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.verifier.internal.scalar.BranchRefinement;
import io.bpf4j.verifier.internal.scalar.Scalar;

/**
 * Class JMP/JMP32: calls and exits are handed on, {@code ja} moves, conditional jumps
 * ({@code check_cond_jmp_op}) decide or split the path: the taken branch is pushed, the
 * fall-through continues; both copies learn from the comparison (bounds, linked scalars,
 * NULL checks, packet ranges).
 */
final class JumpChecks {
    private static final int MAX_PACKET_OFF = 0xffff;

    private final Env env;
    private final Explorer ex;

    JumpChecks(Env env, Explorer ex) {
        this.env = env;
        this.ex = ex;
    }

    void check(int idx, Instruction insn) {
        Slot s = insn.slot();
        int cls = s.instructionClass();
        int op = s.code() & Opcodes.OP_MASK;
        boolean x = (s.code() & Opcodes.SOURCE_MASK) == Opcodes.X;
        env.jmpsProcessed++;
        if (s.code() == Opcodes.CODE_CALLX) {
            env.indirect.callx(ex, idx, s);
            env.markRegScratched(0);
            return;
        }
        if (s.code() == Opcodes.CODE_GOTOX) {
            env.indirect.gotox(ex, idx, s);
            return;
        }
        if (op == Opcodes.CALL) {
            if (x || s.src() != Opcodes.PSEUDO_KFUNC_CALL && s.off() != 0
                    || s.src() != 0 && s.src() != Opcodes.PSEUDO_CALL && s.src() != Opcodes.PSEUDO_KFUNC_CALL
                    || s.dst() != 0 || cls == Opcodes.JMP32) {
                throw env.reject("BPF_CALL uses reserved fields");
            }
            if (env.cur.activeLocks() > 0 && s.src() == 0 && s.imm() != 94 /* bpf_spin_unlock */
                    && s.imm() != 194 /* bpf_kptr_xchg */) {
                throw env.reject("function calls are not allowed while holding a lock");
            }
            if (s.src() == Opcodes.PSEUDO_CALL) {
                ex.calls.subprogCall(idx, s);
            } else if (s.src() == Opcodes.PSEUDO_KFUNC_CALL) {
                ex.kfuncs.call(idx, s);
            } else {
                env.indirect.beforeHelper(s.imm());
                ex.calls.helperCall(idx, s);
                env.indirect.afterHelper(s.imm());
            }
            env.markRegScratched(0);
            return;
        }
        if (op == Opcodes.JA) {
            if (x || s.src() != 0 || s.dst() != 0 || cls == Opcodes.JMP && s.imm() != 0
                    || cls == Opcodes.JMP32 && s.off() != 0) {
                throw env.reject("BPF_JA uses reserved fields");
            }
            ex.nextInsn = idx + (cls == Opcodes.JMP ? s.off() : s.imm()) + 1;
            return;
        }
        if (op == Opcodes.EXIT) {
            if (x || s.imm() != 0 || s.src() != 0 || s.dst() != 0 || cls == Opcodes.JMP32) {
                throw env.reject("BPF_EXIT uses reserved fields");
            }
            ex.calls.exit(idx);
            return;
        }
        condJmp(idx, s, cls == Opcodes.JMP32, x, op);
    }

    private void condJmp(int idx, Slot s, boolean jmp32, boolean x, int opBits) {
        if (opBits == Opcodes.JCOND) {
            // 6.18 no longer refuses a zero offset
            if (s.code() != Opcodes.CODE_MAY_GOTO || s.src() != 0 || s.dst() != 0 || s.imm() != 0) {
                throw env.reject("invalid may_goto imm " + s.imm());
            }
            mayGoto(idx, s);
            return;
        }
        if (opBits > Opcodes.JCOND) {
            throw env.reject("invalid BPF_JMP/JMP32 opcode " + Integer.toHexString(opBits >> 4));
        }
        JumpOp op = JumpOp.ofBits(s.code());
        int dstNo = s.dst();
        env.src(dstNo);
        Reg dst = env.regs()[dstNo];
        Reg src;
        if (x) {
            if (s.imm() != 0) {
                throw env.reject("BPF_JMP/JMP32 uses reserved fields");
            }
            env.src(s.src());
            src = env.regs()[s.src()];
            if (!(isPkt(dst) && isPkt(src)) && env.isPointerValue(s.src())) {
                throw env.reject("R" + s.src() + " pointer comparison prohibited");
            }
        } else {
            if (s.src() != 0) {
                throw env.reject("BPF_JMP/JMP32 uses reserved fields");
            }
            src = Reg.ScalarReg.constant(s.imm());
        }
        int target = idx + s.off() + 1;
        // comparisons with a stack pointer are remembered so that backtracking skips that operand
        int histFlags = 0;
        if (x && src instanceof Reg.Ptr sp0 && sp0.type() == Reg.PtrType.STACK) {
            histFlags |= VState.SRC_REG_STACK;
        }
        if (dst instanceof Reg.Ptr dp0 && dp0.type() == Reg.PtrType.STACK) {
            histFlags |= VState.DST_REG_STACK;
        }
        if (histFlags != 0) {
            env.pushHistory(histFlags, null);
        }
        boolean self = x && s.src() == dstNo;
        int pred = self && dst instanceof Reg.ScalarReg sd ? sd.v().isBranchTakenSelf(op, jmp32)
                : branchTaken(dst, src, op, jmp32);
        if (pred == 1 || pred == 0) {
            // the decision relies on the exact values
            if (dst instanceof Reg.ScalarReg) {
                env.markPrecise(dstNo);
            }
            if (x && src instanceof Reg.ScalarReg) {
                env.markPrecise(s.src());
            }
            if (!env.priv.bypassSpecV1()) {
                // sanitize_speculative_path: the edge not taken is still explored, as a CPU may
                // mispredict it, with the compared registers unknown
                VState spec = ex.push(pred == 1 ? idx + 1 : target, idx, true);
                spec.regs()[dstNo] = Reg.ScalarReg.UNKNOWN;
                if (x) {
                    spec.regs()[s.src()] = Reg.ScalarReg.UNKNOWN;
                }
            }
            if (env.log.level1()) {
                ex.printInsnState();
            }
            if (pred == 1) {
                ex.nextInsn = target;
            }
            env.facts.branch(idx, pred == 0, pred == 1);
            return;
        }
        int[] linked = collectLinked(idx, x && src instanceof Reg.ScalarReg ss0 ? ss0.id() : 0,
                dst instanceof Reg.ScalarReg ds0 ? ds0.id() : 0);
        if (linked != null) {
            env.pushHistory(0, linked);
        }
        VState other = ex.push(target, idx, false);
        env.facts.branch(idx, true, true);
        if (dst instanceof Reg.ScalarReg ds && src instanceof Reg.ScalarReg ss) {
            // reg_set_min_max runs after push_stack, so its lines belong to the fall-through's log;
            // a contradictory refinement is reported but, in 6.18, neither edge is dropped
            BranchRefinement ref = self ? ds.v().refineSelf(op, jmp32) : ds.v().refine(op, jmp32, ss.v());
            for (BranchRefinement.Violation v : ref.violations()) {
                env.log.verbose("verifier bug: " + v.message() + "\n");
            }
            applyRefined(idx, other, dstNo, x ? s.src() : -1, ds, ss, ref.dstIfTaken(), ref.srcIfTaken());
            applyRefined(idx, env.cur, dstNo, x ? s.src() : -1, ds, ss, ref.dstIfNotTaken(), ref.srcIfNotTaken());
        }
        if (!jmp32 && x && dst instanceof Reg.Ptr dp && src instanceof Reg.Ptr sp) {
            VState eqBranch = op == JumpOp.JEQ ? other : op == JumpOp.JNE ? env.cur : null;
            // equal to a pointer that cannot be NULL: neither can the other one be (BTF pointers aside)
            if (eqBranch != null && dp.maybeNull() != sp.maybeNull() && dp.type() != Reg.PtrType.BTF_ID
                    && sp.type() != Reg.PtrType.BTF_ID) {
                if (sp.maybeNull()) {
                    eqBranch.regs()[s.src()] = markPtrNotNull(sp);
                } else {
                    eqBranch.regs()[dstNo] = markPtrNotNull(dp);
                }
            }
        }
        if (!jmp32 && !x && s.imm() == 0 && (op == JumpOp.JEQ || op == JumpOp.JNE)
                && dst instanceof Reg.Ptr dp && dp.maybeNull()) {
            markPtrOrNull(env.cur, dp, op == JumpOp.JNE);
            markPtrOrNull(other, dp, op == JumpOp.JEQ);
        } else if (!matchPktPointers(s, jmp32, x, op, dst, src, other, dstNo, s.src()) && env.isPointerValue(dstNo)) {
            throw env.reject("R" + dstNo + " pointer comparison prohibited");
        }
        if (env.log.level1()) {
            ex.printInsnState();
        }
    }

    /**
     * collect_linked_regs: the registers and spilled slots sharing the compared scalars' ids (at
     * most 6), packed for the jump history; null when fewer than two.
     */
    private int[] collectLinked(int jumpIdx, int srcId, int dstId) {
        int[] out = new int[6];
        int n = 0;
        VState st = env.cur;
        for (int id : new int[] {srcId, dstId}) {
            if (id == 0) {
                continue;
            }
            for (int f = st.curframe; f >= 0; f--) {
                FuncState fr = st.frames[f];
                int live = env.prog.liveRegs == null ? -1
                        : env.prog.liveRegs[f == st.curframe ? jumpIdx : st.frames[f + 1].callsite];
                for (int r = 0; r < 10; r++) {
                    if ((live & 1 << r) != 0 && fr.regs[r] instanceof Reg.ScalarReg sr && sr.id() == id && n < 6) {
                        out[n++] = f | r << 3 | 1 << 9;
                    }
                }
                for (int spi = 0; spi < fr.spilled.length && spi < 64; spi++) {
                    if (fr.isSpill(spi) && fr.spilled[spi] instanceof Reg.ScalarReg sr && sr.id() == id && n < 6) {
                        out[n++] = f | spi << 3;
                    }
                }
            }
        }
        return n > 1 ? java.util.Arrays.copyOf(out, n) : null;
    }

    /**
     * may_goto: the fall-through (the loop's exit once the budget runs out) is explored later
     * one level deeper, with scalars that changed since the previous visit widened; this path
     * takes the jump.
     */
    private void mayGoto(int idx, Slot s) {
        VState parent = env.cur.parent;
        VState prev = parent == null ? null : CallChecks.findPrevEntry(parent.parent, env.cur, idx);
        VState queued = ex.push(idx + 1, idx, false);
        queued.mayGotoDepth++;
        if (prev != null) {
            CallChecks.widen(prev, queued);
        }
        ex.nextInsn = idx + s.off() + 1;
    }

    private static boolean isPkt(Reg r) {
        return r instanceof Reg.Ptr p && (p.isPacket() || p.type() == Reg.PtrType.PACKET_END);
    }

    /** reg_not_null: pointer types that cannot be NULL once they exist. */
    static boolean notNull(Reg.Ptr p) {
        if (p.maybeNull()) {
            return false;
        }
        return switch (p.type()) {
            // a map pointer too (6.18; an unprivileged loader compares one with zero this way)
            case SOCKET, TCP_SOCK, MAP_VALUE, MAP_KEY, SOCK_COMMON, MEM, CONST_MAP -> true;
            case BTF_ID -> p.btf() != null && KfuncChecks.isTrusted(p);
            default -> false;
        };
    }

    private int branchTaken(Reg dst, Reg src, JumpOp op, boolean jmp32) {
        if (isPkt(dst) && isPkt(src) && !jmp32) {
            return pktBranchTaken(dst, src, op);
        }
        if (dst instanceof Reg.Ptr || src instanceof Reg.Ptr) {
            Reg ptr = dst;
            Reg k = src;
            if (!isConst(k, jmp32)) {
                ptr = src;
                k = dst;
            }
            if (!isConst(k, jmp32) || !(ptr instanceof Reg.Ptr p) || !notNull(p)) {
                return -1;
            }
            Scalar v = ((Reg.ScalarReg) k).v();
            long val = jmp32 ? v.const32Value() : v.constValue();
            if (val != 0) {
                return -1;
            }
            return op == JumpOp.JEQ ? 0 : op == JumpOp.JNE ? 1 : -1;
        }
        return ((Reg.ScalarReg) dst).v().isBranchTaken(op, jmp32, ((Reg.ScalarReg) src).v());
    }

    private static boolean isConst(Reg r, boolean jmp32) {
        return r instanceof Reg.ScalarReg s && (jmp32 ? s.v().isConst32() : s.v().isConst());
    }

    /** Writes the refined values into a branch's registers and syncs the scalars linked to them. */
    private void applyRefined(int idx, VState st, int dstNo, int srcNo, Reg.ScalarReg ds, Reg.ScalarReg ss, Scalar nd, Scalar ns) {
        Reg[] regs = st.regs();
        Reg.ScalarReg newDst = ds.withValue(nd);
        regs[dstNo] = newDst;
        Reg.ScalarReg newSrc = null;
        if (srcNo >= 0) {
            newSrc = ((Reg.ScalarReg) regs[srcNo]).withValue(ns);
            regs[srcNo] = newSrc;
            if (newSrc.id() != 0) {
                syncLinked(env.prog, idx, st, newSrc);
            }
        }
        if (newDst.id() != 0) {
            syncLinked(env.prog, idx, st, srcNo == dstNo && newSrc != null ? newSrc : newDst);
        }
    }

    /**
     * collect_linked_regs + sync_linked_regs: every scalar sharing the id learns the refined value
     * (shifted by its delta). The oracle's stable kernel collects only registers live before the
     * frame's instruction (the jump, or the call site for outer frames); spilled ones always.
     */
    static void syncLinked(Program prog, int jumpIdx, VState st, Reg.ScalarReg known) {
        for (int f = 0; f <= st.curframe; f++) {
            FuncState fr = st.frames[f];
            int live = prog.liveRegs == null ? -1 : prog.liveRegs[f == st.curframe ? jumpIdx : st.frames[f + 1].callsite];
            for (int r = 0; r < 10; r++) {
                if ((live & (1 << r)) == 0) {
                    continue;
                }
                Reg o = fr.regs[r];
                if (o instanceof Reg.ScalarReg os && os != known && os.id() == known.id()) {
                    fr.regs[r] = linkedValue(os, known);
                }
            }
            for (int spi = 0; spi < fr.spilled.length; spi++) {
                if (fr.isSpill(spi) && fr.spilled[spi] instanceof Reg.ScalarReg os && os != known
                        && os.id() == known.id()) {
                    fr.spilled[spi] = linkedValue(os, known);
                }
            }
        }
    }

    private static Reg.ScalarReg linkedValue(Reg.ScalarReg reg, Reg.ScalarReg known) {
        int regOff = reg.addConst() ? reg.delta() : 0;
        int knownOff = known.addConst() ? known.delta() : 0;
        if (regOff == knownOff) {
            return new Reg.ScalarReg(known.v(), reg.id(), reg.addConst(), reg.delta());
        }
        // the oracle's stable kernel synchronises the bounds after the add (later fix than 6.18.0)
        Scalar shifted = known.v().plusForLinkedRegister(regOff - knownOff).sync();
        return new Reg.ScalarReg(shifted, reg.id(), reg.addConst(), reg.delta());
    }

    /** mark_ptr_or_null_regs: every register with the pointer's id becomes non-NULL, or the scalar 0. */
    private void markPtrOrNull(VState st, Reg.Ptr ptr, boolean isNull) {
        int id = ptr.id();
        if (isNull && ptr.refObjId() != 0 && ptr.refObjId() == id) {
            st.refs.removeIf(r -> r.id() == id);
        }
        for (int f = 0; f <= st.curframe; f++) {
            FuncState fr = st.frames[f];
            for (int r = 0; r < FuncState.MAX_REG; r++) {
                fr.regs[r] = ptrOrNull(fr.regs[r], id, isNull);
            }
            for (int spi = 0; spi < fr.spilled.length; spi++) {
                if (fr.spilled[spi] != null && fr.isSpill(spi)) {
                    fr.spilled[spi] = ptrOrNull(fr.spilled[spi], id, isNull);
                }
            }
        }
    }

    private static Reg ptrOrNull(Reg r, int id, boolean isNull) {
        if (!(r instanceof Reg.Ptr p) || !p.maybeNull() || p.id() != id) {
            return r;
        }
        if (isNull) {
            return Reg.ScalarReg.constant(0);
        }
        Reg.Ptr nn = markPtrNotNull(p);
        // the id only matters for NULL checks (and spin locks): dropping it helps pruning
        return nn.type() == Reg.PtrType.MAP_VALUE && nn.map() != null && nn.map().hasSpinLock() ? nn : nn.withId(0);
    }

    /**
     * mark_ptr_not_null_reg: the pointer without its NULL possibility. (Lookups in map-in-maps,
     * XSKMAPs and sockmaps are typed by what the map holds at the call already.)
     */
    static Reg.Ptr markPtrNotNull(Reg.Ptr p) {
        return p.withType(p.type(), false);
    }

    /** try_match_pkt_pointers: a packet pointer compared with the packet end proves a range. */
    private static final int AT_PKT_END = -1;
    private static final int BEYOND_PKT_END = -2;

    /** mark_pkt_end: in the branch where the packet pointer is at or past the end, remember it. */
    private static void markPktEnd(VState st, int regno, boolean rangeOpen) {
        if (st.regs()[regno] instanceof Reg.Ptr p && p.type() == Reg.PtrType.PACKET) {
            st.regs()[regno] = p.withRange(rangeOpen ? BEYOND_PKT_END : AT_PKT_END);
        }
    }

    /** is_pkt_ptr_branch_taken: only decided by the marks markPktEnd left. */
    private static int pktBranchTaken(Reg dst, Reg src, JumpOp op) {
        Reg.Ptr pkt;
        if (src instanceof Reg.Ptr sp && sp.type() == Reg.PtrType.PACKET_END) {
            pkt = (Reg.Ptr) dst;
        } else if (dst instanceof Reg.Ptr dp && dp.type() == Reg.PtrType.PACKET_END) {
            pkt = (Reg.Ptr) src;
            op = switch (op) {
                case JGT -> JumpOp.JLT;
                case JLT -> JumpOp.JGT;
                case JGE -> JumpOp.JLE;
                case JLE -> JumpOp.JGE;
                default -> op;
            };
        } else {
            return -1;
        }
        if (pkt.range() >= 0) {
            return -1;
        }
        switch (op) {
            case JLE, JGT -> {
                if (pkt.range() == BEYOND_PKT_END) {
                    return op == JumpOp.JGT ? 1 : 0;
                }
            }
            case JLT, JGE -> {
                if (pkt.range() == BEYOND_PKT_END || pkt.range() == AT_PKT_END) {
                    return op == JumpOp.JGE ? 1 : 0;
                }
            }
            default -> {
            }
        }
        return -1;
    }

    private boolean matchPktPointers(Slot s, boolean jmp32, boolean x, JumpOp op, Reg dst, Reg src, VState other,
                                     int dstNo, int srcNo) {
        if (!x || jmp32 || !(dst instanceof Reg.Ptr d) || !(src instanceof Reg.Ptr sr)) {
            return false;
        }
        boolean dstData = d.type() == Reg.PtrType.PACKET && sr.type() == Reg.PtrType.PACKET_END
                || d.type() == Reg.PtrType.PACKET_META && initPkt(sr);
        boolean srcData = d.type() == Reg.PtrType.PACKET_END && sr.type() == Reg.PtrType.PACKET
                || initPkt(d) && sr.type() == Reg.PtrType.PACKET_META;
        VState fall = env.cur;
        switch (op) {
            case JGT -> {
                if (dstData) {
                    goodPkt(fall, d, false);
                    markPktEnd(other, dstNo, true);
                } else if (srcData) {
                    goodPkt(other, sr, true);
                    markPktEnd(fall, srcNo, false);
                } else {
                    return false;
                }
            }
            case JLT -> {
                if (dstData) {
                    goodPkt(other, d, true);
                    markPktEnd(fall, dstNo, false);
                } else if (srcData) {
                    goodPkt(fall, sr, false);
                    markPktEnd(other, srcNo, true);
                } else {
                    return false;
                }
            }
            case JGE -> {
                if (dstData) {
                    goodPkt(fall, d, true);
                    markPktEnd(other, dstNo, false);
                } else if (srcData) {
                    goodPkt(other, sr, false);
                    markPktEnd(fall, srcNo, true);
                } else {
                    return false;
                }
            }
            case JLE -> {
                if (dstData) {
                    goodPkt(other, d, false);
                    markPktEnd(fall, dstNo, true);
                } else if (srcData) {
                    goodPkt(fall, sr, true);
                    markPktEnd(other, srcNo, false);
                } else {
                    return false;
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean initPkt(Reg.Ptr p) {
        return p.type() == Reg.PtrType.PACKET && p.off() == 0 && p.var().isConst() && p.var().constValue() == 0;
    }

    /** find_good_pkt_pointers: registers of the same packet pointer id get the proven range. */
    private static void goodPkt(VState st, Reg.Ptr ptr, boolean rightOpen) {
        if (ptr.off() < 0 || ptr.off() == 0 && rightOpen) {
            return;
        }
        long umax = ptr.var().umax();
        if (Long.compareUnsigned(umax, MAX_PACKET_OFF) > 0 || umax + ptr.off() > MAX_PACKET_OFF) {
            return;
        }
        int newRange = ptr.off() + (rightOpen ? 1 : 0);
        for (int f = 0; f <= st.curframe; f++) {
            FuncState fr = st.frames[f];
            for (int r = 0; r < FuncState.MAX_REG; r++) {
                if (fr.regs[r] instanceof Reg.Ptr p && p.type() == ptr.type() && p.id() == ptr.id()) {
                    fr.regs[r] = p.withRange(Math.max(p.range(), newRange));
                }
            }
            for (int spi = 0; spi < fr.spilled.length; spi++) {
                if (fr.isSpill(spi) && fr.spilled[spi] instanceof Reg.Ptr p && p.type() == ptr.type() && p.id() == ptr.id()) {
                    fr.spilled[spi] = p.withRange(Math.max(p.range(), newRange));
                }
            }
        }
    }
}
