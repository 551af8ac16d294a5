package io.bpf4j.verifier.internal.scalar;

import static io.bpf4j.verifier.internal.scalar.Reg.S32_MAX;
import static io.bpf4j.verifier.internal.scalar.Reg.S32_MIN;
import static io.bpf4j.verifier.internal.scalar.Reg.S64_MAX;
import static io.bpf4j.verifier.internal.scalar.Reg.S64_MIN;
import static io.bpf4j.verifier.internal.scalar.Reg.U32_MAX;
import static io.bpf4j.verifier.internal.scalar.Reg.U64_MAX;
import static io.bpf4j.verifier.internal.scalar.Reg.ult;
import static io.bpf4j.verifier.internal.scalar.Reg.ult32;
import static io.bpf4j.verifier.internal.scalar.Reg.umax32Of;
import static io.bpf4j.verifier.internal.scalar.Reg.umaxOf;
import static io.bpf4j.verifier.internal.scalar.Reg.umin32Of;
import static io.bpf4j.verifier.internal.scalar.Reg.uminOf;

import io.bpf4j.isa.AluOp;

/**
 * The scalar ALU transfer functions in the kernel's order (adjust_scalar_min_max_vals): the
 * 32-bit and 64-bit bounds of each operation are computed independently of each other and of
 * the tnum, then an ALU32 result is zero-extended and everything is synchronised.
 */
final class Alu {
    private Alu() {
    }

    /** Whether the kernel computes a range at all; otherwise the result is an unknown 64-bit scalar. */
    static boolean computable(AluOp op, boolean alu64, Scalar src) {
        boolean srcConst;
        if (!alu64) {
            srcConst = src.varOff().subreg().isConst() && src.s32min() == src.s32max()
                    && src.u32min() == src.u32max();
        } else {
            srcConst = src.varOff().isConst() && src.smin() == src.smax() && src.umin() == src.umax();
        }
        return switch (op) {
            case ADD, SUB, NEG, AND, XOR, OR, MUL -> true;
            // the amount must be one known value below the width; note the 64-bit umax even for ALU32
            case LSH, RSH, ARSH -> srcConst && ult(src.umax(), alu64 ? 64 : 32);
            default -> false;
        };
    }

    static Reg apply(AluOp op, boolean alu64, Reg dst, Reg src) {
        switch (op) {
            case ADD -> {
                add32(dst, src);
                add64(dst, src);
                dst.varOff = dst.varOff.add(src.varOff);
            }
            case SUB -> {
                sub32(dst, src);
                sub64(dst, src);
                dst.varOff = dst.varOff.sub(src.varOff);
            }
            case NEG -> {
                Reg old = dst.copy();
                dst.markKnown(0);
                sub32(dst, old);
                sub64(dst, old);
                dst.varOff = old.varOff.neg();
            }
            case MUL -> {
                dst.varOff = dst.varOff.mul(src.varOff);
                mul32(dst, src);
                mul64(dst, src);
            }
            case AND -> {
                dst.varOff = dst.varOff.and(src.varOff);
                and32(dst, src);
                and64(dst, src);
            }
            case OR -> {
                dst.varOff = dst.varOff.or(src.varOff);
                or32(dst, src);
                or64(dst, src);
            }
            case XOR -> {
                dst.varOff = dst.varOff.xor(src.varOff);
                xor32(dst, src);
                xor64(dst, src);
            }
            case LSH -> {
                if (alu64) {
                    lsh64(dst, src);
                } else {
                    lsh32(dst, src);
                }
            }
            case RSH -> {
                if (alu64) {
                    rsh64(dst, src);
                } else {
                    rsh32(dst, src);
                }
            }
            case ARSH -> {
                if (alu64) {
                    arsh64(dst, src);
                } else {
                    arsh32(dst, src);
                }
            }
            default -> {
            }
        }
        if (!alu64) {
            dst.zext32to64();
        }
        dst.sync();
        return dst;
    }

    // ---- add / sub: signed overflow of an end loses the signed range; unsigned keeps a range
    // ---- when both ends wrap or neither does

