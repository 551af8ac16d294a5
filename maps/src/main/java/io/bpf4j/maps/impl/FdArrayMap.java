package io.bpf4j.maps.impl;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.MapOfMaps;
import io.bpf4j.maps.ProgArray;
import io.bpf4j.maps.ProgramRef;
import io.bpf4j.maps.ValueRef;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code PROG_ARRAY} and {@code ARRAY_OF_MAPS}: arrays whose slots hold objects (programs or
 * maps) rather than bytes. User space writes an id and reads the id back; programs reach the
 * object through {@link #program} or {@link #innerMap}, never through a value pointer, so
 * {@link #lookupRef} is always {@code null}. Slots can be emptied with delete.
 */
final class FdArrayMap extends AbstractBpfMap implements ProgArray, MapOfMaps {
    private final AtomicReferenceArray<Object> slots;

    FdArrayMap(MapDefinition def) {
        super(def);
        this.slots = new AtomicReferenceArray<>(def.maxEntries());
    }

    private boolean progArray() {
        return def.type() == MapType.PROG_ARRAY;
    }

    private long index(byte[] key) {
        return Integer.toUnsignedLong(LittleEndian.getInt(key, 0));
    }

    @Override
    public byte[] lookup(byte[] key, long flags) {
        checkUserRead("lookup");
        checkKey(key, "lookup");
        checkLookupFlags(flags, "lookup");
        long i = index(key);
        Object o = i < def.maxEntries() ? slots.get((int) i) : null;
        if (o == null) {
            throw error(Errno.ENOENT, "lookup", null);
        }
        return LittleEndian.u32(o instanceof ProgramRef ? ((ProgramRef) o).id() : ((BpfMap) o).id());
    }

    @Override
    public ValueRef lookupRef(byte[] key, int cpu) {
        return null;
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkUserWrite("update");
        checkKey(key, "update");
        checkValue(value, 4, "update");
        int i = checkSlot(key, flags);
        int id = LittleEndian.getInt(value, 0);
        if (progArray()) {
            ProgramRef p = Registry.program(id);
            if (p == null) {
                throw error(Errno.EBADF, "update", "no program with id " + id);
            }
            slots.set(i, p);
        } else {
            slots.set(i, MapCompat.resolveInner(this, id, "update"));
        }
    }

    private int checkSlot(byte[] key, long flags) {
        if (flags != MapFlags.BPF_ANY) {
            throw error(Errno.EINVAL, "update", "only BPF_ANY is allowed");
        }
        long i = index(key);
        if (i >= def.maxEntries()) {
            throw error(Errno.E2BIG, "update", "index " + i + " past max_entries " + def.maxEntries());
        }
        return (int) i;
    }

    @Override
    public void update(byte[] key, byte[] value, long flags, int cpu) {
        throw error(Errno.EINVAL, "update", "programs cannot update a " + def.type().displayName());
    }

    @Override
    void deleteElement(byte[] key) {
        checkKey(key, "delete");
        long i = index(key);
        if (i >= def.maxEntries()) {
            throw error(Errno.E2BIG, "delete", "index " + i + " past max_entries " + def.maxEntries());
        }
        if (slots.getAndSet((int) i, null) == null) {
            throw error(Errno.ENOENT, "delete", null);
        }
    }

    @Override
    public byte[] getNextKey(byte[] key) {
        checkUserRead("get next key");
        return ArrayKeys.next(this, key);
    }

    @Override
    public ProgramRef program(int index) {
        if (!progArray() || index < 0 || index >= def.maxEntries()) {
            return null;
        }
        return (ProgramRef) slots.get(index);
    }

    @Override
    public void setProgram(int index, ProgramRef program) {
        if (!progArray()) {
            throw error(Errno.EINVAL, "update", "not a prog array");
        }
        int i = checkSlot(LittleEndian.u32(index), MapFlags.BPF_ANY);
        slots.set(i, program);
    }

    @Override
    public BpfMap innerMap(byte[] key) {
        if (progArray() || key == null || key.length != 4) {
            return null;
        }
        long i = index(key);
        return i < def.maxEntries() ? (BpfMap) slots.get((int) i) : null;
    }

    @Override
    public void setInnerMap(byte[] key, BpfMap inner, long flags) {
        if (progArray()) {
            throw error(Errno.EINVAL, "update", "not a map of maps");
        }
        checkKey(key, "update");
        int i = checkSlot(key, flags);
        MapCompat.checkInner(this, inner, "update");
        slots.set(i, inner);
    }
}
