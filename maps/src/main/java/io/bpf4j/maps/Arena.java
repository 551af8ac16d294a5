package io.bpf4j.maps;

import java.util.function.LongBinaryOperator;

/**
 * {@code BPF_MAP_TYPE_ARENA} (Linux 6.9, {@code kernel/bpf/arena.c}): a sparse region of
 * {@code max_entries} pages shared by programs and user space. User space addresses the arena
 * at {@link #userVmStart()} (the map's {@code map_extra}, else an address this process picks);
 * programs address it through 32-bit offsets (the kernel adds them to its own mapping of the
 * arena): the low 32 bits of a user address. Pages exist only once allocated, by
 * {@code bpf_arena_alloc_pages} or by user space writing them ({@link #write}, as a user-space
 * page fault populates a page in the kernel).
 *
 * <p>Reads of a page that is not allocated give zeros and writes to it are dropped: what a
 * program sees in the kernel, where such an access faults and the JIT's exception table
 * clears the destination register or skips the store.
 */
public interface Arena extends BpfMap {
    /** The arena's page size (the kernel's {@code PAGE_SIZE} on x86-64). */
    int PAGE_SIZE = 4096;

    /** The user-space address of the arena's first page. */
    long userVmStart();

    /** The arena's size in pages ({@code max_entries}). */
    default int pageCount() {
        return maxEntries();
    }

    /**
     * {@code bpf_arena_alloc_pages(map, addr, page_cnt, node_id, flags)}: {@code pageCount}
     * zeroed pages at the user address {@code addr} (page aligned, inside the arena), or
     * wherever they fit when {@code addr} is 0; returns the user address of the first page, or 0
     * when they do not fit, a page there is taken, {@code flags} is not 0, {@code pageCount} is 0
     * or {@code nodeId} is neither -1 ({@code NUMA_NO_NODE}) nor 0.
     */
    long allocPages(long addr, long pageCount, int nodeId, long flags);

    /**
     * {@code bpf_arena_free_pages(map, ptr, page_cnt)}: frees the pages from {@code ptr} (only
     * its low 32 bits count, rounded down to a page) on, clipped to the arena; pages not
     * allocated are skipped.
     */
    void freePages(long ptr, long pageCount);

    /** Whether the page holding arena offset {@code offset} is allocated. */
    boolean allocated(long offset);

    /**
     * A program's load of {@code size} bytes (1, 2, 4 or 8, little endian, zero-extended) at the
     * 32-bit arena address {@code address} (the low 32 bits of a user address, plus the
     * instruction's offset): 0 when any byte lies outside the arena or on a page not allocated.
     */
    long load(long address, int size);

    /** A program's store: dropped when any byte lies outside the arena or on a page not allocated. */
    void store(long address, int size, long value);

    /**
     * A program's atomic read-modify-write of 4 or 8 bytes: stores {@code op(old, operand)} and
     * returns the old value (zero-extended), atomically with respect to every other access of the
     * arena. Where a load would give 0 (outside the arena, a page not allocated) the old value is
     * 0 and nothing is written, as for {@link #store}.
     */
    long update(long address, int size, LongBinaryOperator op, long operand);

    /**
     * A program's compare-and-exchange of 4 or 8 bytes: writes {@code replacement} when the old
     * value equals {@code expected} (compared in {@code size} bytes) and returns the old value;
     * 0 and nothing written where a load would give 0.
     */
    long compareExchange(long address, int size, long expected, long replacement);

    /**
     * User space reads {@code length} bytes at arena offset {@code offset} (zeros where no page
     * is allocated); throws {@link MapException} ({@code EFAULT}) outside the arena.
     */
    byte[] read(long offset, int length);

    /**
     * User space writes {@code data} at arena offset {@code offset}, allocating the pages it
     * touches as a user-space page fault does; throws {@link MapException} ({@code EFAULT})
     * outside the arena.
     */
    void write(long offset, byte[] data);
}
