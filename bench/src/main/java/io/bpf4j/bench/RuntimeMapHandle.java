package io.bpf4j.bench;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.jit.runtime.MapHandle;
import io.bpf4j.jit.runtime.MemorySlice;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.ValueRef;

/**
 * A map the loader created, seen through the jit's map seam: program lookups hand out the live
 * storage (CPU 0 of per-CPU maps), updates and deletes return the helper's result instead of
 * throwing, and a one-element array (global data) is addressable directly.
 */
final class RuntimeMapHandle implements MapHandle {
    private final BpfMap map;

    RuntimeMapHandle(BpfMap map) {
        this.map = map;
    }

    @Override
    public String name() {
        return map.name();
    }

    @Override
    public int keySize() {
        return map.keySize();
    }

    @Override
    public int valueSize() {
        return map.valueSize();
    }

    @Override
    public int maxEntries() {
        return map.maxEntries();
    }

    @Override
    public MemorySlice lookup(byte[] key) {
        ValueRef v = map.lookupRef(key, 0);
        return v == null ? null : new MemorySlice(v.array(), v.offset(), v.length());
    }

    @Override
    public int update(byte[] key, byte[] value, long flags) {
        try {
            map.update(key, value, flags, 0);
            return 0;
        } catch (MapException e) {
            return e.helperReturn();
        }
    }

    @Override
    public int delete(byte[] key) {
        try {
            map.programDelete(key);
            return 0;
        } catch (MapException e) {
            return e.helperReturn();
        }
    }

    @Override
    public MemorySlice directValue() {
        if (map.type() != MapType.ARRAY || map.maxEntries() != 1) {
            return null;
        }
        return lookup(new byte[4]);
    }

    @Override
    public boolean writableByProgram() {
        return (map.definition().flags() & MapFlags.BPF_F_RDONLY_PROG) == 0;
    }
}