    private static void add32(Reg d, Reg s) {
        int lo = d.s32min + s.s32min;
        int hi = d.s32max + s.s32max;
        if (addOverflows(d.s32min, s.s32min, lo) || addOverflows(d.s32max, s.s32max, hi)) {
            d.s32min = S32_MIN;
            d.s32max = S32_MAX;
        } else {
            d.s32min = lo;
            d.s32max = hi;
        }
        int ulo = d.u32min + s.u32min;
        int uhi = d.u32max + s.u32max;
        boolean minOver = ult32(ulo, d.u32min);
        boolean maxOver = ult32(uhi, d.u32max);
        d.u32min = ulo;
        d.u32max = uhi;
        if (!minOver && maxOver) {
            d.u32min = 0;
            d.u32max = U32_MAX;
        }
    }

    private static void add64(Reg d, Reg s) {
        long lo = d.smin + s.smin;
        long hi = d.smax + s.smax;
        if (addOverflows(d.smin, s.smin, lo) || addOverflows(d.smax, s.smax, hi)) {
            d.smin = S64_MIN;
            d.smax = S64_MAX;
        } else {
            d.smin = lo;
            d.smax = hi;
        }
        long ulo = d.umin + s.umin;
        long uhi = d.umax + s.umax;
        boolean minOver = ult(ulo, d.umin);
        boolean maxOver = ult(uhi, d.umax);
        d.umin = ulo;
        d.umax = uhi;
        if (!minOver && maxOver) {
            d.umin = 0;
            d.umax = U64_MAX;
        }
    }

    private static void sub32(Reg d, Reg s) {
        int lo = d.s32min - s.s32max;
        int hi = d.s32max - s.s32min;
        if (subOverflows(d.s32min, s.s32max, lo) || subOverflows(d.s32max, s.s32min, hi)) {
            d.s32min = S32_MIN;
            d.s32max = S32_MAX;
        } else {
            d.s32min = lo;
            d.s32max = hi;
        }
        boolean minUnder = ult32(d.u32min, s.u32max);
        boolean maxUnder = ult32(d.u32max, s.u32min);
        d.u32min = d.u32min - s.u32max;
        d.u32max = d.u32max - s.u32min;
        if (minUnder && !maxUnder) {
            d.u32min = 0;
            d.u32max = U32_MAX;
        }
    }

    private static void sub64(Reg d, Reg s) {
        long lo = d.smin - s.smax;
        long hi = d.smax - s.smin;
        if (subOverflows(d.smin, s.smax, lo) || subOverflows(d.smax, s.smin, hi)) {
            d.smin = S64_MIN;
            d.smax = S64_MAX;
        } else {
            d.smin = lo;
            d.smax = hi;
        }
        boolean minUnder = ult(d.umin, s.umax);
        boolean maxUnder = ult(d.umax, s.umin);
        d.umin = d.umin - s.umax;
        d.umax = d.umax - s.umin;
        if (minUnder && !maxUnder) {
            d.umin = 0;
            d.umax = U64_MAX;
        }
    }

    private static boolean addOverflows(long a, long b, long r) {
        return ((a ^ r) & (b ^ r)) < 0;
    }

    private static boolean addOverflows(int a, int b, int r) {
        return ((a ^ r) & (b ^ r)) < 0;
    }

    private static boolean subOverflows(long a, long b, long r) {
        return ((a ^ b) & (a ^ r)) < 0;
    }

    private static boolean subOverflows(int a, int b, int r) {
        return ((a ^ b) & (a ^ r)) < 0;
    }

    // ---- mul: any overflow of the corner products loses that kind of range

    private static void mul32(Reg d, Reg s) {
        long pmax = Reg.u32(d.u32max) * Reg.u32(s.u32max);
        long pmin = Reg.u32(d.u32min) * Reg.u32(s.u32min);
        if ((pmax >>> 32) != 0 || (pmin >>> 32) != 0) {
            d.u32min = 0;
            d.u32max = U32_MAX;
        } else {
            d.u32min = (int) pmin;
            d.u32max = (int) pmax;
        }
        long[] p = {(long) d.s32min * s.s32min, (long) d.s32min * s.s32max, (long) d.s32max * s.s32min,
            (long) d.s32max * s.s32max};
        boolean over = false;
        for (long v : p) {
            over |= v != (int) v;
        }
        if (over) {
            d.s32min = S32_MIN;
            d.s32max = S32_MAX;
        } else {
            d.s32min = (int) Math.min(Math.min(p[0], p[1]), Math.min(p[2], p[3]));
            d.s32max = (int) Math.max(Math.max(p[0], p[1]), Math.max(p[2], p[3]));
        }
    }

