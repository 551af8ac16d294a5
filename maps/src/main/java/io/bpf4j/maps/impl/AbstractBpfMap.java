package io.bpf4j.maps.impl;

import io.bpf4j.maps.BpfMap;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.MemoryBudget;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/** What every map shares: its definition, id, freezing and the user-space permission checks. */
abstract class AbstractBpfMap implements BpfMap {
    protected final MapDefinition def;
    private final int id;
    private volatile boolean frozen;
    /** What this map has charged to {@link MemoryBudget#process()}; returned when it is collected. */
    private final AtomicLong charged = new AtomicLong();

    private static final Cleaner CLEANER = Cleaner.create();

    AbstractBpfMap(MapDefinition def) {
        this.def = def;
        this.id = Registry.register(this);
        AtomicLong c = charged;
        CLEANER.register(this, () -> MemoryBudget.process().release(c.getAndSet(0)));
    }

    /** Takes over a charge {@link MapCreator} made before construction. */
    final void adoptCharge(long bytes) {
        charged.addAndGet(bytes);
    }

    /**
     * Charges {@code bytes} for an element being added; throws {@code ENOMEM} for {@code op}
     * when the budget is spent, as a kernel map whose allocation fails.
     */
    final void charge(long bytes, String op) {
        MemoryBudget b = MemoryBudget.process();
        if (!b.tryCharge(bytes)) {
            throw error(Errno.ENOMEM, op, b.refusal(bytes));
        }
        charged.addAndGet(bytes);
    }

    /** Returns the charge of an element removed. */
    final void uncharge(long bytes) {
        charged.addAndGet(-bytes);
        MemoryBudget.process().release(bytes);
    }

    @Override
    public final MapDefinition definition() {
        return def;
    }

    @Override
    public final int id() {
        return id;
    }

    @Override
    public void freeze() {
        frozen = true;
    }

    @Override
    public final boolean isFrozen() {
        return frozen;
    }

    final MapException error(Errno errno, String op, String detail) {
        return new MapException(errno, def.name(), op, detail);
    }

    /** The kernel refuses user-space writes to frozen or {@code BPF_F_RDONLY} maps with EPERM before anything else. */
    final void checkUserWrite(String op) {
        if (frozen || (def.flags() & MapFlags.BPF_F_RDONLY) != 0) {
            throw error(Errno.EPERM, op, frozen ? "map is frozen" : "map is read-only");
        }
    }

    /** User-space reads of {@code BPF_F_WRONLY} maps are EPERM. */
    final void checkUserRead(String op) {
        if ((def.flags() & MapFlags.BPF_F_WRONLY) != 0) {
            throw error(Errno.EPERM, op, "map is write-only");
        }
    }

    final void checkKey(byte[] key, String op) {
        if (key == null || key.length != def.keySize()) {
            throw error(Errno.EINVAL, op, "key must be " + def.keySize() + " bytes, got " + (key == null ? "none" : key.length));
        }
    }

    final void checkValue(byte[] value, int size, String op) {
        if (value == null || value.length != size) {
            throw error(Errno.EINVAL, op, "value must be " + size + " bytes, got " + (value == null ? "none" : value.length));
        }
    }

    /** The syscall's rule for lookup flags: only {@code BPF_F_LOCK}, and only on a value with a spin lock. */
    final void checkLookupFlags(long flags, String op) {
        if ((flags & ~MapFlags.BPF_F_LOCK) != 0) {
            throw error(Errno.EINVAL, op, "unknown flags " + flags);
        }
        checkLockFlag(flags, op);
    }

    /** The rule for element update flags shared by arrays, hashes and tries. */
    final void checkUpdateFlags(long flags, String op) {
        if (Long.compareUnsigned(flags & ~MapFlags.BPF_F_LOCK, MapFlags.BPF_EXIST) > 0) {
            throw error(Errno.EINVAL, op, "unknown flags " + flags);
        }
        checkLockFlag(flags, op);
    }

    final void checkLockFlag(long flags, String op) {
        if ((flags & MapFlags.BPF_F_LOCK) != 0 && def.spinLockOffset() < 0) {
            throw error(Errno.EINVAL, op, "BPF_F_LOCK on a value without bpf_spin_lock");
        }
    }

    /**
     * Copies {@code len} value bytes, leaving the {@code bpf_spin_lock} word of the destination
     * untouched, as the kernel's {@code copy_map_value} skips special fields.
     */
    final void copyValue(byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        int lock = def.spinLockOffset();
        if (lock < 0 || lock + 4 > len) {
            System.arraycopy(src, srcOff, dst, dstOff, len);
            return;
        }
        System.arraycopy(src, srcOff, dst, dstOff, lock);
        System.arraycopy(src, srcOff + lock + 4, dst, dstOff + lock + 4, len - lock - 4);
    }

    /** {@link #copyValue} under the value's spin lock, which lives in {@code locked} at {@code lockedOff}. */
    final void copyValueLocked(byte[] src, int srcOff, byte[] dst, int dstOff, int len, byte[] locked, int lockedOff) {
        int at = lockedOff + def.spinLockOffset();
        io.bpf4j.maps.SpinLocks.lock(locked, at);
        try {
            copyValue(src, srcOff, dst, dstOff, len);
        } finally {
            io.bpf4j.maps.SpinLocks.unlock(locked, at);
        }
    }

    @Override
    public final void delete(byte[] key) {
        checkUserWrite("delete");
        deleteElement(key);
    }

    @Override
    public final void programDelete(byte[] key) {
        deleteElement(key);
    }

    /** Deletes without the user-space permission checks. */
    abstract void deleteElement(byte[] key);

    @Override
    public byte[] lookupAndDelete(byte[] key) {
        throw error(Errno.ENOTSUPP, "lookup and delete", "not supported by " + def.type().displayName() + " maps");
    }

    @Override
    public String toString() {
        return def.type().displayName() + " '" + def.name() + "' id " + id;
    }
}
