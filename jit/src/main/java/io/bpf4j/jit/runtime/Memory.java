package io.bpf4j.jit.runtime;

import io.bpf4j.maps.ValueAtomics;
import io.bpf4j.maps.ValueRef;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongBinaryOperator;

/**
 * The regions one run of a program may address, and every access to them, bounds-checked.
 *
 * <p>Region ids: 1 to {@value #MAX_FRAMES} are the stack frames (one per call depth,
 * {@value #FRAME_SIZE} bytes each); then the regions fixed for the execution context (the
 * context, packet and input memory the caller added, and each program's global data and
 * instruction arrays the first time that program runs here); from {@link #DYNAMIC_BASE} on the
 * regions handed out during the run (map values, ring buffer records), dropped when the next run
 * starts. Id 0 names nothing, so a pointer made from a zeroed word is never valid.
 *
 * <p>All multi-byte accesses are little endian, through {@link VarHandle} views of the arrays.
 * An access that leaves its region, uses a value that is not a region pointer, writes a read-only
 * region or (for atomics) is misaligned throws {@link MemoryFault}; nothing is read or written then.
 */
public final class Memory {
    /** Bytes of stack per call frame ({@code MAX_BPF_STACK}). */
    public static final int FRAME_SIZE = 512;
    /** Call frames, the main program's included ({@code MAX_CALL_FRAMES}). */
    public static final int MAX_FRAMES = 8;

    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Ids from here on name the regions handed out during a run; ids below are fixed regions. */
    public static final int DYNAMIC_BASE = 0x40_0000;

    private final byte[] stack = new byte[FRAME_SIZE * MAX_FRAMES];
    private Region[] regions = new Region[32];
    private int fixedCount;
    private Region[] dynamic = new Region[16];
    private boolean[] revoked = new boolean[16];
    private int dynamicCount;
    /** Ids of this run's regions by slice, kept once a run has more than {@value #SCAN_LIMIT} (fewer are scanned). */
    private final Map<ValueRef, Integer> dynamicIds = new HashMap<>();
    private static final int SCAN_LIMIT = 16;
    /**
     * Per frame, the lowest offset written since the frame was last zeroed: a fresh frame need
     * only be zeroed from there (every write reaches the stack through {@link #check}).
     */
    private final int[] stackLowWater = new int[MAX_FRAMES];

    /**
     * The arena the running program is bound to, or null. With one, a load or store through a
     * value that is not a region pointer is an arena access at that 32-bit address (the kernel
     * turns a program's arena accesses into PROBE_MEM32 ones: its arena base plus the low 32
     * bits of the register plus the offset); one to a page not allocated reads 0 and writes
     * nothing, as the kernel's exception table makes it.
     */
    private io.bpf4j.maps.Arena arena;

    /** Binds the arena later accesses through non-pointers reach (null: none). */
    public void arena(io.bpf4j.maps.Arena arena) {
        this.arena = arena;
    }

    /** The arena bound by {@link #arena(io.bpf4j.maps.Arena)}, or null. */
    public io.bpf4j.maps.Arena arena() {
        return arena;
    }

    private boolean arenaAccess(long address) {
        return arena != null && Pointers.tag(address) != Pointers.TAG_DATA;
    }

    public Memory() {
        fixedCount = 1;
        Arrays.fill(stackLowWater, FRAME_SIZE);
        for (int i = 0; i < MAX_FRAMES; i++) {
            regions[fixedCount++] = Region.of(RegionKind.STACK, "stack#" + i, stack, i * FRAME_SIZE, FRAME_SIZE, true);
        }
    }

    /**
     * Adds a region that stays for every run; returns a pointer to its first byte. Fixed regions
     * may be added at any time, during a run too (a tail call reaching a program whose global
     * data this memory has not seen yet): they have their own id range.
     */
    public long addFixed(Region region) {
        if (fixedCount == DYNAMIC_BASE) {
            throw new IllegalStateException("too many fixed regions");
        }
        if (fixedCount == regions.length) {
            regions = Arrays.copyOf(regions, regions.length * 2);
        }
        regions[fixedCount] = region;
        return Pointers.data(fixedCount++, 0);
    }