    private static void mul64(Reg d, Reg s) {
        if (unsignedMulOverflows(d.umax, s.umax) || unsignedMulOverflows(d.umin, s.umin)) {
            d.umin = 0;
            d.umax = U64_MAX;
        } else {
            d.umin = d.umin * s.umin;
            d.umax = d.umax * s.umax;
        }
        long[][] f = {{d.smin, s.smin}, {d.smin, s.smax}, {d.smax, s.smin}, {d.smax, s.smax}};
        boolean over = false;
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (long[] ab : f) {
            long r = ab[0] * ab[1];
            over |= Math.multiplyHigh(ab[0], ab[1]) != (r >> 63);
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        if (over) {
            d.smin = S64_MIN;
            d.smax = S64_MAX;
        } else {
            d.smin = lo;
            d.smax = hi;
        }
    }

    private static boolean unsignedMulOverflows(long a, long b) {
        long high = Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
        return high != 0;
    }

    // ---- bitwise: the tnum has already been computed; bounds come from it and the operands

    private static void and32(Reg d, Reg s) {
        boolean srcKnown = s.varOff.subreg().isConst();
        Tnum v32 = d.varOff.subreg();
        if (srcKnown && v32.isConst()) {
            d.markKnown32((int) v32.value());
            return;
        }
        d.u32min = (int) v32.value();
        d.u32max = umin32Of(d.u32max, s.u32max);
        signed32FromUnsigned(d);
    }

    private static void and64(Reg d, Reg s) {
        if (s.varOff.isConst() && d.varOff.isConst()) {
            d.markKnown(d.varOff.value());
            return;
        }
        d.umin = d.varOff.value();
        d.umax = uminOf(d.umax, s.umax);
        signed64FromUnsigned(d);
        d.updateFromTnum();
    }

    private static void or32(Reg d, Reg s) {
        boolean srcKnown = s.varOff.subreg().isConst();
        Tnum v32 = d.varOff.subreg();
        if (srcKnown && v32.isConst()) {
            d.markKnown32((int) v32.value());
            return;
        }
        d.u32min = umax32Of(d.u32min, s.u32min);
        d.u32max = (int) (v32.value() | v32.mask());
        signed32FromUnsigned(d);
    }

    private static void or64(Reg d, Reg s) {
        if (s.varOff.isConst() && d.varOff.isConst()) {
            d.markKnown(d.varOff.value());
            return;
        }
        d.umin = umaxOf(d.umin, s.umin);
        d.umax = d.varOff.value() | d.varOff.mask();
        signed64FromUnsigned(d);
        d.updateFromTnum();
    }

    private static void xor32(Reg d, Reg s) {
        boolean srcKnown = s.varOff.subreg().isConst();
        Tnum v32 = d.varOff.subreg();
        if (srcKnown && v32.isConst()) {
            d.markKnown32((int) v32.value());
            return;
        }
        d.u32min = (int) v32.value();
        d.u32max = (int) (v32.value() | v32.mask());
        signed32FromUnsigned(d);
    }

    private static void xor64(Reg d, Reg s) {
        if (s.varOff.isConst() && d.varOff.isConst()) {
            d.markKnown(d.varOff.value());
            return;
        }
        d.umin = d.varOff.value();
        d.umax = d.varOff.value() | d.varOff.mask();
        signed64FromUnsigned(d);
        d.updateFromTnum();
    }

    private static void signed32FromUnsigned(Reg d) {
        if (d.u32min <= d.u32max) { // as s32: no sign crossing
            d.s32min = d.u32min;
            d.s32max = d.u32max;
        } else {
            d.s32min = S32_MIN;
            d.s32max = S32_MAX;
        }
    }

    private static void signed64FromUnsigned(Reg d) {
        if (d.umin <= d.umax) {
            d.smin = d.umin;
            d.smax = d.umax;
        } else {
            d.smin = S64_MIN;
            d.smax = S64_MAX;
        }
    }

    // ---- shifts (the amount is a known constant below the width here)

    private static void lsh32Bounds(Reg d, long uminVal, long umaxVal) {
        d.s32min = S32_MIN;
        d.s32max = S32_MAX;
        if (ult(31, umaxVal) || ult(1L << (31 - umaxVal), Reg.u32(d.u32max))) {
            d.u32min = 0;
            d.u32max = U32_MAX;
        } else {
            d.u32min <<= uminVal;
            d.u32max <<= umaxVal;
        }
    }

    private static void lsh32(Reg d, Reg s) {
        long uminVal = Reg.u32(s.u32min);
        long umaxVal = Reg.u32(s.u32max);
        Tnum sub = d.varOff.subreg();
        lsh32Bounds(d, uminVal, umaxVal);
        d.varOff = sub.lshift((int) uminVal).subreg();
        d.mark64Unbounded();
        d.update32FromTnum();
    }

    private static void lsh64(Reg d, Reg s) {
        long uminVal = s.umin;
        long umaxVal = s.umax;
        // << 32 of a non-negative s32 is the usual sign-extension idiom (<<32 s>>32); keep its sign
        boolean by32 = uminVal == 32 && umaxVal == 32;
        d.smax = by32 && d.s32max >= 0 ? (long) d.s32max << 32 : S64_MAX;
        d.smin = by32 && d.s32min >= 0 ? (long) d.s32min << 32 : S64_MIN;
        if (ult(1L << (63 - umaxVal), d.umax)) {
            d.umin = 0;
            d.umax = U64_MAX;
        } else {
            d.umin <<= uminVal;
            d.umax <<= umaxVal;
        }
        lsh32Bounds(d, uminVal, umaxVal);
        d.varOff = d.varOff.lshift((int) uminVal);
        d.updateFromTnum();
    }

    private static void rsh32(Reg d, Reg s) {
        Tnum sub = d.varOff.subreg();
        int umaxVal = s.u32max;
        int uminVal = s.u32min;
        d.s32min = S32_MIN;
        d.s32max = S32_MAX;
        d.varOff = sub.rshift(uminVal);
        d.u32min >>>= umaxVal;
        d.u32max >>>= uminVal;
        d.mark64Unbounded();
        d.update32FromTnum();
    }

    private static void rsh64(Reg d, Reg s) {
        int umaxVal = (int) s.umax;
        int uminVal = (int) s.umin;
        d.smin = S64_MIN;
        d.smax = S64_MAX;
        d.varOff = d.varOff.rshift(uminVal);
        d.umin >>>= umaxVal;
        d.umax >>>= uminVal;
        d.mark32Unbounded();
        d.updateFromTnum();
    }

    private static void arsh32(Reg d, Reg s) {
        int shift = s.u32min;
        d.s32min >>= shift;
        d.s32max >>= shift;
        d.varOff = d.varOff.subreg().arshift(shift, 32);
        d.u32min = 0;
        d.u32max = U32_MAX;
        d.mark64Unbounded();
        d.update32FromTnum();
    }

    private static void arsh64(Reg d, Reg s) {
        int shift = (int) s.umin;
        d.smin >>= shift;
        d.smax >>= shift;
        d.varOff = d.varOff.arshift(shift, 64);
        d.umin = 0;
        d.umax = U64_MAX;
        d.mark32Unbounded();
        d.updateFromTnum();
    }

    /**
     * BPF_END (stable 6.18 tracks it through the tnum): a real swap for bswap and, on this
     * little-endian machine, for {@code be}; {@code le} only truncates. The ALU32 zero extension
     * is skipped because the truncation already did it (and le64/be64 are 64-bit).
     */
    static Reg byteSwap(Reg d, boolean swap, int bits) {
        if (swap) {
            d.varOff = d.varOff.bswap(bits);
            d.markUnbounded();
        }
        if (bits == 16 || bits == 32) {
            d.coerceToSize(bits / 8);
        }
        d.sync();
        return d;
    }
}
