package io.bpf4j.verifier.internal;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.verifier.internal.scalar.BranchRefinement;
import io.bpf4j.verifier.internal.scalar.Scalar;

/**
 * ALU and ALU64 ({@code check_alu_op}, {@code adjust_reg_min_max_vals},
 * {@code adjust_ptr_min_max_vals}): encoding checks, scalar arithmetic through {@link Scalar},
 * pointer arithmetic rules, copies that link scalar ids.
 */
final class AluChecks {
    static final int MAX_VAR_OFF = 1 << 29;
    private static final String[] ALU_STRING = {"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=",
            "=", "s>>=", "endian", "?", "?"};

    private final Env env;
    private final Explorer ex;
    private final PtrSanitation sanitation;

    AluChecks(Env env, Explorer ex) {
        this.env = env;
        this.ex = ex;
        this.sanitation = new PtrSanitation(env, ex);
    }

    void check(Instruction insn) {
        Slot s = insn.slot();
        int opcode = s.code() & Opcodes.OP_MASK;
        boolean alu64 = s.instructionClass() == Opcodes.ALU64;
        boolean x = (s.code() & Opcodes.SOURCE_MASK) == Opcodes.X;
        int dst = s.dst();
        if (opcode == Opcodes.END || opcode == Opcodes.NEG) {
            if (opcode == Opcodes.NEG) {
                if (x || s.src() != 0 || s.off() != 0 || s.imm() != 0) {
                    throw env.reject("BPF_NEG uses reserved fields");
                }
            } else if (s.src() != 0 || s.off() != 0 || s.imm() != 16 && s.imm() != 32 && s.imm() != 64
                    || alu64 && x) {
                throw env.reject("BPF_END uses reserved fields");
            }
            env.src(dst);
            if (env.isPointerValue(dst)) {
                throw env.reject("R" + dst + " pointer arithmetic prohibited");
            }
            Reg old = env.regs()[dst];
            env.dst(dst);
            Scalar v = old instanceof Reg.ScalarReg sr ? sr.v() : Scalar.unknown();
            Scalar r;
            if (opcode == Opcodes.NEG) {
                r = old instanceof Reg.ScalarReg ? sanityChecked(v.aluUnchecked(AluOp.NEG, alu64, v, 0)) : v;
            } else if (alu64) {
                r = v.bswap(s.imm());
            } else {
                r = v.endian(x, s.imm());
            }
            env.setReg(dst, Reg.ScalarReg.of(old instanceof Reg.ScalarReg ? r : Scalar.unknown()));
            return;
        }
        if (opcode == Opcodes.MOV) {
            mov(s, alu64, x);
            return;
        }
        if (opcode > Opcodes.END) {
            throw env.reject("invalid BPF_ALU opcode " + Integer.toHexString(opcode >> 4));
        }
        if (x) {
            if (s.imm() != 0 || s.off() != 0 && s.off() != 1
                    || s.off() == 1 && opcode != Opcodes.MOD && opcode != Opcodes.DIV) {
                throw env.reject("BPF_ALU uses reserved fields");
            }
            env.src(s.src());
        } else if (s.src() != 0 || s.off() != 0 && s.off() != 1
                || s.off() == 1 && opcode != Opcodes.MOD && opcode != Opcodes.DIV) {
            throw env.reject("BPF_ALU uses reserved fields");
        }
        env.src(dst);
        if ((opcode == Opcodes.MOD || opcode == Opcodes.DIV) && !x && s.imm() == 0) {
            throw env.reject("div by zero");
        }
        if ((opcode == Opcodes.LSH || opcode == Opcodes.RSH || opcode == Opcodes.ARSH) && !x) {
            int size = alu64 ? 64 : 32;
            if (s.imm() < 0 || s.imm() >= size) {
                throw env.reject("invalid shift " + s.imm());
            }
        }
        env.dst(dst);
        adjustRegMinMax(s, AluOp.ofBits(s.code()), alu64, x);
    }