    /** Replaces the fixed region a pointer names (a context rebuilt with pointer fields, say). */
    public void replaceFixed(long pointer, Region region) {
        int id = Pointers.id(pointer);
        if (Pointers.tag(pointer) != Pointers.TAG_DATA || id <= MAX_FRAMES || id >= fixedCount) {
            throw new IllegalArgumentException("not a fixed region: " + Pointers.describe(pointer));
        }
        regions[id] = region;
    }

    /**
     * A pointer to {@code slice} as a region for the rest of this run; the same slice gives the
     * same pointer every time (a value looked up twice is one region).
     */
    public long pointerTo(ValueRef slice, RegionKind kind, String name, boolean writable) {
        int id = dynamicId(slice);
        if (id < 0) {
            if (dynamicCount == Pointers.MAX_ID - DYNAMIC_BASE) {
                throw new IllegalStateException("too many regions in one run");
            }
            if (dynamicCount == dynamic.length) {
                dynamic = Arrays.copyOf(dynamic, dynamic.length * 2);
                revoked = Arrays.copyOf(revoked, dynamic.length);
            }
            Region previous = dynamic[dynamicCount];
            // a run looks values up in the order the previous run did: its region at this id is
            // usually the one wanted, and reusing it saves an allocation per lookup per run
            if (previous == null || previous.bytes != slice.array() || previous.start != slice.offset()
                    || previous.length != slice.length() || previous.kind != kind || previous.writable != writable
                    || !previous.name.equals(name)) {
                dynamic[dynamicCount] = Region.of(kind, name, slice.array(), slice.offset(), slice.length(), writable);
            }
            id = DYNAMIC_BASE + dynamicCount++;
            if (dynamicCount == SCAN_LIMIT + 1) {
                for (int i = 0; i < dynamicCount - 1; i++) {
                    if (!revoked[i]) {
                        Region r = dynamic[i];
                        dynamicIds.put(new ValueRef(r.bytes, r.start, r.length), DYNAMIC_BASE + i);
                    }
                }
            }
            if (dynamicCount > SCAN_LIMIT) {
                dynamicIds.put(slice, id);
            }
        }
        return Pointers.data(id, 0);
    }

    /** The id this run gave {@code slice}, or -1: a scan of a few regions, a map lookup past that. */
    private int dynamicId(ValueRef slice) {
        if (dynamicCount > SCAN_LIMIT) {
            Integer id = dynamicIds.get(slice);
            return id == null ? -1 : id;
        }
        byte[] array = slice.array();
        int offset = slice.offset();
        int length = slice.length();
        for (int i = 0; i < dynamicCount; i++) {
            Region r = dynamic[i];
            if (r.bytes == array && r.start == offset && r.length == length && !revoked[i]) {
                return DYNAMIC_BASE + i;
            }
        }
        return -1;
    }

    /**
     * Ends a region handed out during this run (a ring buffer record once submitted or
     * discarded): it becomes empty, so any later access through an old pointer faults.
     */
    public void revoke(long pointer) {
        int d = Pointers.id(pointer) - DYNAMIC_BASE;
        if (Pointers.tag(pointer) != Pointers.TAG_DATA || d < 0 || d >= dynamicCount) {
            throw new IllegalArgumentException("not a region of this run: " + Pointers.describe(pointer));
        }
        Region r = dynamic[d];
        if (!revoked[d] && dynamicCount > SCAN_LIMIT) {
            dynamicIds.remove(new ValueRef(r.bytes, r.start, r.length));
        }
        revoked[d] = true;
        dynamic[d] = Region.of(r.kind, r.name + " (released)", r.bytes, r.start, 0, false);
    }

    /** Drops the regions handed out by the last run. */
    public void reset() {
        if (dynamicCount != 0) {
            // the regions stay for pointerTo to reuse; nothing reads an id at or past dynamicCount
            Arrays.fill(revoked, 0, dynamicCount, false);
            if (dynamicCount > SCAN_LIMIT) {
                dynamicIds.clear();
            }
            dynamicCount = 0;
        }
    }

