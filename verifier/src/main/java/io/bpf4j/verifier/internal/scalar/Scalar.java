package io.bpf4j.verifier.internal.scalar;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import java.util.Objects;

/**
 * What the verifier knows about one scalar register: a {@link Tnum} plus unsigned and signed
 * bounds of the whole 64-bit value and of its low 32 bits. Immutable. (Work in progress: the
 * transfer functions are conservative until the kernel's rules are in.)
 */
public final class Scalar {
    private static final Scalar UNKNOWN = new Scalar(Tnum.unknown(), Long.MIN_VALUE, Long.MAX_VALUE, 0, -1L,
            Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1);

    private final Tnum varOff;
    private final long smin;
    private final long smax;
    private final long umin;
    private final long umax;
    private final int s32min;
    private final int s32max;
    private final int u32min;
    private final int u32max;

    private Scalar(Tnum varOff, long smin, long smax, long umin, long umax, int s32min, int s32max, int u32min,
            int u32max) {
        this.varOff = varOff;
        this.smin = smin;
        this.smax = smax;
        this.umin = umin;
        this.umax = umax;
        this.s32min = s32min;
        this.s32max = s32max;
        this.u32min = u32min;
        this.u32max = u32max;
    }

    /** The raw state, not synchronised (unsigned bounds are passed as their bit patterns). */
    public static Scalar of(Tnum varOff, long smin, long smax, long umin, long umax, int s32min, int s32max,
            int u32min, int u32max) {
        return new Scalar(varOff, smin, smax, umin, umax, s32min, s32max, u32min, u32max);
    }

    public static Scalar constant(long v) {
        return new Scalar(Tnum.constant(v), v, v, v, v, (int) v, (int) v, (int) v, (int) v);
    }

    /** A {@code w} register set to {@code v}: the upper half is zero. */
    public static Scalar constant32(int v) {
        return constant(Integer.toUnsignedLong(v));
    }

    public static Scalar unknown() {
        return UNKNOWN;
    }

    public Tnum varOff() {
        return varOff;
    }

    public long smin() {
        return smin;
    }

    public long smax() {
        return smax;
    }

    public long umin() {
        return umin;
    }

    public long umax() {
        return umax;
    }

    public int s32min() {
        return s32min;
    }

    public int s32max() {
        return s32max;
    }

    public int u32min() {
        return u32min;
    }

    public int u32max() {
        return u32max;
    }

    public boolean isConst() {
        return varOff.isConst();
    }

    public long constValue() {
        return varOff.value();
    }

    public boolean isConst32() {
        return varOff.subreg().isConst();
    }

    public int const32Value() {
        return (int) varOff.value();
    }

    public boolean isUnknown() {
        return equals(UNKNOWN);
    }

    public Scalar alu(AluOp op, boolean alu64, Scalar src) {
        return alu(op, alu64, src, 0);
    }

    /** {@code off} is the instruction's offset field: 1 selects signed division and modulo. */
    public Scalar alu(AluOp op, boolean alu64, Scalar src, int off) {
        return UNKNOWN;
    }

    public Scalar neg(boolean alu64) {
        return UNKNOWN;
    }

    /** {@code BPF_ALU64 | BPF_END}: unconditional byte swap of the low {@code bits}. */
    public Scalar bswap(int bits) {
        return UNKNOWN;
    }

    /** {@code BPF_ALU | BPF_END}: to little or big endian on this little-endian machine. */
    public Scalar endian(boolean toBigEndian, int bits) {
        return UNKNOWN;
    }

    public Scalar movsx(int bits, boolean alu64) {
        return UNKNOWN;
    }

    public Scalar zext32() {
        return UNKNOWN;
    }

    public Scalar coerceToSize(int bytes) {
        return UNKNOWN;
    }

    public Scalar signExtendFrom(int bytes) {
        return UNKNOWN;
    }

    /** 1 always taken, 0 never, -1 unknown. */
    public int isBranchTaken(JumpOp op, boolean jmp32, Scalar src) {
        return -1;
    }

    public BranchRefinement refine(JumpOp op, boolean jmp32, Scalar src) {
        return new BranchRefinement(this, src, this, src);
    }

    /** Whether {@code old} (a checkpoint's value) includes every value this one allows. */
    public boolean within(Scalar old) {
        return Long.compareUnsigned(old.umin, umin) <= 0 && Long.compareUnsigned(old.umax, umax) >= 0
                && old.smin <= smin && old.smax >= smax
                && Integer.compareUnsigned(old.u32min, u32min) <= 0 && Integer.compareUnsigned(old.u32max, u32max) >= 0
                && old.s32min <= s32min && old.s32max >= s32max
                && old.varOff.in(varOff);
    }

    public void appendTo(StringBuilder sb) {
        if (isConst()) {
            sb.append(constValue());
            return;
        }
        sb.append("scalar()");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb);
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scalar s && varOff.equals(s.varOff) && smin == s.smin && smax == s.smax
                && umin == s.umin && umax == s.umax && s32min == s.s32min && s32max == s.s32max
                && u32min == s.u32min && u32max == s.u32max;
    }

    @Override
    public int hashCode() {
        return Objects.hash(varOff, smin, smax, umin, umax, s32min, s32max, u32min, u32max);
    }
}
