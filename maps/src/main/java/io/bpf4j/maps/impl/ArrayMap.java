package io.bpf4j.maps.impl;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.ValueRef;

/**
 * {@code BPF_MAP_TYPE_ARRAY} and {@code BPF_MAP_TYPE_PERCPU_ARRAY}: every element exists from
 * creation, zeroed, in one {@code byte[]}; element {@code i} of CPU {@code c} starts at
 * {@code (i * cpus + c) * round_up(value_size, 8)}. Updates copy in place, so a program's
 * {@link ValueRef} stays the element for the map's life.
 */
final class ArrayMap extends AbstractBpfMap {
    private final byte[] data;
    private final int stride;
    private final int cpus;
    /**
     * The windows programs get onto each element (index * cpus + cpu), made on first lookup so a
     * lookup per packet allocates nothing; only for arrays of up to {@value #CACHED_REFS} values
     * (larger ones make a window per lookup rather than hold a reference per element).
     */
    private final ValueRef[] refs;
    private static final int CACHED_REFS = 4096;

    ArrayMap(MapDefinition def) {
        super(def);
        this.stride = Bytes.roundUp8(def.valueSize());
        this.cpus = def.type() == MapType.PERCPU_ARRAY ? def.numCpus() : 1;
        this.data = new byte[Math.toIntExact((long) def.maxEntries() * cpus * stride)];
        long values = (long) def.maxEntries() * cpus;
        this.refs = values <= CACHED_REFS ? new ValueRef[(int) values] : null;
    }

    /** Bytes of storage this array needs, for the creation check. */
    static long storageBytes(MapDefinition def) {
        int c = def.type() == MapType.PERCPU_ARRAY ? def.numCpus() : 1;
        return (long) def.maxEntries() * c * Bytes.roundUp8(def.valueSize());
    }

    private boolean perCpu() {
        return def.type() == MapType.PERCPU_ARRAY;
    }

    private long index(byte[] key) {
        return Integer.toUnsignedLong(LittleEndian.getInt(key, 0));
    }

    private int base(long index, int cpu) {
        return (int) ((index * cpus + cpu) * stride);
    }

    @Override
    public byte[] lookup(byte[] key, long flags) {
        checkUserRead("lookup");
        checkKey(key, "lookup");
        checkLookupFlags(flags, "lookup");
        long i = index(key);
        if (i >= def.maxEntries()) {
            throw error(Errno.ENOENT, "lookup", "index " + i + " past max_entries " + def.maxEntries());
        }
        if (perCpu()) {
            byte[] out = new byte[cpus * stride];
            System.arraycopy(data, base(i, 0), out, 0, out.length);
            return out;
        }
        byte[] out = new byte[def.valueSize()];
        if ((flags & MapFlags.BPF_F_LOCK) != 0) {
            copyValueLocked(data, base(i, 0), out, 0, out.length, data, base(i, 0));
        } else {
            copyValue(data, base(i, 0), out, 0, out.length);
        }
        return out;
    }

    @Override
    public ValueRef lookupRef(byte[] key, int cpu) {
        if (key == null || key.length != 4) {
            return null;
        }
        return lookupRef(key, 0, cpu);
    }

    @Override
    public ValueRef lookupRef(byte[] keys, int offset, int cpu) {
        if (keys == null || offset < 0 || offset > keys.length - 4) {
            return null;
        }
        long i = Integer.toUnsignedLong(LittleEndian.getInt(keys, offset));
        if (i >= def.maxEntries()) {
            return null;
        }
        int c = 0;
        if (perCpu()) {
            if (cpu < 0 || cpu >= cpus) {
                return null;
            }
            c = cpu;
        }
        if (refs == null) {
            return new ValueRef(data, base(i, c), def.valueSize());
        }
        int slot = (int) i * cpus + c;
        ValueRef r = refs[slot];
        if (r == null) {
            r = new ValueRef(data, base(i, c), def.valueSize());
            refs[slot] = r;
        }
        return r;
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkUserWrite("update");
        checkKey(key, "update");
        checkValue(value, def.userValueSize(), "update");
        long i = checkedIndexForUpdate(key, flags);
        if (perCpu()) {
            // the kernel copies round_up(value_size, 8) bytes per CPU from the user buffer
            System.arraycopy(value, 0, data, base(i, 0), cpus * stride);
        } else {
            store(i, value, flags);
        }
    }

    @Override
    public void update(byte[] key, byte[] value, long flags, int cpu) {
        checkKey(key, "update");
        checkValue(value, def.valueSize(), "update");
        long i = checkedIndexForUpdate(key, flags);
        if (perCpu()) {
            if (cpu < 0 || cpu >= cpus) {
                throw error(Errno.EINVAL, "update", "cpu " + cpu + " out of range");
            }
            System.arraycopy(value, 0, data, base(i, cpu), def.valueSize());
        } else {
            store(i, value, flags);
        }
    }

    private long checkedIndexForUpdate(byte[] key, long flags) {
        checkUpdateFlags(flags, "update");
        long i = index(key);
        if (i >= def.maxEntries()) {
            throw error(Errno.E2BIG, "update", "index " + i + " past max_entries " + def.maxEntries());
        }
        if ((flags & ~MapFlags.BPF_F_LOCK) == MapFlags.BPF_NOEXIST) {
            throw error(Errno.EEXIST, "update", "array elements always exist");
        }
        return i;
    }

    private void store(long i, byte[] value, long flags) {
        int b = base(i, 0);
        if ((flags & MapFlags.BPF_F_LOCK) != 0) {
            copyValueLocked(value, 0, data, b, def.valueSize(), data, b);
        } else {
            copyValue(value, 0, data, b, def.valueSize());
        }
    }

    @Override
    void deleteElement(byte[] key) {
        throw error(Errno.EINVAL, "delete", "array elements cannot be deleted");
    }

    @Override
    public byte[] getNextKey(byte[] key) {
        checkUserRead("get next key");
        return ArrayKeys.next(this, key);
    }
}