    /** The frame pointer (r10) of a fresh, zeroed frame at call depth {@code depth} (0 = main). */
    public long enterFrame(int depth) {
        int low = stackLowWater[depth];
        if (low < FRAME_SIZE) {
            Arrays.fill(stack, depth * FRAME_SIZE + low, (depth + 1) * FRAME_SIZE, (byte) 0);
            stackLowWater[depth] = FRAME_SIZE;
        }
        return Pointers.data(1 + depth, FRAME_SIZE);
    }

    /** The region {@code address} names, or {@code null}. */
    public Region regionOf(long address) {
        return Pointers.tag(address) == Pointers.TAG_DATA ? lookup(Pointers.id(address)) : null;
    }

    private Region lookup(int id) {
        if (id < fixedCount) {
            return id > 0 ? regions[id] : null;
        }
        int d = id - DYNAMIC_BASE;
        return d >= 0 && d < dynamicCount ? dynamic[d] : null;
    }

    /**
     * The region holding {@code [address, address + size)}, checked for {@code access}; throws
     * {@link MemoryFault} naming {@code pc} otherwise.
     */
    public Region check(long address, int size, MemoryFault.Access access, int pc) {
        if (Pointers.tag(address) != Pointers.TAG_DATA) {
            throw new MemoryFault(pc, access, address, size, null, "not a pointer to memory");
        }
        Region r = lookup(Pointers.id(address));
        if (r == null) {
            throw new MemoryFault(pc, access, address, size, null, "no such region in this run");
        }
        long off = Pointers.offset(address);
        if (off < 0 || off > r.length - (long) size) {
            if (r.kind == RegionKind.STACK && r.bytes == stack) {
                // the kernel counts stack offsets from the frame pointer (r10), at the frame's end
                throw MemoryFault.outsideStack(pc, access, address, size, r, off - FRAME_SIZE);
            }
            throw new MemoryFault(pc, access, address, size, r, "offset " + off + " outside [0, " + r.length + ")");
        }
        if (access != MemoryFault.Access.READ) {
            if (!r.writable) {
                throw new MemoryFault(pc, access, address, size, r, "region is read only");
            }
            if (r.bytes == stack) {
                int frame = r.start / FRAME_SIZE;
                if (off < stackLowWater[frame]) {
                    stackLowWater[frame] = (int) off;
                }
            }
        }
        return r;
    }

    /**
     * {@link #check} for compiled code's region cache (one per base register): the region, whose
     * bytes later accesses of the same kind through the same region id use directly (bounds
     * compared in compiled code unless proven; its 4- and 8-byte loads go through
     * {@link Region#loaded} for the pointer fields of a context). A frame cached for writing is
     * marked written throughout, so its next entry zeroes all of it: the same bytes as zeroing
     * only what was written, as nothing below the mark was written since the last zeroing.
     */
    public Region cacheRegion(long address, int size, boolean write, int pc) {
        Region r = check(address, size, write ? MemoryFault.Access.WRITE : MemoryFault.Access.READ, pc);
        if (write && r.bytes == stack) {
            stackLowWater[r.start / FRAME_SIZE] = 0;
        }
        return r;
    }

    /** The index in {@code region.bytes()} of the byte {@code address} names (after {@link #check}). */
    public static int index(Region region, long address) {
        return region.start + (int) Pointers.offset(address);
    }

    // ---- the frame pointer plus a constant (compiled code) ------------------------------------

    /*
     * r10 is read only (the decoder refuses any write to it), so r10 + off with
     * -FRAME_SIZE <= off and off + size <= 0 always names bytes of the frame at the current depth:
     * compiled code reads and writes them at {@code depth * FRAME_SIZE + FRAME_SIZE + off}
     * without a check that could not fail. Writes keep the frame's low-water mark.
     */

    /** The stack byte at {@code at} bytes into the frame of {@code depth}. */
    public long loadStack8(int depth, int at) {
        return stack[depth * FRAME_SIZE + at] & 0xffL;
    }

    public long loadStack16(int depth, int at) {
        return (short) LE16.get(stack, depth * FRAME_SIZE + at) & 0xffffL;
    }

    public long loadStack32(int depth, int at) {
        return (int) LE32.get(stack, depth * FRAME_SIZE + at) & 0xffff_ffffL;
    }

    public long loadStack64(int depth, int at) {
        return (long) LE64.get(stack, depth * FRAME_SIZE + at);
    }

