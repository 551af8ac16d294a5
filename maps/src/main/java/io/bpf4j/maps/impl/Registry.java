package io.bpf4j.maps.impl;

import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.ProgramRef;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Process-wide ids for maps and programs, the in-process stand-in for file descriptors and
 * kernel ids in map-in-map and prog-array values. Held weakly: an id does not keep its object alive.
 */
public final class Registry {
    private static final AtomicInteger NEXT_MAP_ID = new AtomicInteger(1);
    private static final ConcurrentHashMap<Integer, WeakReference<BpfMap>> MAPS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Integer, WeakReference<ProgramRef>> PROGRAMS = new ConcurrentHashMap<>();

    private Registry() {
    }

    static int register(BpfMap map) {
        int id = NEXT_MAP_ID.getAndIncrement();
        MAPS.put(id, new WeakReference<>(map));
        if ((id & 1023) == 0) {
            MAPS.values().removeIf(r -> r.get() == null);
        }
        return id;
    }

    public static BpfMap map(int id) {
        WeakReference<BpfMap> r = MAPS.get(id);
        return r == null ? null : r.get();
    }

    public static void registerProgram(ProgramRef program) {
        PROGRAMS.put(program.id(), new WeakReference<>(program));
    }

    public static ProgramRef program(int id) {
        WeakReference<ProgramRef> r = PROGRAMS.get(id);
        return r == null ? null : r.get();
    }
}
