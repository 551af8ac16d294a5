package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.verifier.internal.scalar.Scalar;

/**
 * Stack reads and writes: bounds, spills and fills that keep registers, slot byte types
 * (invalid, spill, misc, zero), variable-offset accesses, and the range checks helpers use.
 */
final class StackAccess {
    private final Env env;

    StackAccess(Env env) {
        this.env = env;
    }

    private FuncState frameOf(Reg.Ptr p) {
        return env.cur.frames[p.frameno()];
    }

    /** check_stack_access_within_bounds + read/write. {@code off} already includes the pointer's fixed offset. */
    void access(int regno, Reg.Ptr p, int off, int size, int t, int valueReg, int idx) {
        within(regno, p, off, size, t == MemChecks.WRITE ? " write to" : " read from", t == MemChecks.WRITE);
        FuncState f = frameOf(p);
        if (t == MemChecks.READ) {
            if (p.var().varOff().isConst()) {
                readFixed(f, off + (int) p.var().varOff().value(), size, valueReg);
            } else {
                if (valueReg < 0) {
                    throw env.reject("variable offset stack pointer cannot be passed into helper function; var_off="
                            + StatePrinter.tnum(p.var().varOff()) + " off=" + off + " size=" + size);
                }
                readVar(f, p, off, size, valueReg);
            }
        } else if (p.var().varOff().isConst()) {
            writeFixed(f, off + (int) p.var().varOff().value(), size, valueReg, idx);
        } else {
            writeVar(f, p, off, size, valueReg, idx);
        }
        if (env.fastcall != null) {
            long minOff = p.var().varOff().isConst() ? off + p.var().varOff().value() : p.var().smin() + off;
            env.fastcall.contract(f.subprog, idx, (int) minOff);
        }
    }

    /** The bounds check; grows the frame's stack like grow_stack_state. */
    void within(int regno, Reg.Ptr p, int off, int size, String extra, boolean write) {
        FuncState f = frameOf(p);
        long minOff;
        long maxOff;
        Scalar v = p.var();
        if (v.varOff().isConst()) {
            minOff = v.varOff().value() + off;
            maxOff = minOff + size;
        } else {
            if (v.smax() >= MemChecks.MAX_VAR_OFF || v.smin() <= -MemChecks.MAX_VAR_OFF) {
                throw env.reject("invalid unbounded variable-offset" + extra + " stack R" + regno);
            }
            minOff = v.smin() + off;
            maxOff = v.smax() + off + size;
        }
        int minValid = write || env.priv.allowUninitStack() ? -FuncState.MAX_STACK : -f.allocated();
        boolean bad = minOff < minValid || minOff > -1 || maxOff > 0 || size < 0;
        if (bad) {
            if (v.varOff().isConst()) {
                throw env.reject("invalid" + extra + " stack R" + regno + " off=" + off + " size=" + size);
            }
            throw env.reject("invalid variable-offset" + extra + " stack R" + regno + " var_off="
                    + StatePrinter.tnum(v.varOff()) + " off=" + off + " size=" + size);
        }
        env.growStack(f, (int) -minOff);
    }

    private static boolean spilledScalar(FuncState f, int spi) {
        return f.isSpill(spi) && f.spilled[spi] instanceof Reg.ScalarReg;
    }

