package io.bpf4j.verifier.internal.scalar;

/**
 * A tristate number as the Linux verifier tracks it: every bit is known 0, known 1 or unknown.
 * Bits set in {@code mask} are unknown; the known bits are in {@code value}, whose unknown bits
 * are always 0. Every operation over-approximates: for concrete members {@code x} of {@code a}
 * and {@code y} of {@code b}, {@code x op y} is a member of {@code a.op(b)}, and the results are
 * bit-for-bit those of the kernel, because pruning and the printed {@code var_off} depend on them.
 */
public record Tnum(long value, long mask) {
    private static final Tnum UNKNOWN = new Tnum(0, -1L);
    private static final Tnum ZERO = new Tnum(0, 0);

    public Tnum {
        // A known bit that is also unknown would make membership ambiguous; the kernel never builds one.
        value &= ~mask;
    }

    public static Tnum constant(long v) {
        return v == 0 ? ZERO : new Tnum(v, 0);
    }

    public static Tnum unknown() {
        return UNKNOWN;
    }

    /** The smallest tnum holding every value of the unsigned range: the common prefix is known. */
    public static Tnum range(long umin, long umax) {
        long chi = umin ^ umax;
        int bits = 64 - Long.numberOfLeadingZeros(chi);
        if (bits > 63) {
            return UNKNOWN;
        }
        long delta = (1L << bits) - 1;
        return new Tnum(umin & ~delta, delta);
    }

    public boolean isConst() {
        return mask == 0;
    }

    public boolean isUnknown() {
        return mask == -1L;
    }

    /** Whether this tnum is the single value {@code v}. */
    public boolean equalsConst(long v) {
        return mask == 0 && value == v;
    }

    public Tnum lshift(int shift) {
        return new Tnum(value << shift, mask << shift);
    }

    public Tnum rshift(int shift) {
        return new Tnum(value >>> shift, mask >>> shift);
    }

    /**
     * Arithmetic shift right within the instruction's width: a 32-bit shift replicates bit 31 and
     * leaves the upper half zero, as the 32-bit ALU result does before zero extension.
     */
    public Tnum arshift(int shift, int insnBitness) {
        if (insnBitness == 32) {
            return new Tnum(Integer.toUnsignedLong((int) value >> shift), Integer.toUnsignedLong((int) mask >> shift));
        }
        return new Tnum(value >> shift, mask >> shift);
    }

    public Tnum add(Tnum b) {
        long sm = mask + b.mask;
        long sv = value + b.value;
        long sigma = sm + sv;
        // Bits where adding the unknowns at their maximum changes the carry chain are uncertain.
        long chi = sigma ^ sv;
        long mu = chi | mask | b.mask;
        return new Tnum(sv & ~mu, mu);
    }

    public Tnum sub(Tnum b) {
        long dv = value - b.value;
        long alpha = dv + mask;
        long beta = dv - b.mask;
        long chi = alpha ^ beta;
        long mu = chi | mask | b.mask;
        return new Tnum(dv & ~mu, mu);
    }

    public Tnum neg() {
        return ZERO.sub(this);
    }

    public Tnum and(Tnum b) {
        long alpha = value | mask;
        long beta = b.value | b.mask;
        long v = value & b.value;
        return new Tnum(v, alpha & beta & ~v);
    }

    public Tnum or(Tnum b) {
        long v = value | b.value;
        long mu = mask | b.mask;
        return new Tnum(v, mu & ~v);
    }

    public Tnum xor(Tnum b) {
        long v = value ^ b.value;
        long mu = mask | b.mask;
        return new Tnum(v & ~mu, mu);
    }

    /**
     * Long multiplication as 6.18 does it: a known-1 multiplier bit adds the shifted multiplicand,
     * an unknown one takes the union of adding and not adding it (6.12 decomposed value and mask
     * instead and can give a different, less precise, result).
     */
    public Tnum mul(Tnum b) {
        Tnum a = this;
        Tnum acc = ZERO;
        while (a.value != 0 || a.mask != 0) {
            if ((a.value & 1) != 0) {
                acc = acc.add(b);
            } else if ((a.mask & 1) != 0) {
                acc = acc.union(acc.add(b));
            }
            a = a.rshift(1);
            b = b.lshift(1);
        }
        return acc;
    }

