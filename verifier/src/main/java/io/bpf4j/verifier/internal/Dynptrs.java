package io.bpf4j.verifier.internal;

import io.bpf4j.verifier.internal.FuncState.DynptrKind;
import io.bpf4j.verifier.internal.FuncState.DynptrState;

/**
 * bpf_dynptr objects on the stack (the kernel's STACK_DYNPTR slots): {@code process_dynptr_func}
 * for helper and kfunc arguments, {@code mark_stack_slots_dynptr} (two whole slots, a fresh id,
 * a reference for ringbuf dynptrs or the parent's for a clone), {@code unmark_stack_slots_dynptr}
 * (a release also invalidates the clones and, through the reference, every slice),
 * {@code destroy_if_dynptr_stack_slot} (any stack write into an unreferenced dynptr destroys it
 * and its slices; into a referenced one it is refused) and the raw-mode rule that a helper may
 * not write over one. A callback's dynptr ({@code bpf_user_ringbuf_drain}'s) is a
 * {@code CONST_PTR_TO_DYNPTR} register: initialized, read-only to the calls it is passed to, never
 * released by the program.
 */
final class Dynptrs {
    /** BPF_DYNPTR_NR_SLOTS. */
    static final int NR_SLOTS = 2;
    /** BPF_DYNPTR_SIZE. */
    static final int SIZE = 16;

    private final Env env;
    private final Explorer ex;

    Dynptrs(Env env, Explorer ex) {
        this.env = env;
        this.ex = ex;
    }

    /**
     * How an argument takes a dynptr (the arg_type bits process_dynptr_func reads):
     * {@code uninit} (MEM_UNINIT: the call makes a new one there), {@code rdonly} (MEM_RDONLY:
     * the call does not change it), the dynptr type the call wants or makes (null: any), and for
     * a clone the parent's reference.
     */
    record Arg(boolean uninit, boolean rdonly, DynptrKind kind, int cloneRefObjId) {
    }

    /** process_dynptr_func. */
    void process(int idx, int regno, Arg a) {
        Reg reg = env.regs()[regno];
        if (reg instanceof Reg.Ptr c && c.type() == Reg.PtrType.CONST_DYNPTR) {
            constArg(regno, c, a);
            return;
        }
        if (!(reg instanceof Reg.Ptr p) || p.type() != Reg.PtrType.STACK) {
            throw env.reject("arg#" + (regno - 1) + " expected pointer to stack or const struct bpf_dynptr");
        }
        if (a.uninit()) {
            // is_dynptr_reg_valid_uninit: only the offset rules; existing unreferenced dynptrs are overwritten
            if (spi(p) == EINVAL) {
                throw env.reject("Dynptr has to be an uninitialized dynptr");
            }
            for (int i = 0; i < SIZE; i += FuncState.REG_SIZE) {
                ex.mem.access(idx, regno, i, FuncState.REG_SIZE, MemChecks.WRITE, -1, false, false);
            }
            mark(idx, p, a);
            return;
        }
        int spi = validInit(p);
        if (spi < 0) {
            throw env.reject("Expected an initialized dynptr as arg #" + (regno - 1));
        }
        FuncState f = env.cur.frames[p.frameno()];
        if (a.kind() != null && f.dynptrs[spi].kind() != a.kind()) {
            throw env.reject("Expected a dynptr of type " + a.kind().text + " as arg #" + (regno - 1));
        }
        // mark_dynptr_read
        env.liveness.markRead(p.frameno(), env.insnIdx, 1L << spi | 1L << (spi - 1));
    }

    /** process_dynptr_func for a CONST_PTR_TO_DYNPTR: always initialized, never changed by the call. */
    private void constArg(int regno, Reg.Ptr c, Arg a) {
        if (a.uninit()) {
            throw env.reject("Dynptr has to be an uninitialized dynptr");
        }
        if (!a.rdonly()) {
            throw env.reject("cannot pass pointer to const bpf_dynptr, the helper mutates it");
        }
        if (a.kind() != null && c.dynptr().kind() != a.kind()) {
            throw env.reject("Expected a dynptr of type " + a.kind().text + " as arg #" + (regno - 1));
        }
    }