    private void mov(Slot s, boolean alu64, boolean x) {
        int dst = s.dst();
        if (x) {
            if (!alu64) {
                if (s.off() != 0 && s.off() != 8 && s.off() != 16 || s.imm() != 0) {
                    throw env.reject("BPF_MOV uses reserved fields");
                }
            } else if (s.off() == 1) {
                if (s.imm() != 1 && s.imm() != 1 << 16) {
                    throw env.reject("addr_space_cast insn can only convert between address space 1 and 0");
                }
                throw env.reject("addr_space_cast insn can only be used in a program that has an associated arena");
            } else if (s.off() != 0 && s.off() != 8 && s.off() != 16 && s.off() != 32 || s.imm() != 0) {
                throw env.reject("BPF_MOV uses reserved fields");
            }
            env.src(s.src());
        } else if (s.src() != 0 || s.off() != 0) {
            throw env.reject("BPF_MOV uses reserved fields");
        }
        env.dst(dst);
        if (!x) {
            long v = alu64 ? s.imm() : Integer.toUnsignedLong(s.imm());
            env.setReg(dst, Reg.ScalarReg.constant(v));
            return;
        }
        int srcNo = s.src();
        Reg src = env.regs()[srcNo];
        int off = s.off();
        if (alu64) {
            if (off == 0) {
                env.setReg(dst, assignIdBeforeMov(srcNo));
                return;
            }
            if (env.isPointerValue(srcNo)) {
                throw env.reject("R" + srcNo + " sign-extension part of pointer");
            }
            if (src instanceof Reg.ScalarReg sr) {
                boolean noSext = Long.compareUnsigned(sr.v().umax(), 1L << (off - 1)) < 0;
                Reg.ScalarReg copy = noSext ? (Reg.ScalarReg) assignIdBeforeMov(srcNo) : sr.withoutId();
                env.setReg(dst, copy.withValue(copy.v().movsx(off, true)));
            } else {
                env.markUnknown(dst);
            }
            return;
        }
        if (env.isPointerValue(srcNo)) {
            throw env.reject("R" + srcNo + " partial copy of pointer");
        }
        if (src instanceof Reg.ScalarReg sr) {
            if (off == 0) {
                boolean fits32 = Long.compareUnsigned(sr.v().umax(), 0xffffffffL) <= 0;
                Reg.ScalarReg copy = fits32 ? (Reg.ScalarReg) assignIdBeforeMov(srcNo) : sr.withoutId();
                env.setReg(dst, copy.withValue(copy.v().zext32()));
            } else {
                boolean noSext = Long.compareUnsigned(sr.v().umax(), 1L << (off - 1)) < 0;
                Reg.ScalarReg copy = noSext ? (Reg.ScalarReg) assignIdBeforeMov(srcNo) : sr.withoutId();
                env.setReg(dst, copy.withValue(copy.v().movsx(off, false)));
            }
        } else {
            env.markUnknown(dst);
        }
    }

    /** assign_scalar_id_before_mov: a copied non-constant scalar shares a fresh id with its copy. */
    private Reg assignIdBeforeMov(int srcNo) {
        Reg src = env.regs()[srcNo];
        if (src instanceof Reg.ScalarReg sr) {
            if (sr.addConst()) {
                sr = new Reg.ScalarReg(sr.v(), 0, false, 0);
            }
            if (sr.id() == 0 && !sr.v().isConst()) {
                sr = new Reg.ScalarReg(sr.v(), env.newId(), false, 0);
            }
            env.setReg(srcNo, sr);
            return sr;
        }
        return src;
    }

    private void adjustRegMinMax(Slot s, AluOp op, boolean alu64, boolean x) {
        int dst = s.dst();
        Reg d = env.regs()[dst];
        Reg src = x ? env.regs()[s.src()] : Reg.ScalarReg.constant(s.imm());
        if (x && src instanceof Reg.Ptr sp) {
            if (d instanceof Reg.Ptr) {
                if (op == AluOp.SUB && env.priv.allowPtrLeaks()) {
                    env.markUnknown(dst);
                    return;
                }
                throw env.reject("R" + dst + " pointer " + ALU_STRING[op.bits() >> 4] + " pointer prohibited");
            }
            env.markPrecise(dst);
            adjustPtr(dst, s.src(), x, op, alu64, sp, (Reg.ScalarReg) d, true);
            return;
        }
        if (d instanceof Reg.Ptr dp) {
            if (x) {
                env.markPrecise(s.src());
            }
            adjustPtr(dst, s.src(), x, op, alu64, dp, (Reg.ScalarReg) src, false);
            return;
        }
        Reg.ScalarReg ds = (Reg.ScalarReg) d;
        Reg.ScalarReg ss = (Reg.ScalarReg) src;
        if (x && ds.precise()) {
            env.markPrecise(s.src());
        }
        sanitation.scalar(op, x, dst);
        io.bpf4j.verifier.internal.scalar.ScalarFork fork = ds.v().forkBeforeBitwise(op, ss.v());
        if (fork != null) {
            // maybe_fork_scalars: a [-1, 0] value is split; the 0 case re-runs this insn later
            VState pushed = ex.push(env.insnIdx, env.insnIdx, false);
            pushed.regs()[dst] = Reg.ScalarReg.of(fork.pushed());
            ds = Reg.ScalarReg.of(fork.continued());
        }
        Scalar r = sanityChecked(ds.v().aluUnchecked(op, alu64, ss.v(), s.off()));
        int id = 0;
        boolean addConst = false;
        int delta = 0;
        if (env.priv.bpfCapable() && op == AluOp.ADD && alu64 && ds.id() != 0 && ss.v().isConst()) {
            long val = ss.v().constValue();
            if (!ds.addConst() && Long.compareUnsigned(val, Integer.MAX_VALUE) <= 0) {
                id = ds.id();
                addConst = true;
                delta = (int) val;
            }
        }
        env.setReg(dst, new Reg.ScalarReg(r, id, addConst, delta, ds.precise()));
    }