    private void writeFixed(FuncState f, int off, int size, int valueReg, int idx) {
        int slot = -off - 1;
        int spi = slot / FuncState.REG_SIZE;
        if (!env.priv.allowPtrLeaks() && f.isSpill(spi) && !spilledScalar(f, spi) && size != FuncState.REG_SIZE) {
            throw env.reject("attempt to corrupt spilled pointer on stack");
        }
        if (!env.priv.bypassSpecV4()) {
            // a store barrier follows a spill or an overwrite of anything but data (the kernel looks at
            // the first size bytes of the slot, whichever bytes the store writes)
            boolean barrier = valueReg >= 0 && env.regs()[valueReg] instanceof Reg.Ptr;
            for (int i = 0; i < size && !barrier; i++) {
                byte t = f.type(spi, i);
                barrier = t != FuncState.MISC && t != FuncState.ZERO;
            }
            if (barrier) {
                env.nospecResult[idx] = true;
            }
        }
        Dynptrs.destroyIfDynptr(env, f, spi);
        if (off % FuncState.REG_SIZE == 0 && size == FuncState.REG_SIZE) {
            // only a whole-slot write kills the slot for stack liveness
            env.liveness.markWrite(f.frameno, 1L << spi);
        }
        env.markStackScratched(spi);
        Reg reg = valueReg >= 0 ? env.regs()[valueReg] : null;
        boolean isSt = env.prog.insns[idx].slot().instructionClass() == Opcodes.ST;
        if (reg instanceof Reg.ScalarReg sr && off % FuncState.REG_SIZE == 0 && env.priv.bpfCapable()) {
            boolean fits = 64 - Long.numberOfLeadingZeros(sr.v().umax()) <= 8 * size;
            Reg.ScalarReg saved = sr;
            if (fits && !sr.v().isConst() && sr.id() == 0) {
                saved = new Reg.ScalarReg(sr.v(), env.newId(), false, 0);
                env.regs()[valueReg] = saved;
            } else if (fits && sr.addConst()) {
                saved = new Reg.ScalarReg(sr.v(), 0, false, 0);
                env.regs()[valueReg] = saved;
            }
            if (!fits) {
                saved = saved.withoutId();
            }
            saveRegister(f, spi, saved, size);
            env.pushHistory(VState.stackAccessFlags(f.frameno, spi), null);
        } else if (reg == null && off % FuncState.REG_SIZE == 0 && isSt && env.priv.bpfCapable()) {
            saveRegister(f, spi, Reg.ScalarReg.constant(env.prog.insns[idx].imm()), size);
            env.pushHistory(VState.stackAccessFlags(f.frameno, spi), null);
        } else if (reg instanceof Reg.Ptr p && p.type() != Reg.PtrType.CONST_DYNPTR) {
            // (is_spillable_regtype: a callback's dynptr pointer is stored as plain data)
            if (size != FuncState.REG_SIZE) {
                Linfo.print(env.log, env.prog, idx, "; ");
                throw env.reject("invalid size of register spill");
            }
            if (f != env.frame() && p.type() == Reg.PtrType.STACK) {
                throw env.reject("cannot spill pointers to stack into stack frame of the caller");
            }
            saveRegister(f, spi, p, size);
            env.pushHistory(VState.stackAccessFlags(f.frameno, spi), null);
        } else {
            byte type = FuncState.MISC;
            if (f.isSpill(spi) || anySpill(f, spi)) {
                scrub(f, spi);
            }
            boolean zero = reg instanceof Reg.ScalarReg sr && sr.v().isConst() && sr.v().constValue() == 0
                    || reg == null && isSt && env.prog.insns[idx].imm() == 0;
            if (zero) {
                // STACK_ZERO relies on the exact value
                env.markPrecise(valueReg);
                type = FuncState.ZERO;
            }
            for (int i = 0; i < size; i++) {
                f.slotType[slot - i] = type;
            }
        }
    }

    private static boolean anySpill(FuncState f, int spi) {
        for (int b = 0; b < FuncState.REG_SIZE; b++) {
            if (f.type(spi, b) == FuncState.SPILL) {
                return true;
            }
        }
        return false;
    }

    /** scrub_special_slot: a partially overwritten spill becomes plain data. */
    private static void scrub(FuncState f, int spi) {
        for (int b = 0; b < FuncState.REG_SIZE; b++) {
            if (f.type(spi, b) != FuncState.INVALID) {
                f.setType(spi, b, FuncState.MISC);
            }
        }
        f.spilled[spi] = null;
    }

    private static void saveRegister(FuncState f, int spi, Reg r, int size) {
        f.spilled[spi] = r;
        int i = FuncState.REG_SIZE;
        for (; i > FuncState.REG_SIZE - size; i--) {
            f.setType(spi, i - 1, FuncState.SPILL);
        }
        for (; i > 0; i--) {
            byte t = f.type(spi, i - 1);
            if (t != FuncState.ZERO && t != FuncState.INVALID) {
                f.setType(spi, i - 1, FuncState.MISC);
            }
        }
    }

