package io.bpf4j.jit.runtime;

import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects {@code bpf_trace_printk} lines (the kernel's trace_pipe) and logs each to the SLF4J
 * logger {@code io.bpf4j.trace} at debug level. Bounded: past {@link #capacity()} lines the
 * oldest are dropped, as a ring buffer would.
 */
public final class TraceBuffer {
    private static final Logger LOG = LoggerFactory.getLogger("io.bpf4j.trace");

    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private long dropped;

    public TraceBuffer() {
        this(4096);
    }

    public TraceBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds one line as the program printed it (a trailing newline is not kept). */
    public synchronized void add(String line) {
        String text = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        LOG.debug("{}", text);
        keep(text);
    }

    /**
     * Keeps lines another buffer already took and logged (a run's lines in the log of every run
     * of an object), oldest first, without logging them again.
     */
    public synchronized void addAll(List<String> taken) {
        taken.forEach(this::keep);
    }

    private void keep(String text) {
        if (lines.size() == capacity) {
            lines.removeFirst();
            dropped++;
        }
        lines.addLast(text);
    }

    /** The lines kept so far, oldest first. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Removes and returns the lines kept so far. */
    public synchronized List<String> drain() {
        List<String> out = List.copyOf(lines);
        lines.clear();
        return out;
    }

    /** How many lines were dropped because the buffer was full. */
    public synchronized long dropped() {
        return dropped;
    }

    public int capacity() {
        return capacity;
    }
}
