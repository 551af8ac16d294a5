package io.bpf4j.jit.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Program ids for every engine from one counter: a prog array slot found by id must name one
 * program whichever engine prepared it.
 */
public final class ProgramIds {
    private static final AtomicInteger NEXT_ID = new AtomicInteger(1);

    private ProgramIds() {}

    /** A process-unique program id. */
    public static int next() {
        return NEXT_ID.getAndIncrement();
    }
}