    /**
     * reg_bounds_sanity_check(.., "alu") at the end of check_alu_op: a contradictory result is
     * reported and, as 6.18 does without its test flag, continues with unbounded ranges.
     */
    private Scalar sanityChecked(Scalar raw) {
        String reason = raw.invariantViolation();
        if (reason == null) {
            return raw;
        }
        env.log.verbose("verifier bug: " + new BranchRefinement.Violation("alu", reason, raw).message() + "\n");
        return raw.withUnboundedRanges();
    }

    private void adjustPtr(int dst, int src, boolean x, AluOp op, boolean alu64, Reg.Ptr ptr, Reg.ScalarReg offReg,
                           boolean scalarIsDst) {
        Scalar off = offReg.v();
        boolean known = off.isConst();
        if (known && (off.smin() != off.smax() || off.umin() != off.umax())
                || off.smin() > off.smax() || Long.compareUnsigned(off.umin(), off.umax()) > 0) {
            env.markUnknown(dst);
            return;
        }
        String opStr = ALU_STRING[op.bits() >> 4];
        if (!alu64) {
            if (op == AluOp.SUB && env.priv.allowPtrLeaks()) {
                env.markUnknown(dst);
                return;
            }
            throw env.reject("R" + dst + " 32-bit pointer arithmetic prohibited");
        }
        if (ptr.maybeNull()) {
            throw env.reject("R" + dst + " pointer arithmetic on " + ptr.typeName() + " prohibited, null-check it first");
        }
        env.indirect.checkPointerArithmetic(dst, op, ptr, off);
        switch (ptr.type()) {
            case CTX, MAP_VALUE, MAP_KEY, STACK, PACKET_META, PACKET, TP_BUFFER, MEM, BUF, FUNC, BTF_ID, CONST_DYNPTR -> {
            }
            case FLOW_KEYS -> {
                if (!known) {
                    throw env.reject("R" + dst + " pointer arithmetic on " + ptr.typeName() + " prohibited");
                }
            }
            case CONST_MAP -> {
                if (!(known && off.smin() == 0 && op == AluOp.ADD)) {
                    throw env.reject("R" + dst + " pointer arithmetic on " + ptr.typeName() + " prohibited");
                }
            }
            default -> throw env.reject("R" + dst + " pointer arithmetic on " + ptr.typeName() + " prohibited");
        }
        saneOffset(off, 0, ptr.typeName());
        saneOffset(ptr.var(), ptr.off(), ptr.typeName());
        PtrSanitation.Info sanitize = sanitation.before(op, x, dst, src, ptr, off, scalarIsDst);
        Reg.Ptr res;
        switch (op) {
            case ADD -> {
                long sum = (long) ptr.off() + off.smin();
                if (known && sum == (int) sum) {
                    res = ptr.withOff((int) sum);
                } else {
                    res = ptr.withVar(ptr.var().alu(AluOp.ADD, true, off));
                    if (ptr.isPacket()) {
                        res = res.withId(env.newId()).withRange(0);
                    }
                }
            }
            case SUB -> {
                if (scalarIsDst) {
                    throw env.reject("R" + dst + " tried to subtract pointer from scalar");
                }
                if (ptr.type() == Reg.PtrType.STACK) {
                    throw env.reject("R" + dst + " subtraction from stack pointer prohibited");
                }
                long diff = (long) ptr.off() - off.smin();
                if (known && diff == (int) diff) {
                    res = ptr.withOff((int) diff);
                } else {
                    res = ptr.withVar(ptr.var().alu(AluOp.SUB, true, off));
                    if (ptr.isPacket()) {
                        res = res.withId(env.newId());
                        if (off.smin() < 0) {
                            res = res.withRange(0);
                        }
                    }
                }
            }
            case AND, OR, XOR -> throw env.reject("R" + dst + " bitwise operator " + opStr + " on pointer prohibited");
            default -> throw env.reject("R" + dst + " pointer arithmetic with " + opStr + " operator prohibited");
        }
        saneOffset(res.var(), res.off(), ptr.typeName());
        sanitation.checkBounds(dst, res, ex.mem);
        sanitation.commit(sanitize, op, dst, res);
        env.setReg(dst, res);
    }

    /** check_reg_sane_offset, for a scalar or a pointer's (var, off). */
    private void saneOffset(Scalar v, int regOff, String type) {
        boolean known = v.varOff().isConst();
        long val = v.varOff().value();
        if (known && (val >= MAX_VAR_OFF || val <= -MAX_VAR_OFF)) {
            throw env.reject("math between " + type + " pointer and " + val + " is not allowed");
        }
        if (regOff >= MAX_VAR_OFF || regOff <= -MAX_VAR_OFF) {
            throw env.reject(type + " pointer offset " + regOff + " is not allowed");
        }
        if (v.smin() == Long.MIN_VALUE) {
            throw env.reject("math between " + type + " pointer and register with unbounded min value is not allowed");
        }
        if (v.smin() >= MAX_VAR_OFF || v.smin() <= -MAX_VAR_OFF) {
            throw env.reject("value " + v.smin() + " makes " + type + " pointer be out of bounds");
        }
    }
}