    /** Both tnums hold: known bits from either; only bits unknown in both stay unknown. */
    public Tnum intersect(Tnum b) {
        long v = value | b.value;
        long mu = mask & b.mask;
        return new Tnum(v & ~mu, mu);
    }

    /** Either tnum holds: bits unknown in either or known differently become unknown. */
    public Tnum union(Tnum b) {
        long v = value & b.value;
        long mu = (value ^ b.value) | mask | b.mask;
        return new Tnum(v & ~mu, mu);
    }

    /**
     * The smallest member greater than {@code z} (unsigned); the largest member when {@code z} is
     * at or above it, the smallest when {@code z} is below it. Stable 6.18 uses it to notice that
     * a range and a tnum share a single value.
     */
    public long step(long z) {
        long tmax = value | mask;
        if (Long.compareUnsigned(z, tmax) >= 0) {
            return tmax;
        }
        if (Long.compareUnsigned(z, value) < 0) {
            return value;
        }
        long n = z + 1; // no wrap: z < tmax
        long differ = (value ^ n) & ~mask;
        if (differ == 0) {
            return n; // n agrees with every known bit
        }
        int k = 63 - Long.numberOfLeadingZeros(differ);
        if ((value & (1L << k)) != 0) {
            // the known bit k is 1 where n has 0: keep n above k, the minimum from k down
            return (n & ~lowBits(k + 1)) | (value & lowBits(k + 1));
        }
        // the known bit k is 0 where n has 1: carry into the lowest unknown bit above k that n has clear
        long free = mask & ~n & ~lowBits(k + 1);
        if (free == 0) {
            return tmax;
        }
        int j = Long.numberOfTrailingZeros(free);
        return (n & ~lowBits(j + 1)) | (1L << j) | (value & lowBits(j));
    }

    private static long lowBits(int n) {
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    /** The low {@code sizeBytes}-byte value with its bytes reversed (bswap16/32/64), zero above. */
    public Tnum bswap(int bits) {
        return switch (bits) {
            case 16 -> new Tnum(Short.toUnsignedLong(Short.reverseBytes((short) value)),
                    Short.toUnsignedLong(Short.reverseBytes((short) mask)));
            case 32 -> new Tnum(Integer.toUnsignedLong(Integer.reverseBytes((int) value)),
                    Integer.toUnsignedLong(Integer.reverseBytes((int) mask)));
            default -> new Tnum(Long.reverseBytes(value), Long.reverseBytes(mask));
        };
    }

    /** Truncation to the low {@code sizeBytes} bytes (1, 2, 4 or 8), i.e. a zero-extended narrow value. */
    public Tnum cast(int sizeBytes) {
        if (sizeBytes >= 8) {
            return this;
        }
        long keep = (1L << (sizeBytes * 8)) - 1;
        return new Tnum(value & keep, mask & keep);
    }

    public boolean isAligned(long size) {
        if (size == 0) {
            return true;
        }
        return ((value | mask) & (size - 1)) == 0;
    }

    /** Whether every member of {@code b} is a member of this tnum (this is the wider one). */
    public boolean in(Tnum b) {
        if ((b.mask & ~mask) != 0) {
            return false;
        }
        return value == (b.value & ~mask);
    }

    /** Whether the two tnums can share a member: their bits known in both agree. */
    public boolean overlaps(Tnum b) {
        long mu = ~mask & ~b.mask;
        return (value & mu) == (b.value & mu);
    }

    /** The low 32 bits (the subregister), zero-extended. */
    public Tnum subreg() {
        return cast(4);
    }

    /** The high 32 bits kept, the low 32 bits known zero. */
    public Tnum clearSubreg() {
        return rshift(32).lshift(32);
    }

    /** This tnum's high half with {@code subreg}'s low half. */
    public Tnum withSubreg(Tnum subreg) {
        return clearSubreg().or(subreg.subreg());
    }

    /** This tnum's high half with the low half the constant {@code value}. */
    public Tnum constSubreg(int value) {
        return withSubreg(constant(Integer.toUnsignedLong(value)));
    }

    /** As the kernel prints {@code var_off}: {@code (0x0; 0xff)}, lower-case hex, {@code 0x0} for zero. */
    public String format() {
        return "(" + hex(value) + "; " + hex(mask) + ")";
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    @Override
    public String toString() {
        return format();
    }
}
