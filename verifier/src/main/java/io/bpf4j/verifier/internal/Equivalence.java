package io.bpf4j.verifier.internal;

import io.bpf4j.verifier.internal.scalar.Scalar;
import java.util.Objects;

/**
 * State subsumption for pruning, the kernel's {@code states_equal}, {@code regsafe},
 * {@code stacksafe} and {@code refsafe}. Registers and stack slots no later insn reads were
 * already cleared in fully explored checkpoints ({@code clean_live_states}: live registers from
 * {@link Liveness}, live slots from {@link StackLiveness}), so here they compare as NOT_INIT and
 * STACK_INVALID, which match anything.
 */
final class Equivalence {
    enum Mode { NOT_EXACT, RANGE_WITHIN, EXACT }

    private final Env env;
    private final int[] mapOld = new int[64];
    private final int[] mapCur = new int[64];
    private int mapLen;
    private int tmpId;

    Equivalence(Env env) {
        this.env = env;
    }

    /** states_maybe_looping: the top frames' registers are identical, ids included. */
    static boolean maybeLooping(VState old, VState cur) {
        if (old.curframe != cur.curframe) {
            return false;
        }
        Reg[] a = old.frames[old.curframe].regs;
        Reg[] b = cur.frames[cur.curframe].regs;
        for (int i = 0; i < FuncState.MAX_REG; i++) {
            boolean same = a[i] instanceof Reg.ScalarReg sa && b[i] instanceof Reg.ScalarReg sb ? sa.sameAs(sb) : a[i].equals(b[i]);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    boolean statesEqual(VState old, VState cur, Mode mode) {
        if (old.curframe != cur.curframe) {
            return false;
        }
        mapLen = 0;
        tmpId = env.idGen + 1;
        if (old.speculative && !cur.speculative) {
            return false;
        }
        if (old.preemptLocks != cur.preemptLocks || old.rcuLocks != cur.rcuLocks || !refsafe(old, cur)) {
            return false;
        }
        for (int i = 0; i <= old.curframe; i++) {
            if (old.frames[i].callsite != cur.frames[i].callsite) {
                return false;
            }
            // the top frame is compared at the state's insn, outer frames at their call insn
            int at = i == old.curframe ? old.insnIdx : old.frames[i + 1].callsite;
            if (!funcStatesEqual(old.frames[i], cur.frames[i], mode, env.prog.liveRegs[at])) {
                return false;
            }
        }
        return true;
    }

    private boolean refsafe(VState old, VState cur) {
        if (old.refs.size() != cur.refs.size()) {
            return false;
        }
        for (int i = 0; i < old.refs.size(); i++) {
            VState.Ref o = old.refs.get(i);
            VState.Ref c = cur.refs.get(i);
            if (o.lock() != c.lock() || o.lockMap() != c.lockMap()) {
                return false;
            }
            if (!checkIds(o.id(), c.id())) {
                return false;
            }
        }
        return true;
    }

    private boolean funcStatesEqual(FuncState old, FuncState cur, Mode mode, int live) {
        if (old.callbackDepth > cur.callbackDepth) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if ((live & (1 << i)) != 0 && !regsafe(old.regs[i], cur.regs[i], mode)) {
                return false;
            }
        }
        return stacksafe(old, cur, mode);
    }

    private boolean checkIds(int oldId, int curId) {
        if ((oldId == 0) != (curId == 0)) {
            return false;
        }
        if (oldId == 0) {
            return true;
        }
        for (int i = 0; i < mapLen; i++) {
            if (mapOld[i] == oldId) {
                return mapCur[i] == curId;
            }
            if (mapCur[i] == curId) {
                return false;
            }
        }
        if (mapLen == mapOld.length) {
            return false;
        }
        mapOld[mapLen] = oldId;
        mapCur[mapLen++] = curId;
        return true;
    }

    private boolean checkScalarIds(int oldId, int curId) {
        return checkIds(oldId != 0 ? oldId : tmpId++, curId != 0 ? curId : tmpId++);
    }

    static boolean rangeWithin(Scalar old, Scalar cur) {
        return cur.within(old);
    }

    boolean regsafe(Reg old, Reg cur, Mode mode) {
        if (mode == Mode.EXACT) {
            return regsExact(old, cur);
        }
        if (old instanceof Reg.NotInit) {
            return true;
        }
        if (old instanceof Reg.ScalarReg os) {
            if (!(cur instanceof Reg.ScalarReg cs)) {
                return false;
            }
            if (env.exploreAluLimits) {
                // a masked pointer offset somewhere: every path with other values must be explored
                return os.v().equals(cs.v()) && checkScalarIds(os.id(), cs.id());
            }
            if (!os.precise() && mode == Mode.NOT_EXACT && env.priv.bpfCapable()) {
                // nothing after this point needed the exact value
                return true;
            }
            // an old scalar without id is independent: links the current one has only add
            // constraints (the running 6.18 kernel's rule; the v6.18 tag compared the
            // ADD_CONST flag and gave the old a fresh id even then)
            if (os.id() != 0 && os.addConst() != cs.addConst() || os.addConst() && os.delta() != cs.delta()) {
                return false;
            }
            return rangeWithin(os.v(), cs.v()) && (os.id() == 0 || checkScalarIds(os.id(), cs.id()));
        }
        Reg.Ptr op = (Reg.Ptr) old;
        if (!(cur instanceof Reg.Ptr cp) || !sameType(op, cp)) {
            return false;
        }
        switch (op.type()) {
            case MAP_KEY, MAP_VALUE, MEM, BUF, TP_BUFFER -> {
                return op.off() == cp.off() && op.map() == cp.map() && op.memSize() == cp.memSize()
                        && Objects.equals(op.dynptr(), cp.dynptr()) && rangeWithin(op.var(), cp.var()) && checkIds(op.id(), cp.id())
                        && checkIds(op.refObjId(), cp.refObjId());
            }
            case PACKET, PACKET_META -> {
                if (op.range() > cp.range() || op.off() != cp.off()) {
                    return false;
                }
                return checkIds(op.id(), cp.id()) && rangeWithin(op.var(), cp.var());
            }
            case STACK -> {
                return regsExact(old, cur) && op.frameno() == cp.frameno();
            }
            case INSN -> {
                // regsafe's PTR_TO_INSN case (6.19): same table and offset, a range within the old one
                return op.off() == cp.off() && op.map() == cp.map() && rangeWithin(op.var(), cp.var());
            }
            default -> {
                return regsExact(old, cur);
            }
        }
    }

    private static boolean sameType(Reg.Ptr a, Reg.Ptr b) {
        return a.type() == b.type() && a.maybeNull() == b.maybeNull() && a.rdonly() == b.rdonly()
                && a.ringbuf() == b.ringbuf() && Objects.equals(a.btf(), b.btf());
    }

    private boolean regsExact(Reg old, Reg cur) {
        if (old instanceof Reg.NotInit || cur instanceof Reg.NotInit) {
            return old instanceof Reg.NotInit && cur instanceof Reg.NotInit;
        }
        if (old instanceof Reg.ScalarReg os) {
            return cur instanceof Reg.ScalarReg cs && os.v().equals(cs.v()) && os.addConst() == cs.addConst()
                    && os.delta() == cs.delta() && checkIds(os.id(), cs.id());
        }
        Reg.Ptr op = (Reg.Ptr) old;
        return cur instanceof Reg.Ptr cp && sameType(op, cp) && op.off() == cp.off() && op.map() == cp.map()
                && op.range() == cp.range() && op.memSize() == cp.memSize() && op.subprog() == cp.subprog()
                && op.frameno() == cp.frameno() && Objects.equals(op.var(), cp.var()) && Objects.equals(op.dynptr(), cp.dynptr())
                && checkIds(op.id(), cp.id()) && checkIds(op.refObjId(), cp.refObjId());
    }

    /** A 64-bit scalar spill, or an all-MISC slot read as an unknown scalar; null otherwise. */
    private Reg scalarForStack(FuncState f, int spi) {
        if (f.isSpill(spi) && f.spilled[spi] instanceof Reg.ScalarReg && allSpill(f, spi)) {
            return f.spilled[spi];
        }
        for (int b = 0; b < FuncState.REG_SIZE; b++) {
            byte t = f.type(spi, b);
            if (t != FuncState.MISC && !(env.priv.allowUninitStack() && t == FuncState.INVALID)) {
                return null;
            }
        }
        return MISC_REG;
    }

    private static final Reg MISC_REG = new Reg.ScalarReg(Scalar.unknown(), 0, false, 0);

    private static boolean allSpill(FuncState f, int spi) {
        for (int b = 0; b < FuncState.REG_SIZE; b++) {
            if (f.type(spi, b) != FuncState.SPILL) {
                return false;
            }
        }
        return true;
    }

    private boolean stacksafe(FuncState old, FuncState cur, Mode mode) {
        int oldAlloc = old.allocated();
        int curAlloc = cur.allocated();
        for (int i = 0; i < oldAlloc; i++) {
            int spi = i / FuncState.REG_SIZE;
            int b = i % FuncState.REG_SIZE;
            byte ot = old.type(spi, b);
            if (mode == Mode.EXACT || mode == Mode.RANGE_WITHIN) {
                if (i >= curAlloc || ot != cur.type(spi, b)) {
                    return false;
                }
            }
            if (ot == FuncState.INVALID) {
                continue;
            }
            if (env.priv.allowUninitStack() && ot == FuncState.MISC) {
                continue;
            }
            if (i >= curAlloc) {
                return false;
            }
            Reg oldReg = scalarForStack(old, spi);
            Reg curReg = scalarForStack(cur, spi);
            if (oldReg != null && curReg != null) {
                // an all-MISC old slot behaves as an imprecise unknown scalar: anything fits
                if (oldReg != MISC_REG && !regsafe(oldReg, curReg, mode)) {
                    return false;
                }
                i += FuncState.REG_SIZE - 1 - b;
                continue;
            }
            byte ct = cur.type(spi, b);
            if (ot == FuncState.MISC && ct == FuncState.ZERO) {
                continue;
            }
            if (ot != ct) {
                return false;
            }
            if (b != FuncState.REG_SIZE - 1) {
                continue;
            }
            if (ot == FuncState.SPILL && !regsafe(old.spilled[spi], cur.spilled[spi], mode)) {
                return false;
            }
            if (ot == FuncState.ITER) {
                // the depth is not compared: it only keeps the infinite-loop check away
                FuncState.IterState oi = old.iters[spi];
                FuncState.IterState ci = cur.iters[spi];
                if (oi == null || ci == null || !oi.type().equals(ci.type()) || oi.active() != ci.active()
                        || !checkIds(oi.refObjId(), ci.refObjId())) {
                    return false;
                }
            }
            if (ot == FuncState.DYNPTR) {
                FuncState.DynptrState od = old.dynptrs[spi];
                FuncState.DynptrState cd = cur.dynptrs[spi];
                if (od == null || cd == null || od.kind() != cd.kind() || od.first() != cd.first()
                        || !checkIds(od.refObjId(), cd.refObjId())) {
                    return false;
                }
            }
        }
        return true;
    }
}