    private void wroteStack(int depth, int at) {
        if (at < stackLowWater[depth]) {
            stackLowWater[depth] = at;
        }
    }

    public void storeStack8(int depth, int at, long value) {
        wroteStack(depth, at);
        stack[depth * FRAME_SIZE + at] = (byte) value;
    }

    public void storeStack16(int depth, int at, long value) {
        wroteStack(depth, at);
        LE16.set(stack, depth * FRAME_SIZE + at, (short) value);
    }

    public void storeStack32(int depth, int at, long value) {
        wroteStack(depth, at);
        LE32.set(stack, depth * FRAME_SIZE + at, (int) value);
    }

    public void storeStack64(int depth, int at, long value) {
        wroteStack(depth, at);
        LE64.set(stack, depth * FRAME_SIZE + at, value);
    }

    // ---- accesses a verifier proved in bounds (compiled code, with facts) ------------------

    /**
     * {@link #check} for an access a verifier proved inside its region: the bounds are trusted
     * and not compared. Anything the proof does not cover (no region under the id, a write to
     * read-only memory or to the stack, whose writes {@link #check} tracks) takes
     * {@link #check}'s path, so such an access ends as it would without the proof.
     */
    private Region proven(long address, int size, MemoryFault.Access access, int pc) {
        int id = Pointers.id(address);
        Region r = Pointers.tag(address) != Pointers.TAG_DATA ? null
                : id < fixedCount ? (id > 0 ? regions[id] : null)
                : id - DYNAMIC_BASE >= 0 && id - DYNAMIC_BASE < dynamicCount ? dynamic[id - DYNAMIC_BASE] : null;
        if (r == null || access != MemoryFault.Access.READ && (!r.writable || r.bytes == stack)) {
            return check(address, size, access, pc);
        }
        return r;
    }

    /** {@link #load8} of an access proved in bounds. */
    public long load8Proven(long address, int pc) {
        Region r = proven(address, 1, MemoryFault.Access.READ, pc);
        return r.bytes[index(r, address)] & 0xffL;
    }

    /** {@link #load16} of an access proved in bounds. */
    public long load16Proven(long address, int pc) {
        Region r = proven(address, 2, MemoryFault.Access.READ, pc);
        return (short) LE16.get(r.bytes, index(r, address)) & 0xffffL;
    }

    /** {@link #load32} of an access proved in bounds. */
    public long load32Proven(long address, int pc) {
        Region r = proven(address, 4, MemoryFault.Access.READ, pc);
        return r.loaded((int) Pointers.offset(address), (int) LE32.get(r.bytes, index(r, address)) & 0xffff_ffffL);
    }

    /** {@link #load64} of an access proved in bounds. */
    public long load64Proven(long address, int pc) {
        Region r = proven(address, 8, MemoryFault.Access.READ, pc);
        return r.loaded((int) Pointers.offset(address), (long) LE64.get(r.bytes, index(r, address)));
    }

    /** {@link #store8} of an access proved in bounds. */
    public void store8Proven(long address, long value, int pc) {
        Region r = proven(address, 1, MemoryFault.Access.WRITE, pc);
        r.bytes[index(r, address)] = (byte) value;
    }

    /** {@link #store16} of an access proved in bounds. */
    public void store16Proven(long address, long value, int pc) {
        Region r = proven(address, 2, MemoryFault.Access.WRITE, pc);
        LE16.set(r.bytes, index(r, address), (short) value);
    }

    /** {@link #store32} of an access proved in bounds. */
    public void store32Proven(long address, long value, int pc) {
        Region r = proven(address, 4, MemoryFault.Access.WRITE, pc);
        LE32.set(r.bytes, index(r, address), (int) value);
    }

    /** {@link #store64} of an access proved in bounds. */
    public void store64Proven(long address, long value, int pc) {
        Region r = proven(address, 8, MemoryFault.Access.WRITE, pc);
        LE64.set(r.bytes, index(r, address), value);
    }

    // ---- loads (zero-extending) and stores, as the interpreter uses them -------------------

    public long load8(long address, int pc) {
        if (arenaAccess(address)) {
            return arena.load(address, 1);
        }
        Region r = check(address, 1, MemoryFault.Access.READ, pc);
        return r.bytes[index(r, address)] & 0xffL;
    }

