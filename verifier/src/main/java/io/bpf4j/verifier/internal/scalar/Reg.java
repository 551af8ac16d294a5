package io.bpf4j.verifier.internal.scalar;

/**
 * The mutable working copy of one scalar register while a transfer function runs. The kernel's
 * transfer functions are sequences of in-place updates whose order matters (a later step reads
 * what an earlier one wrote), so they are replayed here on mutable fields and frozen into an
 * immutable {@link Scalar} at the end. Unsigned 64/32-bit bounds are kept as bit patterns in
 * {@code long}/{@code int}.
 */
final class Reg {
    static final long S64_MIN = Long.MIN_VALUE;
    static final long S64_MAX = Long.MAX_VALUE;
    static final long U64_MAX = -1L;
    static final int S32_MIN = Integer.MIN_VALUE;
    static final int S32_MAX = Integer.MAX_VALUE;
    static final int U32_MAX = -1;
    static final long LOW32 = 0xffff_ffffL;

    Tnum varOff;
    long smin;
    long smax;
    long umin;
    long umax;
    int s32min;
    int s32max;
    int u32min;
    int u32max;

    Reg(Scalar s) {
        varOff = s.varOff();
        smin = s.smin();
        smax = s.smax();
        umin = s.umin();
        umax = s.umax();
        s32min = s.s32min();
        s32max = s.s32max();
        u32min = s.u32min();
        u32max = s.u32max();
    }

    Reg copy() {
        return new Reg(freeze());
    }

    Scalar freeze() {
        return Scalar.of(varOff, smin, smax, umin, umax, s32min, s32max, u32min, u32max);
    }

    // ---- unsigned helpers -------------------------------------------------------------

