package io.bpf4j.maps;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian access to byte arrays, as BPF on x86 and arm64 sees memory. */
public final class Bytes {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    public static int getIntLE(byte[] a, int at) {
        return (int) INT.get(a, at);
    }

    public static long getLongLE(byte[] a, int at) {
        return (long) LONG.get(a, at);
    }

    public static void putIntLE(byte[] a, int at, int v) {
        INT.set(a, at, v);
    }

    public static void putLongLE(byte[] a, int at, long v) {
        LONG.set(a, at, v);
    }

    /**
     * Load of an aligned u32 followed by an acquire fence (ring buffer headers). Since JDK 22
     * byte-array views support only plain access modes, so ordering comes from fences.
     */
    public static int getIntAcquire(byte[] a, int at) {
        int v = (int) INT.get(a, at);
        VarHandle.acquireFence();
        return v;
    }

    /** A release fence followed by a store of an aligned u32 (ring buffer headers). */
    public static void putIntRelease(byte[] a, int at, int v) {
        VarHandle.releaseFence();
        INT.set(a, at, v);
    }

    /** The 4-byte little-endian encoding of {@code v}. */
    public static byte[] u32(int v) {
        byte[] b = new byte[4];
        putIntLE(b, 0, v);
        return b;
    }

    /** The 8-byte little-endian encoding of {@code v}. */
    public static byte[] u64(long v) {
        byte[] b = new byte[8];
        putLongLE(b, 0, v);
        return b;
    }

    /** Rounds up to a multiple of 8, as the kernel sizes array elements and per-CPU values. */
    public static int roundUp8(int n) {
        return (n + 7) & ~7;
    }
}
