package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Slot;
import io.bpf4j.verifier.internal.scalar.Scalar;
import io.bpf4j.verifier.KfuncSignature;
import java.util.Set;

/**
 * Kernel function calls ({@code call} with {@code src_reg} = BPF_PSEUDO_KFUNC_CALL): the
 * kernel's {@code add_kfunc_call} at load time and {@code check_kfunc_call} on every path, for
 * the kfuncs bpf4j models: the numeric open-coded iterator ({@code bpf_iter_num_new},
 * {@code _next}, {@code _destroy}). Prototypes come from the input's {@link KfuncSignature}s
 * (the kernel BTF the loader resolved the calls against).
 *
 * <p>Iterators ({@code process_iter_arg}, {@code process_iter_next_call}): {@code _new} wants
 * an 8-aligned, constant-offset stack slot holding no iterator, writes it and marks it
 * STACK_ITER with a fresh reference, ACTIVE at depth 0; {@code _next} and {@code _destroy}
 * want an initialized one; {@code _destroy} releases the reference. {@code _next} on an ACTIVE
 * iterator queues the "element" continuation (R0 a non-NULL read-only pointer to the 4-byte
 * value, the iterator one level deeper, scalars that changed since the previous iteration
 * widened) and continues here with the iterator DRAINED and R0 = 0. Its call is a forced
 * checkpoint; the loop converges when a later visit is RANGE_WITHIN-equal to an ancestor with
 * the iterator still ACTIVE ({@link Explorer}).
 */
final class KfuncChecks {
    private static final String ITER_PREFIX = "bpf_iter_";
    private static final Set<String> SUPPORTED = Set.of("bpf_iter_num_new", "bpf_iter_num_next", "bpf_iter_num_destroy");

    private final Env env;
    private final Explorer ex;

    KfuncChecks(Env env, Explorer ex) {
        this.env = env;
        this.ex = ex;
    }

    /** add_kfunc_call: the call's BTF id must name a function the input describes. */
    static void declare(Program prog, VLog log, int insn, Slot s) {
        KfuncSignature sig = prog.kfuncs.get(s.imm());
        if (sig == null) {
            throw log.reject("kernel btf_id " + Integer.toUnsignedString(s.imm()) + " is not a function");
        }
        if (!SUPPORTED.contains(sig.name())) {
            throw log.reject("bpf4j: not supported yet: kfunc " + sig.name() + " at insn " + insn);
        }
    }

    /** Whether {@code btfId} names an iterator's {@code _next} kfunc (is_iter_next_kfunc). */
    static boolean isIterNext(Program prog, int btfId) {
        KfuncSignature sig = prog.kfuncs.get(btfId);
        return sig != null && sig.name().startsWith(ITER_PREFIX) && sig.name().endsWith("_next");
    }

    /** A kfunc call as print_bpf_insn shows it (the name from the kernel BTF), or null for any other insn. */
    static String callText(Program prog, io.bpf4j.isa.Instruction insn) {
        Slot s = insn.slot();
        if (s.code() != io.bpf4j.isa.Opcodes.CODE_CALL || s.src() != io.bpf4j.isa.Opcodes.PSEUDO_KFUNC_CALL) {
            return null;
        }
        KfuncSignature sig = prog.kfuncs.get(s.imm());
        return sig == null ? null : String.format("(%02x) call %s#%d", s.code(), sig.name(), s.imm());
    }

