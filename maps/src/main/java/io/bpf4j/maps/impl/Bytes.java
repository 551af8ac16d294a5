package io.bpf4j.maps.impl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** What maps add to {@link io.bpf4j.isa.LittleEndian}: ordered ring buffer header access, element rounding. */
public final class Bytes {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
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

    /** Rounds up to a multiple of 8, as the kernel sizes array elements and per-CPU values. */
    public static int roundUp8(int n) {
        return (n + 7) & ~7;
    }
}