    /** A callback's dynptr argument (mark_dynptr_cb_reg): a fresh id, no reference. */
    Reg.Ptr callbackArg(DynptrKind kind) {
        return Reg.Ptr.of(Reg.PtrType.CONST_DYNPTR).withDynptr(new Reg.DynptrRef(env.newId(), kind));
    }

    /** The state of the initialized dynptr {@code p} points at (after {@link #process}). */
    DynptrState state(Reg.Ptr p) {
        if (p.type() == Reg.PtrType.CONST_DYNPTR) {
            return new DynptrState(p.dynptr().kind(), true, p.dynptr().id(), p.refObjId());
        }
        int spi = stackSlotObjSpi(env, p, "dynptr", NR_SLOTS);
        return env.cur.frames[p.frameno()].dynptrs[spi];
    }

    /** is_dynptr_reg_valid_init: the first slot of a whole dynptr, or -1. */
    private int validInit(Reg.Ptr p) {
        int spi = spi(p);
        if (spi < 0) {
            return -1;
        }
        FuncState f = env.cur.frames[p.frameno()];
        if (f.dynptrs[spi] == null || !f.dynptrs[spi].first()) {
            return -1;
        }
        for (int b = 0; b < FuncState.REG_SIZE; b++) {
            if (f.type(spi, b) != FuncState.DYNPTR || f.type(spi - 1, b) != FuncState.DYNPTR) {
                return -1;
            }
        }
        return spi;
    }

    /** mark_stack_slots_dynptr. */
    private void mark(int idx, Reg.Ptr p, Arg a) {
        FuncState f = env.cur.frames[p.frameno()];
        int spi = stackSlotObjSpi(env, p, "dynptr", NR_SLOTS);
        destroyIfDynptr(env, f, spi);
        destroyIfDynptr(env, f, spi - 1);
        int id = env.newId();
        int ref = 0;
        if (a.kind().refcounted()) {
            if (a.cloneRefObjId() != 0) {
                ref = a.cloneRefObjId();
            } else {
                ref = env.newId();
                env.cur.refs.add(new VState.Ref(ref, idx));
            }
        }
        for (int i = 0; i < NR_SLOTS; i++) {
            for (int b = 0; b < FuncState.REG_SIZE; b++) {
                f.setType(spi - i, b, FuncState.DYNPTR);
            }
            f.spilled[spi - i] = null;
            f.dynptrs[spi - i] = new DynptrState(a.kind(), i == 0, id, ref);
            env.markStackScratched(spi - i);
        }
        env.liveness.markWrite(p.frameno(), 1L << spi | 1L << (spi - 1));
    }

    /**
     * check_func_arg's rule for a releasing dynptr argument: it must point at a dynptr holding a
     * reference ({@code arg %d is an unacquired reference}).
     */
    void checkReleasable(int regno) {
        Reg reg = env.regs()[regno];
        if (!(reg instanceof Reg.Ptr p) || p.type() != Reg.PtrType.STACK) {
            throw env.reject("cannot release unowned const bpf_dynptr");
        }
        int spi = spi(p);
        FuncState f = env.cur.frames[p.frameno()];
        if (spi < 0 || f.dynptrs[spi] == null || f.dynptrs[spi].refObjId() == 0) {
            throw env.reject("arg " + regno + " is an unacquired reference");
        }
    }

    /** unmark_stack_slots_dynptr: releases the dynptr {@code regno} points at; false when its reference is gone. */
    boolean release(int regno) {
        Reg.Ptr p = (Reg.Ptr) env.regs()[regno];
        FuncState f = env.cur.frames[p.frameno()];
        int spi = stackSlotObjSpi(env, p, "dynptr", NR_SLOTS);
        DynptrState d = f.dynptrs[spi];
        if (!d.kind().refcounted()) {
            invalidate(f, spi);
            return true;
        }
        int ref = d.refObjId();
        // the slices hold the reference: release_reference invalidates them
        if (!ex.calls.releaseReference(ref)) {
            return false;
        }
        for (int i = 1; i < f.allocated() / FuncState.REG_SIZE; i++) {
            DynptrState c = f.dynptrs[i];
            if (c != null && c.refObjId() == ref && c.first() && f.type(i, 0) == FuncState.DYNPTR) {
                invalidate(f, i);
            }
        }
        return true;
    }

    /** invalidate_dynptr: both slots become STACK_INVALID. */
    private void invalidate(FuncState f, int spi) {
        clearSlots(env, f, spi);
    }

