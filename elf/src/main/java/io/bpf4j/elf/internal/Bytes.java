package io.bpf4j.elf.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Unsigned reads in either byte order; the caller has checked the bounds. Multi-byte reads go
 * through byte-array view handles, which the JIT compiles to one load (and a byte swap for the
 * other order) instead of assembling the value byte by byte: BTF and ELF parsing are mostly reads.
 */
public final class Bytes {
    private static final VarHandle I16_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I16_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I32_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I64_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {}

    public static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static int u16(byte[] b, int off, boolean le) {
        return (le ? (short) I16_LE.get(b, off) : (short) I16_BE.get(b, off)) & 0xffff;
    }

    /** A 32-bit field as an int bit pattern (callers widen with {@code & 0xffffffffL} where unsigned). */
    public static int s32(byte[] b, int off, boolean le) {
        return le ? (int) I32_LE.get(b, off) : (int) I32_BE.get(b, off);
    }

    public static long u32(byte[] b, int off, boolean le) {
        return s32(b, off, le) & 0xffffffffL;
    }

    /** A 64-bit field as a long bit pattern (unsigned values above 2^63 read negative). */
    public static long u64(byte[] b, int off, boolean le) {
        return le ? (long) I64_LE.get(b, off) : (long) I64_BE.get(b, off);
    }

    public static boolean isLittle(ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN;
    }
}