    /** check_kfunc_call. */
    void call(int idx, Slot s) {
        if (s.imm() == 0) {
            return;
        }
        KfuncSignature sig = env.prog.kfuncs.get(s.imm());
        String name = sig.name();
        Reg[] regs = env.regs();
        int iterFrame = -1;
        int iterSpi = -1;
        int refObjId = 0;
        // check_kfunc_args
        for (int i = 0; i < sig.params().size() && i < 5; i++) {
            int regno = i + 1;
            KfuncSignature.Type t = sig.params().get(i);
            Reg reg = regs[regno];
            if (t.kind() == KfuncSignature.Kind.SCALAR) {
                if (!(reg instanceof Reg.ScalarReg)) {
                    throw env.reject("R" + regno + " is not a scalar");
                }
                continue;
            }
            if (t.kind() == KfuncSignature.Kind.PTR_TO_STRUCT && t.name().startsWith(ITER_PREFIX) && i == 0) {
                int[] at = iterArg(idx, regno, name, t);
                iterFrame = at[0];
                iterSpi = at[1];
                refObjId = at[2];
                continue;
            }
            throw env.reject("bpf4j: not supported yet: argument " + i + " of kfunc " + name);
        }
        for (int r = 0; r <= 5; r++) {
            regs[r] = Reg.NotInit.INSTANCE;
            env.markRegScratched(r);
        }
        KfuncSignature.Type ret = sig.ret();
        switch (ret.kind()) {
            case VOID -> {
            }
            case SCALAR, PTR_TO_VOID -> regs[0] = Reg.ScalarReg.UNKNOWN;
            case PTR_TO_SCALAR -> {
                // an iterator's _next may return NULL (KF_RET_NULL); the value lives as long as the iterator
                boolean maybeNull = name.endsWith("_next");
                regs[0] = new Reg.Ptr(Reg.PtrType.MEM, maybeNull, true, false, 0, Scalar.constant(0),
                        maybeNull ? env.newId() : 0, refObjId, null, 0, ret.size(), 0, 0);
            }
            default -> throw env.reject("bpf4j: not supported yet: return type of kfunc " + name);
        }
        if (name.startsWith(ITER_PREFIX) && name.endsWith("_next")) {
            iterNext(idx, iterFrame, iterSpi);
        }
    }

    /** process_iter_arg: returns {frame, spi, ref_obj_id}. */
    private int[] iterArg(int idx, int regno, String name, KfuncSignature.Type t) {
        Reg reg = env.regs()[regno];
        if (!(reg instanceof Reg.Ptr p) || p.type() != Reg.PtrType.STACK || p.maybeNull()) {
            throw env.reject("arg#" + (regno - 1) + " expected pointer to an iterator on stack");
        }
        String type = t.name().substring(ITER_PREFIX.length());
        int nrSlots = t.size() / FuncState.REG_SIZE;
        FuncState f = env.cur.frames[p.frameno()];
        if (name.endsWith("_new")) {
            int spi = spi(p, nrSlots);
            if (spi >= 0) {
                for (int i = 0; i < nrSlots; i++) {
                    for (int b = 0; b < FuncState.REG_SIZE; b++) {
                        if (f.type(spi - i, b) == FuncState.ITER) {
                            throw env.reject("expected uninitialized iter_" + type + " as arg #" + (regno - 1));
                        }
                    }
                }
            }
            for (int i = 0; i < nrSlots * 8; i += FuncState.REG_SIZE) {
                ex.mem.access(idx, regno, i, 8, MemChecks.WRITE, -1, false, false);
            }
            spi = spi(p, nrSlots);
            int id = env.newId();
            env.cur.refs.add(new VState.Ref(id, idx));
            for (int i = 0; i < nrSlots; i++) {
                for (int b = 0; b < FuncState.REG_SIZE; b++) {
                    f.setType(spi - i, b, FuncState.ITER);
                }
                f.spilled[spi - i] = null;
                f.iters[spi - i] = new FuncState.IterState(type, t.size(), i == 0 ? id : 0, true, 0);
                env.liveness.markWrite(p.frameno(), 1L << (spi - i));
                env.markStackScratched(spi - i);
            }
            return new int[] {p.frameno(), spi, 0};
        }
        int spi = spi(p, nrSlots);
        boolean valid = spi >= 0;
        for (int i = 0; valid && i < nrSlots; i++) {
            FuncState.IterState it = f.iters[spi - i];
            valid = f.isIter(spi - i) && it.type().equals(type) && (i == 0) == (it.refObjId() != 0);
            for (int b = 0; valid && b < FuncState.REG_SIZE; b++) {
                valid = f.type(spi - i, b) == FuncState.ITER;
            }
        }
        if (!valid) {
            throw env.reject("expected an initialized iter_" + type + " as arg #" + (regno - 1));
        }
        int ref = f.iters[spi].refObjId();
        for (int i = 0; i < nrSlots; i++) {
            // mark_iter_read
            env.liveness.markRead(p.frameno(), env.insnIdx, 1L << (spi - i));
            env.markStackScratched(spi - i);
        }
        if (name.endsWith("_destroy")) {
            ex.calls.releaseReference(ref);
            for (int i = 0; i < nrSlots; i++) {
                for (int b = 0; b < FuncState.REG_SIZE; b++) {
                    f.setType(spi - i, b, FuncState.INVALID);
                }
                f.iters[spi - i] = null;
                f.spilled[spi - i] = null;
                env.liveness.markWrite(p.frameno(), 1L << (spi - i));
                env.markStackScratched(spi - i);
            }
        }
        return new int[] {p.frameno(), spi, ref};
    }

