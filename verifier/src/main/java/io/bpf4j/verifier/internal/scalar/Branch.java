package io.bpf4j.verifier.internal.scalar;

import static io.bpf4j.verifier.internal.scalar.Reg.u32;
import static io.bpf4j.verifier.internal.scalar.Reg.ule;
import static io.bpf4j.verifier.internal.scalar.Reg.ult;
import static io.bpf4j.verifier.internal.scalar.Reg.umax32Of;
import static io.bpf4j.verifier.internal.scalar.Reg.umaxOf;
import static io.bpf4j.verifier.internal.scalar.Reg.umin32Of;
import static io.bpf4j.verifier.internal.scalar.Reg.uminOf;

import io.bpf4j.isa.JumpOp;

/** Conditional jumps between two scalars: deciding them and learning from each outcome. */
final class Branch {
    private Branch() {
    }

    static int taken(Scalar r1, Scalar r2, JumpOp op, boolean jmp32) {
        Tnum t1 = jmp32 ? r1.varOff().subreg() : r1.varOff();
        Tnum t2 = jmp32 ? r2.varOff().subreg() : r2.varOff();
        long umin1 = jmp32 ? u32(r1.u32min()) : r1.umin();
        long umax1 = jmp32 ? u32(r1.u32max()) : r1.umax();
        long smin1 = jmp32 ? r1.s32min() : r1.smin();
        long smax1 = jmp32 ? r1.s32max() : r1.smax();
        long umin2 = jmp32 ? u32(r2.u32min()) : r2.umin();
        long umax2 = jmp32 ? u32(r2.u32max()) : r2.umax();
        long smin2 = jmp32 ? r2.s32min() : r2.smin();
        long smax2 = jmp32 ? r2.s32max() : r2.smax();
        switch (op) {
            case JEQ, JNE -> {
                int equal = equality(r1, r2, jmp32, t1, t2, umin1, umax1, smin1, smax1, umin2, umax2, smin2, smax2);
                return equal < 0 ? -1 : op == JumpOp.JEQ ? equal : 1 - equal;
            }
            case JSET -> {
                if (!isConst(r2, jmp32)) {
                    Tnum t = t1;
                    t1 = t2;
                    t2 = t;
                    if (!isConst(r1, jmp32)) {
                        return -1;
                    }
                }
                if ((~t1.mask() & t1.value() & t2.value()) != 0) {
                    return 1;
                }
                if (((t1.mask() | t1.value()) & t2.value()) == 0) {
                    return 0;
                }
                return -1;
            }
            case JGT -> {
                return ult(umax2, umin1) ? 1 : ule(umax1, umin2) ? 0 : -1;
            }
            case JSGT -> {
                return smin1 > smax2 ? 1 : smax1 <= smin2 ? 0 : -1;
            }
            case JLT -> {
                return ult(umax1, umin2) ? 1 : ule(umax2, umin1) ? 0 : -1;
            }
            case JSLT -> {
                return smax1 < smin2 ? 1 : smin1 >= smax2 ? 0 : -1;
            }
            case JGE -> {
                return ule(umax2, umin1) ? 1 : ult(umax1, umin2) ? 0 : -1;
            }
            case JSGE -> {
                return smin1 >= smax2 ? 1 : smax1 < smin2 ? 0 : -1;
            }
            case JLE -> {
                return ule(umax1, umin2) ? 1 : ult(umax2, umin1) ? 0 : -1;
            }
            case JSLE -> {
                return smax1 <= smin2 ? 1 : smin1 > smax2 ? 0 : -1;
            }
            default -> {
                return -1;
            }
        }
    }