    private void readFixed(FuncState f, int off, int size, int dst) {
        int slot = -off - 1;
        int spi = slot / FuncState.REG_SIZE;
        env.markStackScratched(spi);
        env.liveness.markRead(f.frameno, env.insnIdx, 1L << spi);
        Reg spilled = f.spilled[spi];
        if (f.isSpill(spi)) {
            int spillSize = 1;
            for (int i = FuncState.REG_SIZE - 1; i > 0 && f.type(spi, i - 1) == FuncState.SPILL; i--) {
                spillSize++;
            }
            if (size != FuncState.REG_SIZE || spillSize != FuncState.REG_SIZE) {
                if (!(spilled instanceof Reg.ScalarReg ss)) {
                    Linfo.print(env.log, env.prog, env.insnIdx, "; ");
                    throw env.reject("invalid size of register fill");
                }
                if (dst < 0) {
                    return;
                }
                int fill = VState.stackAccessFlags(f.frameno, spi);
                if (size <= spillSize && off % FuncState.REG_SIZE == 0) {
                    boolean wide = 64 - Long.numberOfLeadingZeros(ss.v().umax()) > size * 8;
                    env.setReg(dst, wide ? ss.withoutId() : ss);
                    env.pushHistory(fill, null);
                } else {
                    int spillCnt = 0;
                    int zeroCnt = 0;
                    for (int i = 0; i < size; i++) {
                        byte t = f.slotType[slot - i];
                        if (t == FuncState.SPILL) {
                            spillCnt++;
                        } else if (t == FuncState.ZERO) {
                            zeroCnt++;
                        } else if (t != FuncState.MISC && !(t == FuncState.INVALID && env.priv.allowUninitStack())) {
                            throw env.reject("invalid read from stack off " + off + "+" + i + " size " + size);
                        }
                    }
                    if (spillCnt == size && ss.v().isConst() && ss.v().constValue() == 0) {
                        env.setReg(dst, Reg.ScalarReg.constant(0));
                        env.pushHistory(fill, null);
                    } else if (zeroCnt == size) {
                        env.setReg(dst, Reg.ScalarReg.constant(0));
                    } else {
                        env.markUnknown(dst);
                    }
                }
            } else if (dst >= 0) {
                env.setReg(dst, spilled);
                env.pushHistory(VState.stackAccessFlags(f.frameno, spi), null);
            } else if (spilled instanceof Reg.Ptr && !env.priv.allowPtrLeaks()) {
                throw env.reject("leaking pointer from stack off " + off);
            } else {
                env.pushHistory(VState.stackAccessFlags(f.frameno, spi), null);
            }
            return;
        }
        for (int i = 0; i < size; i++) {
            byte t = f.slotType[slot - i];
            if (t == FuncState.MISC || t == FuncState.ZERO || t == FuncState.INVALID && env.priv.allowUninitStack()) {
                continue;
            }
            throw env.reject("invalid read from stack off " + off + "+" + i + " size " + size);
        }
        if (dst >= 0) {
            markStackRead(f, off, off + size, dst);
        }
    }

    private void markStackRead(FuncState f, int minOff, int maxOff, int dst) {
        boolean allZero = true;
        for (int i = minOff; i < maxOff; i++) {
            if (f.typeAt(i) != FuncState.ZERO) {
                allZero = false;
                break;
            }
        }
        if (allZero) {
            env.setReg(dst, Reg.ScalarReg.constant(0));
        } else {
            env.markUnknown(dst);
        }
    }

    private void readVar(FuncState f, Reg.Ptr p, int off, int size, int dst) {
        int minOff = (int) p.var().smin() + off;
        int maxOff = (int) p.var().smax() + off + size;
        rangeInitialized(f, -1, minOff, maxOff - minOff, false, true, "");
        markStackRead(f, minOff, maxOff, dst);
    }

