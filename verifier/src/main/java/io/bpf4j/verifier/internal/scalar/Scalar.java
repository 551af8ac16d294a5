package io.bpf4j.verifier.internal.scalar;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the verifier knows about one scalar register: a {@link Tnum} plus unsigned and signed
 * bounds of the 64-bit value and of its low 32 bits, with the Linux 6.18 transfer functions
 * (including the stable backports the oracle kernel runs: single-value tnum/range refinement and
 * BPF_END tracking). Immutable; unsigned bounds are exposed as bit patterns.
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

    /** {@code rX = imm} (the caller sign-extends the 32-bit immediate), ld_imm64, or a known constant. */
    public static Scalar constant(long v) {
        return new Scalar(Tnum.constant(v), v, v, v, v, (int) v, (int) v, (int) v, (int) v);
    }

    /** {@code wX = imm}: the upper half is zero. */
    public static Scalar constant32(int v) {
        return constant(Integer.toUnsignedLong(v));
    }

    public static Scalar unknown() {
        return UNKNOWN;
    }

    /** Every value the tnum allows, with bounds derived from it (as a fresh unknown then synced). */
    public static Scalar fromTnum(Tnum t) {
        return of(t, Long.MIN_VALUE, Long.MAX_VALUE, 0, -1L, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1).sync();
    }

    /** The unsigned range [lo, hi] with its tnum, synchronised. */
    public static Scalar unsignedRange(long lo, long hi) {
        return of(Tnum.unknown(), Long.MIN_VALUE, Long.MAX_VALUE, lo, hi, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1)
                .sync();
    }

    /** The signed range [lo, hi], synchronised. */
    public static Scalar signedRange(long lo, long hi) {
        return of(Tnum.unknown(), lo, hi, 0, -1L, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1).sync();
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

    /** Whether concrete {@code x} satisfies every component (membership in the abstract value). */
    public boolean contains(long x) {
        int x32 = (int) x;
        return (x & ~varOff.mask()) == varOff.value() && x >= smin && x <= smax && Reg.ule(umin, x)
                && Reg.ule(x, umax) && x32 >= s32min && x32 <= s32max && Reg.ule32(u32min, x32)
                && Reg.ule32(x32, u32max);
    }

    /** reg_bounds_sync: tighten bounds and tnum from each other until they agree. */
    public Scalar sync() {
        Reg r = new Reg(this);
        r.sync();
        return r.freeze();
    }

    // ---- ALU --------------------------------------------------------------------------

    public Scalar alu(AluOp op, boolean alu64, Scalar src) {
        return alu(op, alu64, src, 0);
    }

    /**
     * {@code dst op= src} for a scalar destination and source, followed by the kernel's sanity
     * check (an inconsistent result gets unbounded ranges, see {@link #aluUnchecked}).
     * {@code off} is the instruction's offset field (1: signed division/modulo, which like all
     * division is not tracked). For a K-form instruction pass {@code Scalar.constant(imm)}.
     */
    public Scalar alu(AluOp op, boolean alu64, Scalar src, int off) {
        return aluUnchecked(op, alu64, src, off).sanitized();
    }

    /** The result before reg_bounds_sanity_check; compare with {@link #invariantViolation()}. */
    public Scalar aluUnchecked(AluOp op, boolean alu64, Scalar src, int off) {
        if (op == AluOp.MOV) {
            return alu64 ? src : src.zext32();
        }
        if (!Alu.computable(op, alu64, op == AluOp.NEG ? this : src)) {
            // no zero extension here: even w0 /= w1 leaves a fully unknown 64-bit value
            return UNKNOWN;
        }
        Reg d = new Reg(this);
        return Alu.apply(op, alu64, d, op == AluOp.NEG ? d : new Reg(src)).freeze();
    }

    public Scalar neg(boolean alu64) {
        return alu(AluOp.NEG, alu64, this);
    }

    /** {@code BPF_ALU64 | BPF_END} (bswap16/32/64): an unconditional byte swap. */
    public Scalar bswap(int bits) {
        return Alu.byteSwap(new Reg(this), true, bits).freeze().sanitized();
    }

    /**
     * {@code BPF_ALU | BPF_END}: {@code be16/32/64} swaps on this little-endian machine,
     * {@code le16/32/64} only truncates to the width.
     */
    public Scalar endian(boolean toBigEndian, int bits) {
        return Alu.byteSwap(new Reg(this), toBigEndian, bits).freeze().sanitized();
    }

    /**
     * {@code rX = (s8/s16/s32) rY} ({@code alu64}) or {@code wX = (s8/s16) wY}. The 64-bit form is
     * not synchronised afterwards, exactly as the kernel leaves it.
     */
    public Scalar movsx(int bits, boolean alu64) {
        Reg r = new Reg(this);
        if (alu64) {
            r.coerceToSizeSx(bits / 8);
        } else {
            r.coerceSubregToSizeSx(bits / 8);
            r.zext32to64();
            r.sync();
        }
        return r.freeze();
    }

    /** {@code wX = wY}: the low half zero-extended, then synchronised. */
    public Scalar zext32() {
        Reg r = new Reg(this);
        r.zext32to64();
        r.sync();
        return r.freeze();
    }

    /** A zero-extending narrow load (or narrowing) to 1, 2 or 4 bytes; 8 leaves the value as is. */
    public Scalar coerceToSize(int bytes) {
        if (bytes >= 8) {
            return this;
        }
        Reg r = new Reg(this);
        r.coerceToSize(bytes);
        return r.freeze();
    }

    /** A sign-extending load (ldsx) of 1, 2 or 4 bytes; not synchronised afterwards, as in the kernel. */
    public Scalar signExtendFrom(int bytes) {
        if (bytes >= 8) {
            return this;
        }
        Reg r = new Reg(this);
        r.coerceToSizeSx(bytes);
        return r.freeze();
    }

    // ---- sanity -------------------------------------------------------------------------

    /** reg_bounds_sanity_check's reason, or {@code null} when the state is consistent. */
    public String invariantViolation() {
        return new Reg(this).invariantViolation();
    }

    /** What the kernel prints after the reason: {@code u64=[%#llx, %#llx] s64=[...] u32=[...] s32=[...] var_off=(v, m)}. */
    public String invariantDetail() {
        return "u64=[" + Tnum.hex(umin) + ", " + Tnum.hex(umax) + "] s64=[" + Tnum.hex(smin) + ", " + Tnum.hex(smax)
                + "] u32=[" + hex32(u32min) + ", " + hex32(u32max) + "] s32=[" + hex32(s32min) + ", "
                + hex32(s32max) + "] var_off=(" + Tnum.hex(varOff.value()) + ", " + Tnum.hex(varOff.mask()) + ")";
    }

    private static String hex32(int v) {
        return "0x" + Integer.toHexString(v);
    }

    /** The same tnum with all eight bounds reset (what the kernel does after a failed sanity check). */
    public Scalar withUnboundedRanges() {
        return of(varOff, Long.MIN_VALUE, Long.MAX_VALUE, 0, -1L, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1);
    }

    private Scalar sanitized() {
        return invariantViolation() == null ? this : withUnboundedRanges();
    }

    // ---- conditional jumps ------------------------------------------------------------

    /**
     * is_branch_taken for two scalars: 1 always taken, 0 never, -1 unknown. For the K form pass
     * {@code Scalar.constant(imm)} with the immediate sign-extended to 64 bits (JMP32 looks at its
     * low half).
     */
    public int isBranchTaken(JumpOp op, boolean jmp32, Scalar src) {
        return Branch.taken(this, src, op, jmp32);
    }

    /**
     * {@code if rX op rX}. The oracle's 6.18.44 lacks the upstream fix that decides these
     * (d43ad9da8052), so they go through the ordinary rules: {@code r == r} is undecided unless rX
     * is a constant.
     */
    public int isBranchTakenSelf(JumpOp op, boolean jmp32) {
        return Branch.taken(this, this, op, jmp32);
    }

    /**
     * reg_set_min_max for an undecided jump: both registers on the taken and the fall-through
     * edge, each synchronised and sanity-checked. In the K form the kernel refines a throw-away
     * copy of the immediate, so only the {@code dst} states matter; in the X form both do.
     */

    /**
     * {@code if rX op rX}: the kernel refines one register through two aliases of it, which can
     * contradict itself (e.g. the fall-through of {@code w0 >= w0} when w0 is 0 or 1 reports an
     * invariant violation on the oracle kernel). Both result pairs hold the same state.
     */
    public BranchRefinement refineSelf(JumpOp op, boolean jmp32) {
        return refine(op, jmp32, this, true);
    }

    public BranchRefinement refine(JumpOp op, boolean jmp32, Scalar src) {
        return refine(op, jmp32, src, false);
    }

    private BranchRefinement refine(JumpOp op, boolean jmp32, Scalar src, boolean same) {
        Reg f1 = new Reg(this);
        Reg f2 = same ? f1 : new Reg(src);
        Branch.refine(f1, f2, Branch.reverse(op), op == JumpOp.JSET, jmp32);
        f1.sync();
        f2.sync();
        Reg t1 = new Reg(this);
        Reg t2 = same ? t1 : new Reg(src);
        Branch.refine(t1, t2, op, false, jmp32);
        t1.sync();
        t2.sync();
        List<BranchRefinement.Violation> violations = new ArrayList<>();
        // an aliased register is checked (and reset) under both names, as in the kernel
        check(t1, "true_reg1", violations);
        check(t2, "true_reg2", violations);
        check(f1, "false_reg1", violations);
        check(f2, "false_reg2", violations);
        return new BranchRefinement(t1.freeze(), t2.freeze(), f1.freeze(), f2.freeze(), violations);
    }

    private static void check(Reg r, String context, List<BranchRefinement.Violation> out) {
        String why = r.invariantViolation();
        if (why != null) {
            out.add(new BranchRefinement.Violation(context, why, r.freeze()));
            r.markUnbounded();
        }
    }

    // ---- pruning ------------------------------------------------------------------------

    /** range_within and tnum_in: {@code old} (a checkpoint's value) includes every value this one allows. */
    public boolean within(Scalar old) {
        return Reg.ule(old.umin, umin) && Reg.ule(umax, old.umax) && old.smin <= smin && old.smax >= smax
                && Reg.ule32(old.u32min, u32min) && Reg.ule32(u32max, old.u32max) && old.s32min <= s32min
                && old.s32max >= s32max && old.varOff.in(varOff);
    }

    // ---- log text ---------------------------------------------------------------------

    /** The register value as 6.18's log prints it after {@code R1=} (without the precision mark {@code P}). */
    public void appendTo(StringBuilder sb) {
        appendTo(sb, "");
    }

    /**
     * As {@link #appendTo(StringBuilder)} with fields the caller owns printed first inside the
     * parentheses ({@code "id=2"} or {@code "id=2+4"}); ignored for a constant, as in the kernel.
     */
    public void appendTo(StringBuilder sb, String leadingFields) {
        if (isConst()) {
            LogFormat.appendSigned(sb, varOff.value());
            return;
        }
        sb.append("scalar(");
        boolean sep = !leadingFields.isEmpty();
        sb.append(leadingFields);
        appendRangesAndVarOff(sb, sep);
        sb.append(')');
    }

    /**
     * The non-constant part of a register's parentheses: bounds by print_scalar_ranges' rules then
     * {@code var_off=} unless fully unknown, comma-separated; {@code needSep} says whether a
     * comma is due before the first. Returns whether anything was written (or {@code needSep}).
     * Pointer registers with a variable offset print the same way.
     */
    public boolean appendRangesAndVarOff(StringBuilder sb, boolean needSep) {
        boolean sep = LogFormat.appendRanges(sb, this, needSep);
        if (!varOff.isUnknown()) {
            if (sep) {
                sb.append(',');
            }
            sb.append("var_off=");
            LogFormat.appendTnum(sb, varOff);
            sep = true;
        }
        return sep;
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