    public long load16(long address, int pc) {
        if (arenaAccess(address)) {
            return arena.load(address, 2);
        }
        Region r = check(address, 2, MemoryFault.Access.READ, pc);
        return (short) LE16.get(r.bytes, index(r, address)) & 0xffffL;
    }

    public long load32(long address, int pc) {
        if (arenaAccess(address)) {
            return arena.load(address, 4);
        }
        Region r = check(address, 4, MemoryFault.Access.READ, pc);
        return r.loaded((int) Pointers.offset(address), (int) LE32.get(r.bytes, index(r, address)) & 0xffff_ffffL);
    }

    public long load64(long address, int pc) {
        if (arenaAccess(address)) {
            return arena.load(address, 8);
        }
        Region r = check(address, 8, MemoryFault.Access.READ, pc);
        return r.loaded((int) Pointers.offset(address), (long) LE64.get(r.bytes, index(r, address)));
    }

    /** A zero-extending load of 1, 2, 4 or 8 bytes. */
    public long load(long address, int size, int pc) {
        return switch (size) {
            case 1 -> load8(address, pc);
            case 2 -> load16(address, pc);
            case 4 -> load32(address, pc);
            default -> load64(address, pc);
        };
    }

    public void store8(long address, long value, int pc) {
        if (arenaAccess(address)) {
            arena.store(address, 1, value);
            return;
        }
        Region r = check(address, 1, MemoryFault.Access.WRITE, pc);
        r.bytes[index(r, address)] = (byte) value;
    }

    public void store16(long address, long value, int pc) {
        if (arenaAccess(address)) {
            arena.store(address, 2, value);
            return;
        }
        Region r = check(address, 2, MemoryFault.Access.WRITE, pc);
        LE16.set(r.bytes, index(r, address), (short) value);
    }

    public void store32(long address, long value, int pc) {
        if (arenaAccess(address)) {
            arena.store(address, 4, value);
            return;
        }
        Region r = check(address, 4, MemoryFault.Access.WRITE, pc);
        LE32.set(r.bytes, index(r, address), (int) value);
    }

    public void store64(long address, long value, int pc) {
        if (arenaAccess(address)) {
            arena.store(address, 8, value);
            return;
        }
        Region r = check(address, 8, MemoryFault.Access.WRITE, pc);
        LE64.set(r.bytes, index(r, address), value);
    }

    /** A store of the low 1, 2, 4 or 8 bytes of {@code value}. */
    public void store(long address, int size, long value, int pc) {
        switch (size) {
            case 1 -> store8(address, value, pc);
            case 2 -> store16(address, value, pc);
            case 4 -> store32(address, value, pc);
            default -> store64(address, value, pc);
        }
    }

    // ---- atomics ---------------------------------------------------------------------------

    private Region checkAtomic(long address, int size, MemoryFault.Access access, int pc) {
        Region r = check(address, size, access, pc);
        if ((index(r, address) & (size - 1)) != 0) {
            throw new MemoryFault(pc, access, address, size, r, "misaligned atomic access");
        }
        return r;
    }

    /**
     * Atomically applies {@code op} with {@code operand} to the 4- or 8-byte word at
     * {@code address}; returns the old value (zero-extended for 4 bytes).
     *
     * <p>Byte-array views support only plain access on every JDK from 22 on (Java arrays promise
     * no alignment beyond their element size), so read-modify-write goes through the maps
     * module's {@link ValueAtomics}: atomic with respect to every other atomic on the same word,
     * from any thread, {@code bpf_spin_lock} and {@code BPF_F_LOCK} map operations included.
     */
    public long atomicUpdate(long address, int size, AtomicOp op, long operand, int pc) {
        LongBinaryOperator f = switch (op) {
            case ADD -> Long::sum;
            case OR -> OR;
            case AND -> AND;
            case XOR -> XOR;
            case XCHG -> XCHG;
        };
        if (arenaAccess(address)) {
            return arena.update(address, size, f, operand);
        }
        Region r = checkAtomic(address, size, MemoryFault.Access.ATOMIC, pc);
        int i = index(r, address);
        return size == 8 ? ValueAtomics.getAndUpdate64(r.bytes, i, f, operand)
                : ValueAtomics.getAndUpdate32(r.bytes, i, f, (int) operand) & 0xffff_ffffL;
    }