    /** 1 surely equal, 0 surely different, -1 unknown. */
    private static int equality(Scalar r1, Scalar r2, boolean jmp32, Tnum t1, Tnum t2, long umin1, long umax1,
            long smin1, long smax1, long umin2, long umax2, long smin2, long smax2) {
        if (t1.isConst() && t2.isConst()) {
            return t1.value() == t2.value() ? 1 : 0;
        }
        if (!t1.overlaps(t2)) {
            return 0;
        }
        if (ult(umax2, umin1) || ult(umax1, umin2)) {
            return 0;
        }
        if (smin1 > smax2 || smax1 < smin2) {
            return 0;
        }
        if (!jmp32) {
            // inconclusive 64-bit ranges: disjoint subregister ranges still prove inequality
            if (Reg.ult32(r2.u32max(), r1.u32min()) || Reg.ult32(r1.u32max(), r2.u32min())) {
                return 0;
            }
            if (r1.s32min() > r2.s32max() || r1.s32max() < r2.s32min()) {
                return 0;
            }
        }
        return -1;
    }

    static boolean isConst(Scalar r, boolean jmp32) {
        return jmp32 ? r.varOff().subreg().isConst() : r.varOff().isConst();
    }

    private static boolean isConst(Reg r, boolean jmp32) {
        return jmp32 ? r.varOff.subreg().isConst() : r.varOff.isConst();
    }

    private static long constValue(Reg r, boolean jmp32) {
        return jmp32 ? r.varOff.subreg().value() : r.varOff.value();
    }

    static JumpOp reverse(JumpOp op) {
        return switch (op) {
            case JEQ -> JumpOp.JNE;
            case JNE -> JumpOp.JEQ;
            case JGE -> JumpOp.JLT;
            case JGT -> JumpOp.JLE;
            case JLE -> JumpOp.JGT;
            case JLT -> JumpOp.JGE;
            case JSGE -> JumpOp.JSLT;
            case JSGT -> JumpOp.JSLE;
            case JSLE -> JumpOp.JSGT;
            case JSLT -> JumpOp.JSGE;
            default -> op;
        };
    }

    private static JumpOp flip(JumpOp op) {
        return switch (op) {
            case JGE -> JumpOp.JLE;
            case JGT -> JumpOp.JLT;
            case JLE -> JumpOp.JGE;
            case JLT -> JumpOp.JGT;
            case JSGE -> JumpOp.JSLE;
            case JSGT -> JumpOp.JSLT;
            case JSLE -> JumpOp.JSGE;
            case JSLT -> JumpOp.JSGT;
            default -> op;
        };
    }

