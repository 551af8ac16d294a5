package io.bpf4j.maps;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The process-wide budget for the memory in-process maps hold: every array's storage at
 * creation, and every element a hash, queue, stack or LPM trie map adds when it adds it.
 *
 * <p>A program runs inside the user's JVM (a build, a test), so a map declaration or a program
 * filling a map must not be able to exhaust the heap. Where the kernel allocates up front
 * (arrays, ring buffers, bloom filters) a charge over the budget refuses the creation with
 * {@code ENOMEM}; where memory grows with use (hash maps, queues, LPM tries) an update over the
 * budget fails with {@code ENOMEM}, which a helper returns to the program as {@code -ENOMEM},
 * as a kernel map does when its memory cgroup is full.
 *
 * <p>The default limit is a quarter of the JVM's maximum heap ({@code -Xmx}): charges count
 * the bytes a map asks for, and G1 can take up to twice that for large values (an array just
 * over a region's size occupies two humongous regions), so the maps of any number of objects
 * still leave half the heap to bpf4j and the caller. Set the system property
 * {@value #PROPERTY} (bytes) or call {@link #setLimit} to change it. Charges are returned when
 * elements are deleted and when a map is garbage collected.
 */
public final class MemoryBudget {
    /** The system property that overrides the default limit, in bytes. */
    public static final String PROPERTY = "bpf4j.maps.maxMemory";

    private static final MemoryBudget PROCESS = new MemoryBudget(Long.getLong(PROPERTY, defaultLimit()));

    private final AtomicLong used = new AtomicLong();
    private volatile long limit;

    private MemoryBudget(long limit) {
        this.limit = limit;
    }

    /** {@return the budget all in-process maps share} */
    public static MemoryBudget process() {
        return PROCESS;
    }

    /** {@return a quarter of {@link Runtime#maxMemory()}} */
    public static long defaultLimit() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** {@return the limit in bytes} */
    public long limit() {
        return limit;
    }

    /** {@return the bytes charged now} */
    public long used() {
        return used.get();
    }

    /** Sets the limit; charges already made stay, new ones must fit under it. */
    public void setLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("limit " + bytes + " is negative");
        }
        this.limit = bytes;
    }

    /** Charges {@code bytes} if they fit under the limit; {@return whether they were charged} */
    public boolean tryCharge(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("charge " + bytes + " is negative");
        }
        while (true) {
            long u = used.get();
            if (bytes > limit - u) {
                return false;
            }
            if (used.compareAndSet(u, u + bytes)) {
                return true;
            }
        }
    }

    /** Returns {@code bytes} charged before. */
    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** The detail of a refusal: {@code N bytes exceed the map memory budget (U of L bytes in use; -Dbpf4j.maps.maxMemory)}. */
    public String refusal(long bytes) {
        return bytes + " bytes exceed the map memory budget (" + used() + " of " + limit + " bytes in use; -D" + PROPERTY + ")";
    }
}