    private static final LongBinaryOperator OR = (a, b) -> a | b;
    private static final LongBinaryOperator AND = (a, b) -> a & b;
    private static final LongBinaryOperator XOR = (a, b) -> a ^ b;
    private static final LongBinaryOperator XCHG = (a, b) -> b;

    /** Atomic compare-and-exchange; returns the old value (zero-extended for 4 bytes). */
    public long compareExchange(long address, int size, long expected, long replacement, int pc) {
        if (arenaAccess(address)) {
            return arena.compareExchange(address, size, expected, replacement);
        }
        Region r = checkAtomic(address, size, MemoryFault.Access.ATOMIC, pc);
        int i = index(r, address);
        return size == 8 ? ValueAtomics.compareAndExchange64(r.bytes, i, expected, replacement)
                : ValueAtomics.compareAndExchange32(r.bytes, i, (int) expected, (int) replacement) & 0xffff_ffffL;
    }

    /** Load-acquire of 1, 2, 4 or 8 bytes, zero-extended. */
    public long loadAcquire(long address, int size, int pc) {
        if (arenaAccess(address)) {
            return arena.load(address, size); // the arena's accesses are serialised: no weaker order to fence
        }
        Region r = checkAtomic(address, size, MemoryFault.Access.READ, pc);
        int i = index(r, address);
        long v = switch (size) {
            case 1 -> r.bytes[i] & 0xffL;
            case 2 -> (short) LE16.get(r.bytes, i) & 0xffffL;
            case 4 -> (int) LE32.get(r.bytes, i) & 0xffff_ffffL;
            default -> (long) LE64.get(r.bytes, i);
        };
        VarHandle.acquireFence();
        return v;
    }

    /** Store-release of the low 1, 2, 4 or 8 bytes of {@code value}. */
    public void storeRelease(long address, int size, long value, int pc) {
        if (arenaAccess(address)) {
            arena.store(address, size, value);
            return;
        }
        Region r = checkAtomic(address, size, MemoryFault.Access.WRITE, pc);
        int i = index(r, address);
        VarHandle.releaseFence();
        switch (size) {
            case 1 -> r.bytes[i] = (byte) value;
            case 2 -> LE16.set(r.bytes, i, (short) value);
            case 4 -> LE32.set(r.bytes, i, (int) value);
            default -> LE64.set(r.bytes, i, value);
        }
    }

    // ---- bulk access for helpers -------------------------------------------------------------

    /** Copies {@code length} bytes at {@code address} out of the program's memory. */
    public byte[] read(long address, int length, int pc) {
        // the length comes from the program: check it against the region before allocating, so
        // a helper asked for 2 GiB faults instead of exhausting the heap
        if (length < 0) {
            throw new MemoryFault(pc, MemoryFault.Access.READ, address, length, null,
                    "length " + Integer.toUnsignedString(length) + " is negative as a signed 32-bit size");
        }
        if (length == 0) {
            return new byte[0];
        }
        Region r = check(address, length, MemoryFault.Access.READ, pc);
        byte[] out = new byte[length];
        System.arraycopy(r.bytes, index(r, address), out, 0, length);
        return out;
    }

    /** Copies {@code data} into the program's memory at {@code address}. */
    public void write(long address, byte[] data, int pc) {
        if (data.length > 0) {
            Region r = check(address, data.length, MemoryFault.Access.WRITE, pc);
            System.arraycopy(data, 0, r.bytes, index(r, address), data.length);
        }
    }

    /**
     * The bytes of the NUL-terminated string at {@code address}, at most {@code max} bytes read
     * (the NUL not included); reading stops at the end of the region.
     */
    public byte[] readCString(long address, int max, int pc) {
        Region r = check(address, 1, MemoryFault.Access.READ, pc);
        int i = index(r, address);
        int end = Math.min(r.start + r.length, i + Math.max(0, max));
        int n = 0;
        while (i + n < end && r.bytes[i + n] != 0) {
            n++;
        }
        return Arrays.copyOfRange(r.bytes, i, i + n);
    }
}
