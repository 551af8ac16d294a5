package io.bpf4j.maps;

import io.bpf4j.isa.LittleEndian;
import java.util.function.LongBinaryOperator;

/**
 * Atomic read-modify-write of little-endian words inside value storage, for {@code BPF_ATOMIC}
 * instructions on map values and for {@link SpinLocks}.
 *
 * <p>{@code MethodHandles.byteArrayViewVarHandle} offers compare-and-set on {@code byte[]} only
 * up to JDK 21 (JDK 22 and later throw {@code UnsupportedOperationException} for every
 * non-plain access mode), so atomicity comes from striped monitors instead: every operation on
 * the 8-byte granule containing an address takes the same stripe, so 32- and 64-bit operations
 * on the same word exclude each other. Plain loads and stores that do not go through this class
 * are not ordered with it, just as plain BPF loads are not ordered with atomics.
 */
public final class ValueAtomics {
    private static final int STRIPES = 256;
    private static final Object[] LOCKS = new Object[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) {
            LOCKS[i] = new Object();
        }
    }

    private ValueAtomics() {
    }

    static Object stripe(byte[] a, int at) {
        int h = System.identityHashCode(a) * 0x9E3779B9 + (at >>> 3) * 0x85EBCA6B;
        return LOCKS[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }

    /** Applies {@code op(old, operand)} to the u64 at {@code at}; returns the old value. */
    public static long getAndUpdate64(byte[] a, int at, LongBinaryOperator op, long operand) {
        synchronized (stripe(a, at)) {
            long old = LittleEndian.getLong(a, at);
            LittleEndian.putLong(a, at, op.applyAsLong(old, operand));
            return old;
        }
    }

    /** Applies {@code op(old, operand)} to the u32 at {@code at} (as signed ints); returns the old value. */
    public static int getAndUpdate32(byte[] a, int at, LongBinaryOperator op, int operand) {
        synchronized (stripe(a, at)) {
            int old = LittleEndian.getInt(a, at);
            LittleEndian.putInt(a, at, (int) op.applyAsLong(old, operand));
            return old;
        }
    }

    public static long getAndAdd64(byte[] a, int at, long delta) {
        return getAndUpdate64(a, at, Long::sum, delta);
    }

    public static int getAndAdd32(byte[] a, int at, int delta) {
        return getAndUpdate32(a, at, Long::sum, delta);
    }

    /** {@code BPF_CMPXCHG} on a u64: stores {@code value} if the word equals {@code expected}; returns the old word. */
    public static long compareAndExchange64(byte[] a, int at, long expected, long value) {
        synchronized (stripe(a, at)) {
            long old = LittleEndian.getLong(a, at);
            if (old == expected) {
                LittleEndian.putLong(a, at, value);
            }
            return old;
        }
    }

    /** {@code BPF_CMPXCHG} on a u32. */
    public static int compareAndExchange32(byte[] a, int at, int expected, int value) {
        synchronized (stripe(a, at)) {
            int old = LittleEndian.getInt(a, at);
            if (old == expected) {
                LittleEndian.putInt(a, at, value);
            }
            return old;
        }
    }
}