    /**
     * Narrows both registers to the values for which {@code r1 op r2} holds ({@code notJset}
     * selects the false side of JSET). {@code r1} and {@code r2} may be the same object when one
     * register is compared with itself, exactly as the kernel aliases them.
     */
    static void refine(Reg r1, Reg r2, JumpOp op, boolean notJset, boolean jmp32) {
        switch (op) {
            case JGE, JGT, JSGE, JSGT -> {
                op = flip(op);
                Reg t = r1;
                r1 = r2;
                r2 = t;
            }
            default -> {
            }
        }
        if (op == JumpOp.JSET && notJset) {
            if (!isConst(r2, jmp32)) {
                Reg t = r1;
                r1 = r2;
                r2 = t;
            }
            if (!isConst(r2, jmp32)) {
                return;
            }
            long val = constValue(r2, jmp32);
            // the ranges are dropped first so a dead branch cannot produce contradictory bounds
            r1.markUnbounded();
            if (jmp32) {
                r1.varOff = r1.varOff.withSubreg(r1.varOff.subreg().and(Tnum.constant(~val)));
            } else {
                r1.varOff = r1.varOff.and(Tnum.constant(~val));
            }
            return;
        }
        switch (op) {
            case JEQ -> {
                if (jmp32) {
                    r1.u32min = umax32Of(r1.u32min, r2.u32min);
                    r1.u32max = umin32Of(r1.u32max, r2.u32max);
                    r1.s32min = Math.max(r1.s32min, r2.s32min);
                    r1.s32max = Math.min(r1.s32max, r2.s32max);
                    r2.u32min = r1.u32min;
                    r2.u32max = r1.u32max;
                    r2.s32min = r1.s32min;
                    r2.s32max = r1.s32max;
                    Tnum t = r1.varOff.subreg().intersect(r2.varOff.subreg());
                    r1.varOff = r1.varOff.withSubreg(t);
                    r2.varOff = r2.varOff.withSubreg(t);
                } else {
                    r1.umin = umaxOf(r1.umin, r2.umin);
                    r1.umax = uminOf(r1.umax, r2.umax);
                    r1.smin = Math.max(r1.smin, r2.smin);
                    r1.smax = Math.min(r1.smax, r2.smax);
                    r2.umin = r1.umin;
                    r2.umax = r1.umax;
                    r2.smin = r1.smin;
                    r2.smax = r1.smax;
                    r1.varOff = r1.varOff.intersect(r2.varOff);
                    r2.varOff = r1.varOff;
                }
            }
            case JNE -> {
                if (!isConst(r2, jmp32)) {
                    Reg t = r1;
                    r1 = r2;
                    r2 = t;
                }
                if (!isConst(r2, jmp32)) {
                    return;
                }
                // only an excluded value at an end of the range can shrink it
                long val = constValue(r2, jmp32);
                if (jmp32) {
                    if (r1.u32min == (int) val) {
                        r1.u32min++;
                    }
                    if (r1.u32max == (int) val) {
                        r1.u32max--;
                    }
                    if (r1.s32min == (int) val) {
                        r1.s32min++;
                    }
                    if (r1.s32max == (int) val) {
                        r1.s32max--;
                    }
                } else {
                    if (r1.umin == val) {
                        r1.umin++;
                    }
                    if (r1.umax == val) {
                        r1.umax--;
                    }
                    if (r1.smin == val) {
                        r1.smin++;
                    }
                    if (r1.smax == val) {
                        r1.smax--;
                    }
                }
            }
            case JSET -> {
                if (!isConst(r2, jmp32)) {
                    Reg t = r1;
                    r1 = r2;
                    r2 = t;
                }
                if (!isConst(r2, jmp32)) {
                    return;
                }
                long val = constValue(r2, jmp32);
                // only a single tested bit tells which bit is set
                if (val == 0 || (val & (val - 1)) != 0) {
                    return;
                }
                if (jmp32) {
                    r1.varOff = r1.varOff.withSubreg(r1.varOff.subreg().or(Tnum.constant(val)));
                } else {
                    r1.varOff = r1.varOff.or(Tnum.constant(val));
                }
            }
            case JLE -> {
                if (jmp32) {
                    r1.u32max = umin32Of(r1.u32max, r2.u32max);
                    r2.u32min = umax32Of(r1.u32min, r2.u32min);
                } else {
                    r1.umax = uminOf(r1.umax, r2.umax);
                    r2.umin = umaxOf(r1.umin, r2.umin);
                }
            }
            case JLT -> {
                if (jmp32) {
                    r1.u32max = umin32Of(r1.u32max, r2.u32max - 1);
                    r2.u32min = umax32Of(r1.u32min + 1, r2.u32min);
                } else {
                    r1.umax = uminOf(r1.umax, r2.umax - 1);
                    r2.umin = umaxOf(r1.umin + 1, r2.umin);
                }
            }
            case JSLE -> {
                if (jmp32) {
                    r1.s32max = Math.min(r1.s32max, r2.s32max);
                    r2.s32min = Math.max(r1.s32min, r2.s32min);
                } else {
                    r1.smax = Math.min(r1.smax, r2.smax);
                    r2.smin = Math.max(r1.smin, r2.smin);
                }
            }
            case JSLT -> {
                if (jmp32) {
                    r1.s32max = Math.min(r1.s32max, r2.s32max - 1);
                    r2.s32min = Math.max(r1.s32min + 1, r2.s32min);
                } else {
                    r1.smax = Math.min(r1.smax, r2.smax - 1);
                    r2.smin = Math.max(r1.smin + 1, r2.smin);
                }
            }
            default -> {
            }
        }
    }
}
