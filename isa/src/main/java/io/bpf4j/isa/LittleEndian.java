package io.bpf4j.isa;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian integers in byte arrays, as BPF on x86 and arm64 lays out keys, values,
 * contexts and packets: the one helper every module uses for that.
 */
public final class LittleEndian {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    /** The 32-bit value at {@code at}. */
    public static int getInt(byte[] a, int at) {
        return (int) INT.get(a, at);
    }

    /** The 64-bit value at {@code at}. */
    public static long getLong(byte[] a, int at) {
        return (long) LONG.get(a, at);
    }

    /** Writes {@code v} as 4 bytes at {@code at}. */
    public static void putInt(byte[] a, int at, int v) {
        INT.set(a, at, v);
    }

    /** Writes {@code v} as 8 bytes at {@code at}. */
    public static void putLong(byte[] a, int at, long v) {
        LONG.set(a, at, v);
    }

    /** The 4-byte encoding of {@code v}. */
    public static byte[] u32(int v) {
        byte[] b = new byte[4];
        putInt(b, 0, v);
        return b;
    }

    /** The 8-byte encoding of {@code v}. */
    public static byte[] u64(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }

    /** The low {@code size} bytes of {@code v} (any size; past 8 the rest is zero). */
    public static byte[] of(long v, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < Math.min(size, 8); i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** The unsigned value of the first (at most 8) bytes of {@code b}. */
    public static long unsigned(byte[] b) {
        long v = 0;
        for (int i = Math.min(b.length, 8) - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }
}
