package io.bpf4j.verifier.internal.scalar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tnum soundness and the kernel's exact results for a few hand-checked cases. */
class TnumTest {
    private static Tnum random(Random r) {
        long m = switch (r.nextInt(5)) {
            case 0 -> 0;
            case 1 -> (1L << r.nextInt(64)) - 1;
            case 2 -> r.nextLong() & r.nextLong();
            case 3 -> -1L;
            default -> r.nextLong();
        };
        return new Tnum(r.nextLong() & ~m, m);
    }

    private static long member(Random r, Tnum t) {
        return t.value() | (r.nextLong() & t.mask());
    }

    private static boolean has(Tnum t, long x) {
        return (x & ~t.mask()) == t.value();
    }

    @Test
    void operationsContainTheConcreteResults() {
        Random r = new Random(0x7e0a5L);
        List<String> bad = new ArrayList<>();
        long checks = 0;
        for (int i = 0; i < 100_000; i++) {
            Tnum a = random(r);
            Tnum b = random(r);
            long x = member(r, a);
            long y = member(r, b);
            int sh = r.nextInt(64);
            long[][] cases = {
                {a.add(b).value(), a.add(b).mask(), x + y},
                {a.sub(b).value(), a.sub(b).mask(), x - y},
                {a.mul(b).value(), a.mul(b).mask(), x * y},
                {a.and(b).value(), a.and(b).mask(), x & y},
                {a.or(b).value(), a.or(b).mask(), x | y},
                {a.xor(b).value(), a.xor(b).mask(), x ^ y},
                {a.neg().value(), a.neg().mask(), -x},
                {a.lshift(sh).value(), a.lshift(sh).mask(), x << sh},
                {a.rshift(sh).value(), a.rshift(sh).mask(), x >>> sh},
                {a.arshift(sh, 64).value(), a.arshift(sh, 64).mask(), x >> sh},
                {a.arshift(sh & 31, 32).value(), a.arshift(sh & 31, 32).mask(),
                    Integer.toUnsignedLong((int) x >> (sh & 31))},
                {a.union(b).value(), a.union(b).mask(), x},
                {a.union(b).value(), a.union(b).mask(), y},
                {a.cast(2).value(), a.cast(2).mask(), x & 0xffff},
                {a.subreg().value(), a.subreg().mask(), x & 0xffff_ffffL},
                {a.clearSubreg().value(), a.clearSubreg().mask(), x & ~0xffff_ffffL},
                {a.withSubreg(b).value(), a.withSubreg(b).mask(), (x & ~0xffff_ffffL) | (y & 0xffff_ffffL)},
                {a.bswap(32).value(), a.bswap(32).mask(), Integer.toUnsignedLong(Integer.reverseBytes((int) x))},
            };
            for (long[] c : cases) {
                checks++;
                if (!has(new Tnum(c[0], c[1]), c[2]) && bad.size() < 10) {
                    bad.add(a + " " + b + " x=" + x + " y=" + y + " -> " + new Tnum(c[0], c[1]) + " misses " + c[2]);
                }
            }
            if (has(b, x)) {
                checks++;
                if (!has(a.intersect(b), x) && bad.size() < 10) {
                    bad.add("intersect " + a + " " + b + " misses " + x);
                }
            }
            long lo = r.nextLong();
            long hi = lo + (r.nextLong() >>> r.nextInt(64));
            if (Long.compareUnsigned(lo, hi) <= 0) {
                long v = lo + (long) (r.nextDouble() * (hi - lo));
                if (Long.compareUnsigned(v, lo) >= 0 && Long.compareUnsigned(v, hi) <= 0) {
                    checks++;
                    if (!has(Tnum.range(lo, hi), v) && bad.size() < 10) {
                        bad.add("range " + lo + " " + hi + " misses " + v);
                    }
                }
            }
            // step: the smallest member above z, by brute force over few unknown bits
            if (Long.bitCount(a.mask()) <= 8) {
                long z = member(r, a) + r.nextInt(5) - 2;
                long expected = a.value() | a.mask();
                long best = 0;
                boolean found = false;
                long m = a.mask();
                for (long sub = m;; sub = (sub - 1) & m) {
                    long cand = a.value() | sub;
                    if (Long.compareUnsigned(cand, z) > 0 && (!found || Long.compareUnsigned(cand, best) < 0)) {
                        best = cand;
                        found = true;
                    }
                    if (sub == 0) {
                        break;
                    }
                }
                if (Long.compareUnsigned(z, a.value()) < 0) {
                    expected = a.value();
                } else if (found) {
                    expected = best;
                }
                checks++;
                if (a.step(z) != expected && bad.size() < 10) {
                    bad.add("step " + a + " z=" + z + " got " + a.step(z) + " want " + expected);
                }
            }
        }
        System.out.println("tnum: " + checks + " checks");
        assertThat(bad).isEmpty();
    }

    @Test
    void inAndOverlap() {
        Tnum byteRange = new Tnum(0, 0xff);
        assertThat(byteRange.in(Tnum.constant(0x7f))).isTrue();
        assertThat(byteRange.in(Tnum.constant(0x100))).isFalse();
        assertThat(byteRange.in(new Tnum(0x10, 0x0f))).isTrue();
        assertThat(Tnum.constant(0x10).in(byteRange)).isFalse();
        assertThat(new Tnum(0, 0x10).overlaps(Tnum.constant(8))).isFalse();
        assertThat(new Tnum(0, 0x10).overlaps(Tnum.constant(16))).isTrue();
    }

    @Test
    void kernelShapes() {
        // tnum_range keeps the common prefix; [0, 255] is (0x0; 0xff)
        assertThat(Tnum.range(0, 255).format()).isEqualTo("(0x0; 0xff)");
        assertThat(Tnum.range(3584, 3840)).isEqualTo(new Tnum(0xe00, 0x1ff).intersect(Tnum.unknown()));
        assertThat(Tnum.range(0, -1L)).isEqualTo(Tnum.unknown());
        assertThat(LogFormat.tnum(Tnum.constant(0x10000))).isEqualTo("0x10000");
        assertThat(LogFormat.tnum(Tnum.constant(65535))).isEqualTo("65535");
        // 6.18's long multiplication: (x1) * (11) = union(0011, 1001) = x0x1
        assertThat(new Tnum(1, 2).mul(Tnum.constant(3))).isEqualTo(new Tnum(1, 0xa));
        assertThat(new Tnum(0, 0x3f00).bswap(16)).isEqualTo(new Tnum(0, 0x3f));
        assertThat(new Tnum(0xe00, 0x100).step(0xe00)).isEqualTo(0xf00);
    }
}
