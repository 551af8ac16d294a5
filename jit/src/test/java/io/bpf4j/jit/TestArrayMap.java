package io.bpf4j.jit;

import io.bpf4j.jit.runtime.Errno;
import io.bpf4j.jit.runtime.MapHandle;
import io.bpf4j.jit.runtime.MemorySlice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A minimal array map for tests of the map seam: u32 keys, values in one array, no deletes. */
public final class TestArrayMap implements MapHandle {
    private final String name;
    private final int valueSize;
    private final int maxEntries;
    final byte[] values;

    public TestArrayMap(String name, int valueSize, int maxEntries) {
        this.name = name;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.values = new byte[valueSize * maxEntries];
    }

    public byte[] values() {
        return values;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int keySize() {
        return 4;
    }

    @Override
    public int valueSize() {
        return valueSize;
    }

    @Override
    public int maxEntries() {
        return maxEntries;
    }

    private int index(byte[] key) {
        return ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Override
    public MemorySlice lookup(byte[] key) {
        int i = index(key);
        return i < 0 || i >= maxEntries ? null : new MemorySlice(values, i * valueSize, valueSize);
    }

    @Override
    public int update(byte[] key, byte[] value, long flags) {
        int i = index(key);
        if (i < 0 || i >= maxEntries) {
            return -Errno.E2BIG;
        }
        System.arraycopy(value, 0, values, i * valueSize, valueSize);
        return 0;
    }

    @Override
    public int delete(byte[] key) {
        return -Errno.EINVAL;
    }

    @Override
    public MemorySlice directValue() {
        return new MemorySlice(values, 0, valueSize);
    }
}
