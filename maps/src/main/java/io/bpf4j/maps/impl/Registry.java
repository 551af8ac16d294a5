package io.bpf4j.maps.impl;

import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.ProgramRef;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide ids for maps and programs, the in-process stand-in for file descriptors and
 * kernel ids in map-in-map and prog-array values (kernel ids are process-wide too).
 *
 * <p>Nothing here keeps an object alive or outlives it: entries are weak, an entry whose object
 * was collected is dropped at the next registration, and the loader {@linkplain #release releases}
 * an object's maps and programs when it closes the object, as closing the file descriptors does.
 */
public final class Registry {
    private static final AtomicInteger NEXT_MAP_ID = new AtomicInteger(1);
    private static final ConcurrentHashMap<Integer, Entry<BpfMap>> MAPS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Integer, Entry<ProgramRef>> PROGRAMS = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();

    /** A weak entry that knows its id and table, so a collected one can be removed in O(1). */
    private static final class Entry<T> extends WeakReference<T> {
        final int id;
        final ConcurrentHashMap<Integer, Entry<T>> table;

        @SuppressWarnings("unchecked")
        Entry(T referent, int id, ConcurrentHashMap<Integer, Entry<T>> table) {
            super(referent, (ReferenceQueue<? super T>) COLLECTED);
            this.id = id;
            this.table = table;
        }

        void remove() {
            table.remove(id, this);
        }
    }

    private Registry() {
    }

    private static void pruneCollected() {
        for (Reference<?> r; (r = COLLECTED.poll()) != null; ) {
            ((Entry<?>) r).remove();
        }
    }

    static int register(BpfMap map) {
        pruneCollected();
        int id = NEXT_MAP_ID.getAndIncrement();
        MAPS.put(id, new Entry<>(map, id, MAPS));
        return id;
    }

    /** The live map with this id, or {@code null}. */
    public static BpfMap map(int id) {
        Entry<BpfMap> r = MAPS.get(id);
        return r == null ? null : r.get();
    }

    /** Makes {@code program} resolvable by its id. */
    public static void registerProgram(ProgramRef program) {
        pruneCollected();
        PROGRAMS.put(program.id(), new Entry<>(program, program.id(), PROGRAMS));
    }

    /** The live program with this id, or {@code null}. */
    public static ProgramRef program(int id) {
        Entry<ProgramRef> r = PROGRAMS.get(id);
        return r == null ? null : r.get();
    }

    /** Drops {@code map}'s id: later lookups by it find nothing. */
    public static void release(BpfMap map) {
        Entry<BpfMap> r = MAPS.get(map.id());
        if (r != null && r.get() == map) {
            MAPS.remove(map.id(), r);
        }
    }

    /** Drops {@code program}'s id: later lookups by it find nothing. */
    public static void release(ProgramRef program) {
        Entry<ProgramRef> r = PROGRAMS.get(program.id());
        if (r != null && r.get() == program) {
            PROGRAMS.remove(program.id(), r);
        }
    }
}
