package io.bpf4j.maps.impl;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.InsnArray;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.ValueRef;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code BPF_MAP_TYPE_INSN_ARRAY} as Linux 6.19 defines it (see
 * {@code docs/reference/indirect-calls-and-jumps.md} §4.4–4.5), plus bpf4j's call-table bit.
 * Entries are 16 bytes {@code {orig_off, xlated_off, jitted_off, pad}} in one array; the
 * program's view is a separate {@code u64[max_entries]} of targets.
 */
final class InsnArrayMap extends AbstractBpfMap implements InsnArray {
    static final int VALUE_SIZE = 16;

    private final byte[] entries;
    private final byte[] targets;
    private final AtomicBoolean bound = new AtomicBoolean();

    InsnArrayMap(MapDefinition def) {
        super(def);
        this.entries = new byte[Math.multiplyExact(def.maxEntries(), VALUE_SIZE)];
        this.targets = new byte[Math.multiplyExact(def.maxEntries(), 8)];
    }

    @Override
    public boolean isCallTable() {
        return (def.mapExtra() & MapFlags.BPF_F_CALL_TABLE) != 0;
    }

    private long index(byte[] key) {
        return Integer.toUnsignedLong(LittleEndian.getInt(key, 0));
    }

    private int checkIndex(int index, String op) {
        if (index < 0 || index >= def.maxEntries()) {
            throw error(Errno.E2BIG, op, "index " + Integer.toUnsignedString(index) + " past max_entries " + def.maxEntries());
        }
        return index * VALUE_SIZE;
    }

    @Override
    public int origOffset(int index) {
        return LittleEndian.getInt(entries, checkIndex(index, "lookup"));
    }

    @Override
    public int xlatedOffset(int index) {
        return LittleEndian.getInt(entries, checkIndex(index, "lookup") + 4);
    }

    @Override
    public int jittedOffset(int index) {
        return LittleEndian.getInt(entries, checkIndex(index, "lookup") + 8);
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
        byte[] out = new byte[VALUE_SIZE];
        System.arraycopy(entries, (int) i * VALUE_SIZE, out, 0, VALUE_SIZE);
        return out;
    }

    /** Programs never see entries, only {@link #programView()}, so there is no value pointer. */
    @Override
    public ValueRef lookupRef(byte[] key, int cpu) {
        return null;
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkUserWrite("update");
        checkKey(key, "update");
        checkValue(value, VALUE_SIZE, "update");
        if (Long.compareUnsigned(flags, MapFlags.BPF_EXIST) > 0) {
            throw error(Errno.EINVAL, "update", "unknown flags " + flags);
        }
        long i = index(key);
        if (i >= def.maxEntries()) {
            throw error(Errno.E2BIG, "update", "index " + i + " past max_entries " + def.maxEntries());
        }
        if (flags == MapFlags.BPF_NOEXIST) {
            throw error(Errno.EEXIST, "update", "insn array elements always exist");
        }
        if (LittleEndian.getInt(value, 4) != 0 || LittleEndian.getInt(value, 8) != 0) {
            throw error(Errno.EINVAL, "update", "only orig_off may be set");
        }
        LittleEndian.putInt(entries, (int) i * VALUE_SIZE, LittleEndian.getInt(value, 0));
    }

    @Override
    public void update(byte[] key, byte[] value, long flags, int cpu) {
        throw error(Errno.EACCES, "update", "insn arrays are read-only to programs");
    }

    @Override
    void deleteElement(byte[] key) {
        throw error(Errno.EINVAL, "delete", "insn array elements cannot be deleted");
    }

    @Override
    public byte[] getNextKey(byte[] key) {
        checkUserRead("get next key");
        return ArrayKeys.next(this, key);
    }

    @Override
    public void bind(int programLength) {
        if (!isFrozen()) {
            throw error(Errno.EINVAL, "bind", "insn array must be frozen before load");
        }
        for (int i = 0; i < def.maxEntries(); i++) {
            long orig = Integer.toUnsignedLong(LittleEndian.getInt(entries, i * VALUE_SIZE));
            if (orig >= programLength) {
                throw error(Errno.EINVAL, "bind", "entry " + i + ": orig_off " + orig + " past program of " + programLength + " instructions");
            }
        }
        if (!bound.compareAndSet(false, true)) {
            throw error(Errno.EBUSY, "bind", "insn array is already used by a program");
        }
        for (int i = 0; i < def.maxEntries(); i++) {
            setXlatedOffset(i, LittleEndian.getInt(entries, i * VALUE_SIZE));
        }
    }

    @Override
    public void unbind() {
        bound.set(false);
    }

    @Override
    public void setXlatedOffset(int index, int xlatedOffset) {
        int at = checkIndex(index, "set xlated offset");
        LittleEndian.putInt(entries, at + 4, xlatedOffset);
        LittleEndian.putLong(targets, index * 8, Integer.toUnsignedLong(xlatedOffset));
    }

    @Override
    public void setJittedOffset(int index, int jittedOffset) {
        LittleEndian.putInt(entries, checkIndex(index, "set jitted offset") + 8, jittedOffset);
    }

    @Override
    public ValueRef programView() {
        return ValueRef.of(targets);
    }
}
