package io.bpf4j.maps.impl;

import io.bpf4j.maps.Arena;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.ValueRef;
import java.util.function.LongBinaryOperator;

/**
 * {@link Arena}: an array of pages, each null until allocated. The lowest free range is
 * chosen when no address is asked for (the kernel's maple tree allocates the lowest fit too).
 */
final class ArenaMap extends AbstractBpfMap implements Arena {
    /** Where an arena with no {@code map_extra} is placed: 4 GiB-aligned, so its 32-bit offsets start at 0. */
    static final long DEFAULT_USER_VM_START = 1L << 40;

    private final long userVmStart;
    private final byte[][] pages;

    ArenaMap(MapDefinition def) {
        super(def);
        this.userVmStart = def.mapExtra() != 0 ? def.mapExtra() : DEFAULT_USER_VM_START;
        this.pages = new byte[def.maxEntries()][];
    }

    @Override
    public long userVmStart() {
        return userVmStart;
    }

    private long lo32Start() {
        return userVmStart & 0xffff_ffffL;
    }

    @Override
    public synchronized long allocPages(long addr, long pageCount, int nodeId, long flags) {
        long max = pages.length;
        if (flags != 0 || pageCount <= 0 || nodeId != -1 && nodeId != 0 || pageCount > max) {
            return 0;
        }
        long first;
        if (addr != 0) {
            if ((addr & (PAGE_SIZE - 1)) != 0) {
                return 0;
            }
            long pgoff = ((addr - lo32Start()) & 0xffff_ffffL) / PAGE_SIZE;
            if (pgoff > max - pageCount) {
                return 0;
            }
            for (long p = pgoff; p < pgoff + pageCount; p++) {
                if (pages[(int) p] != null) {
                    return 0;
                }
            }
            first = pgoff;
        } else {
            first = -1;
            for (long p = 0; p + pageCount <= max && first < 0; p++) {
                boolean free = true;
                for (long q = p; q < p + pageCount; q++) {
                    if (pages[(int) q] != null) {
                        free = false;
                        p = q;
                        break;
                    }
                }
                if (free) {
                    first = p;
                }
            }
            if (first < 0) {
                return 0;
            }
        }
        try {
            charge(pageCount * PAGE_SIZE, "alloc pages");
        } catch (io.bpf4j.maps.MapException e) {
            return 0;
        }
        for (long p = first; p < first + pageCount; p++) {
            pages[(int) p] = new byte[PAGE_SIZE];
        }
        long uaddr32 = (lo32Start() + first * PAGE_SIZE) & 0xffff_ffffL;
        return (userVmStart & ~0xffff_ffffL) + uaddr32;
    }

    @Override
    public synchronized void freePages(long ptr, long pageCount) {
        if (pageCount <= 0 || ptr == 0) {
            return;
        }
        long uaddr = ptr & 0xffff_ffffL & ~(long) (PAGE_SIZE - 1);
        long full = (userVmStart & ~0xffff_ffffL) + uaddr;
        long end = Math.min(userVmStart + (long) pages.length * PAGE_SIZE, full + pageCount * PAGE_SIZE);
        if (full < userVmStart || full >= end) {
            return;
        }
        for (long a = full; a < end; a += PAGE_SIZE) {
            int p = (int) ((a - userVmStart) / PAGE_SIZE);
            if (pages[p] != null) {
                pages[p] = null;
                uncharge(PAGE_SIZE);
            }
        }
    }

    @Override
    public synchronized boolean allocated(long offset) {
        return offset >= 0 && offset < (long) pages.length * PAGE_SIZE && pages[(int) (offset / PAGE_SIZE)] != null;
    }

    /** The arena offset of a program's 32-bit address, or -1 outside the arena. */
    private long offsetOf(long address, int size) {
        long off = address - lo32Start();
        return off >= 0 && off + size <= (long) pages.length * PAGE_SIZE ? off : -1;
    }

    @Override
    public synchronized long load(long address, int size) {
        long off = offsetOf(address, size);
        if (off < 0 || !allocated(off) || !allocated(off + size - 1)) {
            return 0;
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            long o = off + i;
            v = v << 8 | (pages[(int) (o / PAGE_SIZE)][(int) (o % PAGE_SIZE)] & 0xffL);
        }
        return v;
    }

    @Override
    public synchronized void store(long address, int size, long value) {
        long off = offsetOf(address, size);
        if (off < 0 || !allocated(off) || !allocated(off + size - 1)) {
            return;
        }
        for (int i = 0; i < size; i++) {
            long o = off + i;
            pages[(int) (o / PAGE_SIZE)][(int) (o % PAGE_SIZE)] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public synchronized long update(long address, int size, LongBinaryOperator op, long operand) {
        long mask = size == 8 ? -1L : 0xffff_ffffL;
        long old = load(address, size);
        store(address, size, op.applyAsLong(old, operand) & mask);
        return old;
    }

    @Override
    public synchronized long compareExchange(long address, int size, long expected, long replacement) {
        long mask = size == 8 ? -1L : 0xffff_ffffL;
        long old = load(address, size);
        if (old == (expected & mask)) {
            store(address, size, replacement & mask);
        }
        return old;
    }

    private void checkRange(String op, long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > (long) pages.length * PAGE_SIZE) {
            throw error(Errno.EFAULT, op, "bytes [" + offset + ", " + (offset + length) + ") are outside the arena of "
                    + pages.length + " pages");
        }
    }

    @Override
    public synchronized byte[] read(long offset, int length) {
        checkRange("read", offset, length);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            long o = offset + i;
            byte[] page = pages[(int) (o / PAGE_SIZE)];
            out[i] = page == null ? 0 : page[(int) (o % PAGE_SIZE)];
        }
        return out;
    }

    @Override
    public synchronized void write(long offset, byte[] data) {
        checkRange("write", offset, data.length);
        for (int i = 0; i < data.length; i++) {
            long o = offset + i;
            int p = (int) (o / PAGE_SIZE);
            if (pages[p] == null) {
                charge(PAGE_SIZE, "write");
                pages[p] = new byte[PAGE_SIZE];
            }
            pages[p][(int) (o % PAGE_SIZE)] = data[i];
        }
    }

    @Override
    public byte[] lookup(byte[] key, long flags) {
        throw error(Errno.EINVAL, "lookup", "arenas have no elements");
    }

    @Override
    public ValueRef lookupRef(byte[] key, int cpu) {
        return null;
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        throw error(Errno.EOPNOTSUPP, "update", "arenas have no elements");
    }

    @Override
    public void update(byte[] key, byte[] value, long flags, int cpu) {
        throw error(Errno.EOPNOTSUPP, "update", "arenas have no elements");
    }

    @Override
    void deleteElement(byte[] key) {
        throw error(Errno.EOPNOTSUPP, "delete", "arenas have no elements");
    }

    @Override
    public byte[] getNextKey(byte[] key) {
        throw error(Errno.EOPNOTSUPP, "get next key", "arenas have no elements");
    }
}