    /**
     * iter_get_spi (stack_slot_obj_get_spi): the slot index of the iterator's first slot, or -1
     * when it lies outside the allocated stack (the write that follows grows it).
     */
    private int spi(Reg.Ptr p, int nrSlots) {
        if (!p.var().varOff().isConst()) {
            throw env.reject("iter has to be at a constant offset");
        }
        int off = (int) (p.off() + p.var().varOff().value());
        if (off % FuncState.REG_SIZE != 0) {
            throw env.reject("cannot pass in iter at an offset=" + off);
        }
        int spi = (-off - 1) / FuncState.REG_SIZE;
        if (spi + 1 < nrSlots) {
            throw env.reject("cannot pass in iter at an offset=" + off);
        }
        FuncState f = env.cur.frames[p.frameno()];
        if (spi - nrSlots + 1 < 0 || spi >= f.allocated() / FuncState.REG_SIZE) {
            return -1;
        }
        return spi;
    }

    /** process_iter_next_call. */
    private void iterNext(int idx, int frame, int spi) {
        VState cur = env.cur;
        FuncState.IterState it = cur.frames[frame].iters[spi];
        if (it.active()) {
            VState parent = cur.parent;
            VState prev = parent == null ? null : CallChecks.findPrevEntry(parent.parent, cur, idx);
            VState queued = ex.push(idx + 1, idx, false);
            FuncState qf = queued.frames[frame];
            qf.iters[spi] = qf.iters[spi].withActive(true).deeper();
            if (prev != null) {
                CallChecks.widen(prev, queued);
            }
            Reg[] qr = queued.frames[queued.curframe].regs;
            if (qr[0] instanceof Reg.Ptr p) {
                qr[0] = p.withType(p.type(), false);
            }
        }
        cur.frames[frame].iters[spi] = it.withActive(false);
        cur.frames[cur.curframe].regs[0] = Reg.ScalarReg.constant(0);
    }

    /**
     * The iterator whose {@code _next} is called at an iter_next insn in {@code st}: R1 points
     * at its first slot (btf_check_iter_kfuncs makes the iterator the first argument); whether
     * it is ACTIVE.
     */
    static boolean iterActiveAtNext(VState st) {
        Reg r1 = st.regs()[1];
        if (!(r1 instanceof Reg.Ptr p) || p.type() != Reg.PtrType.STACK || !p.var().varOff().isConst()) {
            return false;
        }
        int off = (int) (p.off() + p.var().varOff().value());
        int spi = (-off - 1) / FuncState.REG_SIZE;
        FuncState f = st.frames[p.frameno()];
        return spi >= 0 && spi < f.iters.length && f.isIter(spi) && f.iters[spi].active();
    }

    /** iter_active_depths_differ: an ACTIVE iterator of {@code old} is at another depth in {@code cur}. */
    static boolean activeDepthsDiffer(VState old, VState cur) {
        for (int fr = old.curframe; fr >= 0; fr--) {
            FuncState o = old.frames[fr];
            FuncState c = cur.frames[fr];
            for (int spi = 0; spi < o.allocated() / FuncState.REG_SIZE; spi++) {
                if (o.type(spi, 0) != FuncState.ITER || o.iters[spi] == null || !o.iters[spi].active()) {
                    continue;
                }
                FuncState.IterState ci = c != null && spi < c.iters.length ? c.iters[spi] : null;
                if (ci == null || ci.depth() != o.iters[spi].depth()) {
                    return true;
                }
            }
        }
        return false;
    }
}
