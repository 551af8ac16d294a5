package io.bpf4j.verifier.internal.scalar;

import java.util.Random;

/** Random abstract scalars with a known member, and random members of them, for soundness tests. */
final class AbstractValues {
    private final Random rnd;

    AbstractValues(long seed) {
        rnd = new Random(seed);
    }

    Random random() {
        return rnd;
    }

    /** A value biased towards the interesting places: small, around sign and 32-bit boundaries. */
    long interesting() {
        long base = switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> Long.MIN_VALUE;
            case 2 -> 0x8000_0000L;
            case 3 -> 0xffff_ffffL;
            case 4 -> 1L << 32;
            case 5 -> -1L;
            case 6 -> 0x7fff_ffffL;
            default -> rnd.nextLong();
        };
        return base + (rnd.nextInt(64) - 32) * (rnd.nextBoolean() ? 1 : rnd.nextInt(4096));
    }

    private long mask() {
        return switch (rnd.nextInt(7)) {
            case 0 -> 0;
            case 1 -> -1L;
            case 2 -> (1L << rnd.nextInt(64)) - 1;
            case 3 -> rnd.nextLong() & rnd.nextLong() & rnd.nextLong();
            case 4 -> 0xffff_ffffL << (rnd.nextBoolean() ? 0 : 32);
            case 5 -> ((1L << rnd.nextInt(16)) - 1) << rnd.nextInt(48);
            default -> rnd.nextLong();
        };
    }

    /** An abstract value holding {@code member}; {@link #lastMember} is set to it. */
    Scalar next() {
        long x = interesting();
        lastMember = x;
        if (rnd.nextInt(10) == 0) {
            return Scalar.constant(x);
        }
        if (rnd.nextInt(12) == 0) {
            return Scalar.unknown();
        }
        long m = mask();
        Tnum t = new Tnum(x & ~m, m);
        long a = member(t);
        long b = member(t);
        long umin = min(Long::compareUnsigned, x, a, b);
        long umax = max(Long::compareUnsigned, x, a, b);
        long smin = min(Long::compare, x, a, b);
        long smax = max(Long::compare, x, a, b);
        int u32min = (int) min((p, q) -> Integer.compareUnsigned((int) p, (int) q), x, a, b);
        int u32max = (int) max((p, q) -> Integer.compareUnsigned((int) p, (int) q), x, a, b);
        int s32min = (int) min((p, q) -> Integer.compare((int) p, (int) q), x, a, b);
        int s32max = (int) max((p, q) -> Integer.compare((int) p, (int) q), x, a, b);
        int drop = rnd.nextInt(16);
        Scalar s = Scalar.of(t, (drop & 1) != 0 ? Long.MIN_VALUE : smin, (drop & 1) != 0 ? Long.MAX_VALUE : smax,
                (drop & 2) != 0 ? 0 : umin, (drop & 2) != 0 ? -1L : umax,
                (drop & 4) != 0 ? Integer.MIN_VALUE : s32min, (drop & 4) != 0 ? Integer.MAX_VALUE : s32max,
                (drop & 8) != 0 ? 0 : u32min, (drop & 8) != 0 ? -1 : u32max);
        return s.sync();
    }

    long lastMember;

    /** A random member of the tnum (not necessarily of the bounds). */
    long member(Tnum t) {
        return t.value() | (rnd.nextLong() & t.mask());
    }

    /** A member of {@code s}: a random try or two, falling back to {@code known}. */
    long member(Scalar s, long known) {
        for (int i = 0; i < 4; i++) {
            long c = switch (rnd.nextInt(4)) {
                case 0 -> member(s.varOff());
                case 1 -> s.umin() + (rnd.nextInt(3));
                case 2 -> s.smax() - (rnd.nextInt(3));
                default -> s.varOff().value() | (s.varOff().mask() & (rnd.nextBoolean() ? -1L : 0));
            };
            if (s.contains(c)) {
                return c;
            }
        }
        return known;
    }

    private interface Cmp {
        int compare(long a, long b);
    }

    private static long min(Cmp c, long... v) {
        long m = v[0];
        for (long x : v) {
            if (c.compare(x, m) < 0) {
                m = x;
            }
        }
        return m;
    }

    private static long max(Cmp c, long... v) {
        long m = v[0];
        for (long x : v) {
            if (c.compare(x, m) > 0) {
                m = x;
            }
        }
        return m;
    }
}