    private void writeVar(FuncState f, Reg.Ptr p, int off, int size, int valueReg, int idx) {
        int minOff = (int) p.var().smin() + off;
        int maxOff = (int) p.var().smax() + off + size;
        Reg val = valueReg >= 0 ? env.regs()[valueReg] : null;
        boolean zero = val instanceof Reg.ScalarReg sr && sr.v().isConst() && sr.v().constValue() == 0
                || val == null && env.prog.insns[idx].imm() == 0;
        boolean zeroUsed = false;
        for (int i = minOff; i < maxOff; i++) {
            Dynptrs.destroyIfDynptr(env, f, (-i - 1) / FuncState.REG_SIZE);
        }
        for (int i = minOff; i < maxOff; i++) {
            int slot = -i - 1;
            int spi = slot / FuncState.REG_SIZE;
            env.markStackScratched(spi);
            byte t = f.slotType[slot];
            if (!env.priv.allowPtrLeaks() && t == FuncState.SPILL && f.spilled[spi] instanceof Reg.Ptr) {
                env.log.errorNoNewline("spilled ptr in range of var-offset stack write; insn " + idx + ", ptr off: " + i);
                throw new Reject();
            }
            f.spilled[spi] = t == FuncState.SPILL ? null : f.spilled[spi];
            if (t == FuncState.SPILL) {
                scrub(f, spi);
                t = f.slotType[slot];
            }
            boolean exact = p.var().smin() == p.var().smax();
            zeroUsed |= zero && t == FuncState.ZERO;
            if (!(zero && t == FuncState.ZERO)) {
                if (t == FuncState.INVALID && !exact && !env.priv.allowUninitStack()) {
                    env.log.errorNoNewline("uninit stack in range of var-offset write prohibited for !root; insn " + idx + ", off: " + i);
                    throw new Reject();
                }
                f.slotType[slot] = zero && t == FuncState.ZERO ? FuncState.ZERO : FuncState.MISC;
            }
        }
        if (zeroUsed) {
            env.markPrecise(valueReg);
        }
    }

    /**
     * check_stack_range_initialized for helper memory arguments: every byte in
     * [off, off+size) must be readable; {@code uninitOk} (raw mode) only records the range,
     * {@code markWritten} turns the bytes into data the helper wrote.
     */
    void rangeInitialized(FuncState f, int regno, int minOff, int size, boolean uninitOk, boolean readOnly, String unused) {
        if (uninitOk) {
            markWritten(f, minOff, size);
            return;
        }
        for (int i = minOff; i < minOff + size; i++) {
            int slot = -i - 1;
            int spi = slot / FuncState.REG_SIZE;
            byte t = f.slotType[slot];
            if (t == FuncState.MISC || t == FuncState.ZERO
                    || t == FuncState.INVALID && env.priv.allowUninitStack()
                    || t == FuncState.SPILL && (f.spilled[spi] instanceof Reg.ScalarReg || env.priv.allowPtrLeaks())) {
                env.liveness.markRead(f.frameno, env.insnIdx, 1L << spi);
                continue;
            }
            if (regno < 0) {
                throw env.reject("invalid read from stack off " + minOff + "+" + (i - minOff) + " size " + size);
            }
            throw env.reject("invalid read from stack R" + regno + " off " + minOff + "+" + (i - minOff) + " size " + size);
        }
        if (!readOnly) {
            markWritten(f, minOff, size);
        }
    }

    /** A helper wrote [off, off+size): spills there become unknown data. */
    private void markWritten(FuncState f, int off, int size) {
        for (int i = off; i < off + size; i++) {
            int slot = -i - 1;
            int spi = slot / FuncState.REG_SIZE;
            env.markStackScratched(spi);
            if (f.isSpill(spi) && f.spilled[spi] instanceof Reg.ScalarReg) {
                f.spilled[spi] = Reg.ScalarReg.UNKNOWN;
                continue;
            }
            if (f.slotType[slot] != FuncState.SPILL) {
                f.slotType[slot] = FuncState.MISC;
            } else {
                scrub(f, spi);
            }
        }
    }
}
