package io.bpf4j.jit.runtime;

import java.util.Objects;

/**
 * A live view of {@code length} bytes of {@code bytes} from {@code offset}: how a map hands a
 * value to the runtime without copying. Two slices are equal when they view the same array
 * (by identity) at the same place, so one value keeps one region for the whole run.
 */
public record MemorySlice(byte[] bytes, int offset, int length) {
    public MemorySlice {
        Objects.requireNonNull(bytes, "bytes");
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IllegalArgumentException("slice [" + offset + ", +" + length + ") outside an array of " + bytes.length);
        }
    }

    public static MemorySlice of(byte[] bytes) {
        return new MemorySlice(bytes, 0, bytes.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemorySlice s && s.bytes == bytes && s.offset == offset && s.length == length;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(bytes) * 31 + offset * 17 + length;
    }

    @Override
    public String toString() {
        return "MemorySlice[" + offset + ", +" + length + " of " + bytes.length + "]";
    }
}
