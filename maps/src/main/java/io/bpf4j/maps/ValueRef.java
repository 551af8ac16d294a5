package io.bpf4j.maps;

import io.bpf4j.isa.LittleEndian;
import java.util.Arrays;

/**
 * A window {@code [offset, offset + length)} onto a {@code byte[]} that holds a live map value
 * (or a reserved ring buffer record): the seam between maps and the interpreter's memory model.
 *
 * <p>{@code bpf_map_lookup_elem} returns a pointer into the element, so a program reads and
 * writes the value in place. A {@code ValueRef} is what the interpreter maps a region onto: it
 * never copies, and loads and stores through it are seen by every other user of the element
 * (other programs, {@link BpfMap#lookup}). The window stays valid (in bounds, and the bytes
 * are never reused by another element) for as long as anyone holds the reference; after the
 * element is deleted or replaced, writes through an old reference are simply not visible in the
 * map any more, which is what a kernel program holding a pointer across an update observes
 * (hash updates replace the element; array, per-CPU and {@code BPF_F_LOCK} updates copy in
 * place).
 *
 * <p>Element storage starts at a multiple of 8 in its array, so a word aligned in the value
 * is aligned in the array. Plain loads and stores can use
 * {@code MethodHandles.byteArrayViewVarHandle(long[].class, LITTLE_ENDIAN)}; atomic operations
 * ({@code BPF_ATOMIC}, {@code bpf_spin_lock}) must go through {@link ValueAtomics} and
 * {@link SpinLocks}, which every user of the bytes shares.
 *
 * <p>As a record over an array, equality is identity of the array plus equal bounds.
 */
public record ValueRef(byte[] array, int offset, int length) {

    public ValueRef {
        if (array == null || offset < 0 || length < 0 || offset > array.length - length) {
            throw new IllegalArgumentException("value window out of bounds: offset " + offset + " length " + length);
        }
    }

    /** The whole array as one window. */
    public static ValueRef of(byte[] array) {
        return new ValueRef(array, 0, array.length);
    }

    /** A copy of the bytes in the window. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /** A sub-window, {@code at} bytes into this one. */
    public ValueRef slice(int at, int len) {
        if (at < 0 || len < 0 || at > length - len) {
            throw new IllegalArgumentException("slice out of bounds: at " + at + " length " + len + " of " + length);
        }
        return new ValueRef(array, offset + at, len);
    }

    /** The little-endian u32 {@code at} bytes into the window, as an int. */
    public int getIntLE(int at) {
        checkAccess(at, 4);
        return LittleEndian.getInt(array, offset + at);
    }

    /** The little-endian u64 {@code at} bytes into the window. */
    public long getLongLE(int at) {
        checkAccess(at, 8);
        return LittleEndian.getLong(array, offset + at);
    }

    /** Stores a little-endian u32 {@code at} bytes into the window. */
    public void putIntLE(int at, int v) {
        checkAccess(at, 4);
        LittleEndian.putInt(array, offset + at, v);
    }

    /** Stores a little-endian u64 {@code at} bytes into the window. */
    public void putLongLE(int at, long v) {
        checkAccess(at, 8);
        LittleEndian.putLong(array, offset + at, v);
    }

    private void checkAccess(int at, int size) {
        if (at < 0 || at > length - size) {
            throw new IllegalArgumentException("access of " + size + " bytes at " + at + " outside value of " + length);
        }
    }

    @Override
    public String toString() {
        return "ValueRef[offset=" + offset + ", length=" + length + "]";
    }
}