    static boolean ult(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    static boolean ule(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0;
    }

    static long umaxOf(long a, long b) {
        return ult(a, b) ? b : a;
    }

    static long uminOf(long a, long b) {
        return ult(a, b) ? a : b;
    }

    static boolean ult32(int a, int b) {
        return Integer.compareUnsigned(a, b) < 0;
    }

    static boolean ule32(int a, int b) {
        return Integer.compareUnsigned(a, b) <= 0;
    }

    static int umax32Of(int a, int b) {
        return ult32(a, b) ? b : a;
    }

    static int umin32Of(int a, int b) {
        return ult32(a, b) ? a : b;
    }

    static long u32(int v) {
        return Integer.toUnsignedLong(v);
    }

    // ---- marking ------------------------------------------------------------------------

    void markKnown(long v) {
        varOff = Tnum.constant(v);
        smin = smax = umin = umax = v;
        s32min = s32max = u32min = u32max = (int) v;
    }

    void markKnown32(int v) {
        varOff = varOff.constSubreg(v);
        s32min = s32max = u32min = u32max = v;
    }

    void markUnknown() {
        varOff = Tnum.unknown();
        markUnbounded();
    }

    void markUnbounded() {
        mark64Unbounded();
        mark32Unbounded();
    }

    void mark64Unbounded() {
        smin = S64_MIN;
        smax = S64_MAX;
        umin = 0;
        umax = U64_MAX;
    }

    void mark32Unbounded() {
        s32min = S32_MIN;
        s32max = S32_MAX;
        u32min = 0;
        u32max = U32_MAX;
    }

    // ---- bounds synchronisation (reg_bounds_sync) ----------------------------------------

    void update32FromTnum() {
        Tnum t = varOff.subreg();
        int v = (int) t.value();
        int m = (int) t.mask();
        s32min = Math.max(s32min, v | (m & S32_MIN));
        s32max = Math.min(s32max, v | (m & S32_MAX));
        u32min = umax32Of(u32min, v);
        u32max = umin32Of(u32max, v | m);
    }

    void update64FromTnum() {
        long v = varOff.value();
        long m = varOff.mask();
        smin = Math.max(smin, v | (m & S64_MIN));
        smax = Math.min(smax, v | (m & S64_MAX));
        umin = umaxOf(umin, v);
        umax = uminOf(umax, v | m);
        // Stable 6.18 (efc11a667878): when the tnum and [umin, umax] share exactly one member the
        // register is that constant; without it a later refinement can contradict the tnum.
        long next = varOff.step(umin);
        boolean uminIn = (umin & ~m) == v;
        long tmax = v | m;
        if (uminIn && ult(umax, next)) {
            markKnownRaw(umin);
        } else if (!uminIn && next == tmax) {
            markKnownRaw(tmax);
        } else if (!uminIn && ule(next, umax) && ult(umax, varOff.step(next))) {
            markKnownRaw(next);
        }
    }

    private void markKnownRaw(long v) {
        markKnown(v);
    }

    void updateFromTnum() {
        update32FromTnum();
        update64FromTnum();
    }

    void deduce32() {
        if ((umin >>> 32) == (umax >>> 32)) {
            u32min = umax32Of(u32min, (int) umin);
            u32max = umin32Of(u32max, (int) umax);
            if ((int) umin <= (int) umax) {
                s32min = Math.max(s32min, (int) umin);
                s32max = Math.min(s32max, (int) umax);
            }
        }
        if ((smin >> 32) == (smax >> 32)) {
            if (ule32((int) smin, (int) smax)) {
                u32min = umax32Of(u32min, (int) smin);
                u32max = umin32Of(u32max, (int) smax);
            }
            if ((int) smin <= (int) smax) {
                s32min = Math.max(s32min, (int) smin);
                s32max = Math.min(s32max, (int) smax);
            }
        }
        // Upper halves consecutive (incl. 0xffffffff -> 0) and the low halves going from negative
        // to non-negative: the low 32 bits still form one s32 interval.
        if ((int) (umin >>> 32) + 1 == (int) (umax >>> 32) && (int) umin < 0 && (int) umax >= 0) {
            s32min = Math.max(s32min, (int) umin);
            s32max = Math.min(s32max, (int) umax);
        }
        if ((int) (smin >> 32) + 1 == (int) (smax >> 32) && (int) smin < 0 && (int) smax >= 0) {
            s32min = Math.max(s32min, (int) smin);
            s32max = Math.min(s32max, (int) smax);
        }
        if (u32min <= u32max) { // as s32: the u32 range does not cross the sign bit
            s32min = Math.max(s32min, u32min);
            s32max = Math.min(s32max, u32max);
        }
        if (ule32(s32min, s32max)) {
            u32min = umax32Of(s32min, u32min);
            u32max = umin32Of(s32max, u32max);
        } else if (ult32(u32max, s32min)) {
            // Stable 6.18 (the 32-bit twin of the 64-bit rule below): the s32 range wraps through
            // the sign bit and the u32 range meets only its non-negative part ...
            s32min = u32min;
            u32max = umin32Of(u32max, s32max);
        } else if (ult32(s32max, u32min)) {
            // ... or only its negative part
            s32max = u32max;
            u32min = umax32Of(u32min, s32min);
        }
    }

    void deduce64() {
        if (umin <= umax) { // as s64: same half of the number circle
            smin = Math.max(smin, umin);
            smax = Math.min(smax, umax);
        }
        if (ule(smin, smax)) {
            umin = umaxOf(smin, umin);
            umax = uminOf(smax, umax);
        } else if (ult(umax, smin)) {
            // s64 wraps through the sign boundary; u64 only meets its non-negative part
            smin = umin;
            umax = uminOf(umax, smax);
        } else if (ult(smax, umin)) {
            // ... or only its negative part
            smax = umax;
            umin = umaxOf(umin, smin);
        }
    }

    void deduceMixed() {
        long newUmin = (umin & ~LOW32) | u32(u32min);
        long newUmax = (umax & ~LOW32) | u32(u32max);
        umin = umaxOf(umin, newUmin);
        umax = uminOf(umax, newUmax);
        long newSmin = (smin & ~LOW32) | u32(u32min);
        long newSmax = (smax & ~LOW32) | u32(u32max);
        smin = Math.max(smin, newSmin);
        smax = Math.min(smax, newSmax);
        // After a sign-extending load the upper half is all ones or all zeros; a non-negative s32
        // range rules out the all-ones half when the s64 range stays within [S32_MIN, S32_MAX].
        if (s32min >= 0 && smin >= S32_MIN && smax <= S32_MAX) {
            smin = s32min;
            smax = s32max;
            umin = s32min;
            umax = s32max;
            varOff = varOff.intersect(Tnum.range(smin, smax));
        }
    }

    void deduce() {
        deduce32();
        deduce64();
        deduceMixed();
    }

    void boundOffset() {
        Tnum var64 = varOff.intersect(Tnum.range(umin, umax));
        Tnum var32 = var64.subreg().intersect(Tnum.range(u32(u32min), u32(u32max)));
        varOff = var64.clearSubreg().or(var32);
    }

    void sync() {
        updateFromTnum();
        deduce();
        deduce();
        deduce();
        boundOffset();
        updateFromTnum();
    }

    /** The kernel's reg_bounds_sanity_check: a reason, or {@code null} when consistent. */
    String invariantViolation() {
        if (ult(umax, umin) || smin > smax || ult32(u32max, u32min) || s32min > s32max) {
            return "range bounds violation";
        }
        if (varOff.isConst()) {
            long v = varOff.value();
            if (umin != v || umax != v || smin != v || smax != v) {
                return "const tnum out of sync with range bounds";
            }
        }
        if (varOff.subreg().isConst()) {
            int v = (int) varOff.value();
            if (u32min != v || u32max != v || s32min != v || s32max != v) {
                return "const subreg tnum out of sync with range bounds";
            }
        }
        return null;
    }

    // ---- widening between 32 and 64 bits ---------------------------------------------

    /** A 32-bit result's zero extension: the 64-bit bounds come from the 32-bit ones. */
    void zext32to64() {
        varOff = varOff.subreg();
        umin = u32(u32min);
        umax = u32(u32max);
        if (s32min >= 0 && s32max >= 0) {
            smin = s32min;
            smax = s32max;
        } else {
            smin = 0;
            smax = LOW32;
        }
    }

    /** Truncation to {@code size} bytes (1, 2, 4): the zero-extended narrow value. */
    void coerceToSize(int size) {
        varOff = varOff.cast(size);
        long mask = (1L << (size * 8)) - 1;
        if ((umin & ~mask) == (umax & ~mask)) {
            umin &= mask;
            umax &= mask;
        } else {
            umin = 0;
            umax = mask;
        }
        smin = umin;
        smax = umax;
        if (size < 4) {
            mark32Unbounded();
        }
        sync();
    }

    private static long signExtend(long v, int size) {
        int shift = 64 - size * 8;
        return (v << shift) >> shift;
    }

    /** Sign extension of the low {@code size} bytes into 64 bits (ldsx, movsx); no sync after. */
    void coerceToSizeSx(int size) {
        if (varOff.isConst()) {
            markKnownKeepNothing(signExtend(varOff.value(), size));
            return;
        }
        int bits = size * 8;
        long topMax = (smax >>> bits) << bits;
        long topMin = (smin >>> bits) << bits;
        if (topMax == topMin) {
            long a = signExtend(smax, size);
            long b = signExtend(smin, size);
            long hi = Math.max(a, b);
            long lo = Math.min(a, b);
            if ((hi >= 0) == (lo >= 0)) {
                smin = lo;
                s32min = (int) lo;
                smax = hi;
                s32max = (int) hi;
                umin = lo;
                u32min = (int) lo;
                umax = hi;
                u32max = (int) hi;
                varOff = Tnum.range(lo, hi);
                return;
            }
        }
        long lo = size == 1 ? Byte.MIN_VALUE : size == 2 ? Short.MIN_VALUE : Integer.MIN_VALUE;
        long hi = size == 1 ? Byte.MAX_VALUE : size == 2 ? Short.MAX_VALUE : Integer.MAX_VALUE;
        if (s32min >= lo && s32max <= hi) {
            // Observed on the oracle's 6.18.44 (not in the 6.18 source we read): when the s32 range
            // already fits the narrow type, extension leaves the low 32 bits as they are, so the
            // 32-bit bounds stay, the 64-bit value is their sign extension, and the rest is re-derived.
            smin = s32min;
            smax = s32max;
            umin = 0;
            umax = U64_MAX;
            varOff = Tnum.unknown();
            sync();
            return;
        }
        smin = lo;
        s32min = (int) lo;
        smax = hi;
        s32max = (int) hi;
        umin = 0;
        u32min = 0;
        umax = U64_MAX;
        u32max = U32_MAX;
        varOff = Tnum.unknown();
    }

    private void markKnownKeepNothing(long v) {
        varOff = Tnum.constant(v);
        smin = smax = umin = umax = v;
        s32min = s32max = u32min = u32max = (int) v;
    }

    /** Sign extension of the low 1 or 2 bytes into the 32-bit subregister (movsx of w registers). */
    void coerceSubregToSizeSx(int size) {
        if (varOff.isConst()) {
            int v = (int) signExtend(varOff.value(), size);
            varOff = Tnum.constant(v);
            s32min = s32max = u32min = u32max = (int) varOff.value();
            return;
        }
        int bits = size * 8;
        int topMax = (s32max >>> bits) << bits;
        int topMin = (s32min >>> bits) << bits;
        if (topMax == topMin) {
            int a = (int) signExtend(s32max, size);
            int b = (int) signExtend(s32min, size);
            int hi = Math.max(a, b);
            int lo = Math.min(a, b);
            if ((lo >= 0) == (hi >= 0)) {
                s32min = lo;
                s32max = hi;
                u32min = lo;
                u32max = hi;
                varOff = Tnum.range(lo, hi).subreg();
                return;
            }
        }
        s32min = size == 1 ? Byte.MIN_VALUE : Short.MIN_VALUE;
        s32max = size == 1 ? Byte.MAX_VALUE : Short.MAX_VALUE;
        u32min = 0;
        u32max = U32_MAX;
        varOff = Tnum.unknown().subreg();
    }
}