    private static void clearSlots(Env env, FuncState f, int spi) {
        for (int i = 0; i < NR_SLOTS; i++) {
            for (int b = 0; b < FuncState.REG_SIZE; b++) {
                f.setType(spi - i, b, FuncState.INVALID);
            }
            f.dynptrs[spi - i] = null;
            f.spilled[spi - i] = null;
            env.markStackScratched(spi - i);
        }
        env.liveness.markWrite(f.frameno, 1L << spi | 1L << (spi - 1));
    }

    /**
     * destroy_if_dynptr_stack_slot: a stack write touching slot {@code spi} of a dynptr destroys
     * the whole dynptr and invalidates its slices; a referenced dynptr may not be overwritten.
     */
    static void destroyIfDynptr(Env env, FuncState f, int spi) {
        if (spi < 0 || spi >= f.dynptrs.length || f.type(spi, 0) != FuncState.DYNPTR || f.dynptrs[spi] == null) {
            return;
        }
        if (!f.dynptrs[spi].first()) {
            spi++;
        }
        DynptrState d = f.dynptrs[spi];
        if (d.kind().refcounted()) {
            throw env.reject("cannot overwrite referenced dynptr");
        }
        int id = d.id();
        clearSlots(env, f, spi);
        Reg invalid = CallChecks.invalidated(env);
        for (int fr = 0; fr <= env.cur.curframe; fr++) {
            FuncState s = env.cur.frames[fr];
            for (int r = 0; r < FuncState.MAX_REG; r++) {
                if (isSliceOf(s.regs[r], id)) {
                    s.regs[r] = invalid;
                }
            }
            for (int i = 0; i < s.spilled.length; i++) {
                if (s.isSpill(i) && isSliceOf(s.spilled[i], id)) {
                    s.spilled[i] = invalid;
                }
            }
        }
    }

    private static boolean isSliceOf(Reg r, int dynptrId) {
        return r instanceof Reg.Ptr p && p.type() == Reg.PtrType.MEM && p.dynptr() != null && p.dynptr().id() == dynptrId;
    }

    /**
     * check_stack_range_initialized in raw mode: a helper that writes [minOff, minOff+size) may
     * not write over a dynptr ({@code potential write to dynptr at off=%d disallowed}).
     */
    static void checkRawWrite(Env env, FuncState f, int minOff, int size) {
        for (int i = minOff; i < minOff + size; i++) {
            int slot = -i - 1;
            if (slot >= f.allocated()) {
                continue;
            }
            if (f.slotType[slot] == FuncState.DYNPTR) {
                throw env.reject("potential write to dynptr at off=" + i + " disallowed");
            }
        }
    }

    /** stack_slot_obj_get_spi's -EINVAL: the reason is logged, and the caller adds its own line. */
    private static final int EINVAL = -2;

    /** dynptr_get_spi: the first slot, -1 outside the allocated stack, {@link #EINVAL} (logged) for a bad offset. */
    private int spi(Reg.Ptr p) {
        try {
            return stackSlotObjSpi(env, p, "dynptr", NR_SLOTS);
        } catch (Reject r) {
            return EINVAL;
        }
    }

    /**
     * stack_slot_obj_get_spi: the first slot of a stack object ({@code kind}: "dynptr", "iter")
     * of {@code nrSlots} slots {@code p} points at, or -1 when it lies outside the allocated stack
     * (a write that follows grows it).
     */
    static int stackSlotObjSpi(Env env, Reg.Ptr p, String kind, int nrSlots) {
        if (!p.var().varOff().isConst()) {
            throw env.reject(kind + " has to be at a constant offset");
        }
        int off = (int) (p.off() + p.var().varOff().value());
        if (off % FuncState.REG_SIZE != 0) {
            throw env.reject("cannot pass in " + kind + " at an offset=" + off);
        }
        int spi = (-off - 1) / FuncState.REG_SIZE;
        if (spi + 1 < nrSlots) {
            throw env.reject("cannot pass in " + kind + " at an offset=" + off);
        }
        FuncState f = env.cur.frames[p.frameno()];
        if (spi - nrSlots + 1 < 0 || spi >= f.allocated() / FuncState.REG_SIZE) {
            return -1;
        }
        return spi;
    }
}
