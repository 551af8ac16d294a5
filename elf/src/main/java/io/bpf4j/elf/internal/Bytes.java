package io.bpf4j.elf.internal;

import java.nio.ByteOrder;

/** Unsigned reads in either byte order; the caller has checked the bounds. */
public final class Bytes {
    private Bytes() {}

    public static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static int u16(byte[] b, int off, boolean le) {
        return le ? (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 : (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    /** A 32-bit field as an int bit pattern (callers widen with {@code & 0xffffffffL} where unsigned). */
    public static int s32(byte[] b, int off, boolean le) {
        return le
                ? (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24
                : (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    public static long u32(byte[] b, int off, boolean le) {
        return s32(b, off, le) & 0xffffffffL;
    }

    /** A 64-bit field as a long bit pattern (unsigned values above 2^63 read negative). */
    public static long u64(byte[] b, int off, boolean le) {
        long lo = u32(b, off, le);
        long hi = u32(b, off + 4, le);
        return le ? hi << 32 | lo : lo << 32 | hi;
    }

    public static boolean isLittle(ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN;
    }
}
