package io.bpf4j.jit.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * A bounded piece of memory a program may address: {@code length} bytes of {@code bytes}
 * starting at {@code start}. Several regions may share one array (the stack frames do); a
 * region never reaches outside its own range.
 *
 * <p>A context region may declare pointer fields: a 4- or 8-byte load at such an offset yields
 * the full 64-bit pointer (what the kernel's context rewriting does for {@code xdp_md.data} or
 * {@code __sk_buff.data_end}, whose C type is {@code __u32}).
 */
public final class Region {
    final byte[] bytes;
    final int start;
    final int length;
    final RegionKind kind;
    final boolean writable;
    final String name;
    final int[] pointerFieldOffsets;
    final long[] pointerFieldValues;

    private Region(byte[] bytes, int start, int length, RegionKind kind, boolean writable, String name,
            int[] fieldOffsets, long[] fieldValues) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(kind, "kind");
        if (start < 0 || length < 0 || start > bytes.length - length) {
            throw new IllegalArgumentException("region [" + start + ", +" + length + ") outside an array of " + bytes.length);
        }
        this.bytes = bytes;
        this.start = start;
        this.length = length;
        this.kind = kind;
        this.writable = writable;
        this.name = name == null ? kind.label() : name;
        this.pointerFieldOffsets = fieldOffsets;
        this.pointerFieldValues = fieldValues;
    }

    /** A region over all of {@code bytes}. */
    public static Region of(RegionKind kind, String name, byte[] bytes, boolean writable) {
        return new Region(bytes, 0, bytes.length, kind, writable, name, null, null);
    }

    /** A region over {@code bytes[start, start + length)}. */
    public static Region of(RegionKind kind, String name, byte[] bytes, int start, int length, boolean writable) {
        return new Region(bytes, start, length, kind, writable, name, null, null);
    }

    /** This region with a pointer field at {@code offset} whose loads yield {@code pointer} (replacing one there). */
    public Region withPointerField(int offset, long pointer) {
        if (offset < 0 || offset > length - 4) {
            throw new IllegalArgumentException("pointer field at " + offset + " outside region '" + name + "' of " + length);
        }
        int n = pointerFieldOffsets == null ? 0 : pointerFieldOffsets.length;
        for (int i = 0; i < n; i++) {
            if (pointerFieldOffsets[i] == offset) {
                long[] vals = pointerFieldValues.clone();
                vals[i] = pointer;
                return new Region(bytes, start, length, kind, writable, name, pointerFieldOffsets, vals);
            }
        }
        int[] offs = pointerFieldOffsets == null ? new int[1] : Arrays.copyOf(pointerFieldOffsets, n + 1);
        long[] vals = pointerFieldValues == null ? new long[1] : Arrays.copyOf(pointerFieldValues, n + 1);
        offs[n] = offset;
        vals[n] = pointer;
        return new Region(bytes, start, length, kind, writable, name, offs, vals);
    }

    public RegionKind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public int length() {
        return length;
    }

    public boolean writable() {
        return writable;
    }

    /** The backing array (shared, live). */
    public byte[] bytes() {
        return bytes;
    }

    /** Where the region starts in {@link #bytes()}. */
    public int start() {
        return start;
    }

    /**
     * What a 4- or 8-byte load at {@code offset} yields, given the value {@code bytes} it read
     * from the array: the pointer when a pointer field is there, else {@code bytes} (no boxing:
     * compiled code loads context fields through this on every run).
     */
    public long loaded(int offset, long bytes) {
        int[] offsets = pointerFieldOffsets;
        if (offsets != null) {
            for (int i = 0; i < offsets.length; i++) {
                if (offsets[i] == offset) {
                    return pointerFieldValues[i];
                }
            }
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "'" + name + "' (" + kind.label() + ", " + length + " bytes" + (writable ? "" : ", read only") + ")";
    }
}
