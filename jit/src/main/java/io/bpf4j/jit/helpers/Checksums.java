package io.bpf4j.jit.helpers;

/**
 * The kernel's Internet checksum arithmetic on x86-64, where BPF test runs happen: a {@code __wsum}
 * is a 32-bit ones' complement partial sum of little-endian words, {@code csum_partial} adds
 * 64-bit words with end-around carry and folds to 32 bits, and a {@code __sum16} field is
 * read and written as a little-endian u16 of the packet.
 */
final class Checksums {
    private Checksums() {}

    /** {@code csum_partial(buf, len, sum)} of arch/x86/lib/csum-partial_64.c: the tail is zero-padded. */
    static long partial(byte[] buf, int off, int len, long sum) {
        long acc = sum & 0xffff_ffffL;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            acc = add64(acc, le64(buf, off + i, 8));
        }
        if (i < len) {
            acc = add64(acc, le64(buf, off + i, len - i));
        }
        return add32(acc >>> 32, acc & 0xffff_ffffL);
    }

    private static long le64(byte[] b, int at, int n) {
        long v = 0;
        for (int k = n - 1; k >= 0; k--) {
            v = v << 8 | (b[at + k] & 0xffL);
        }
        return v;
    }

    private static long add64(long a, long b) {
        long s = a + b;
        return Long.compareUnsigned(s, a) < 0 ? s + 1 : s;
    }

    /** {@code csum_add}: 32-bit addition with end-around carry. */
    static long add32(long a, long b) {
        long s = (a & 0xffff_ffffL) + (b & 0xffff_ffffL);
        return (s + (s >>> 32)) & 0xffff_ffffL;
    }

    /** {@code csum_sub}. */
    static long sub32(long a, long b) {
        return add32(a, ~b & 0xffff_ffffL);
    }

    /** {@code csum_from32to16}: the 16-bit ones' complement sum of a {@code __wsum}, not complemented. */
    static long from32to16(long csum) {
        long s = (csum & 0xffff) + ((csum >>> 16) & 0xffff);
        return (s & 0xffff) + (s >>> 16);
    }

    /** {@code csum_fold}: the complemented 16-bit sum. */
    static int fold(long csum) {
        long s = (csum & 0xffff) + ((csum >>> 16) & 0xffff);
        s = (s & 0xffff) + (s >>> 16);
        return (int) (~s & 0xffff);
    }

    /** {@code csum_replace4(sum, from, to)} on a __sum16 value; returns the new field. */
    static int replace4(int field, long from, long to) {
        long tmp = sub32(~field & 0xffff_ffffL, from);
        return fold(add32(tmp, to));
    }

    /** {@code csum_replace_by_diff(sum, diff)}. */
    static int replaceByDiff(int field, long diff) {
        return fold(add32(diff, ~field & 0xffff_ffffL));
    }

    /** {@code csum_replace2(sum, old, new)}: ~csum16_add(csum16_sub(~sum, old), new). */
    static int replace2(int field, int from, int to) {
        int s = add16(~field & 0xffff, ~from & 0xffff);
        s = add16(s, to & 0xffff);
        return ~s & 0xffff;
    }

    private static int add16(int a, int b) {
        int s = a + b;
        return (s + (s >>> 16)) & 0xffff;
    }
}
