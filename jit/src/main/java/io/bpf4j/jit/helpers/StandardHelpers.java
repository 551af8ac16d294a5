package io.bpf4j.jit.helpers;

import io.bpf4j.jit.runtime.HelperTable;

/** The helpers the runtime provides by itself. */
public final class StandardHelpers {
    private StandardHelpers() {}

    private static final HelperTable WITHOUT_MAPS = PrintHelpers.addTo(LoopHelpers.addTo(StringHelpers.addTo(
            ProbeHelpers.addTo(TaskHelpers.addTo(TimeHelpers.addTo(HelperTable.empty()))))));

    private static final HelperTable ALL = MapHelpers.addTo(WITHOUT_MAPS);

    /** Every helper that needs no map: time, task, random, probe_read, strings, bpf_loop, printing. */
    public static HelperTable withoutMaps() {
        return WITHOUT_MAPS;
    }

    /** {@link #withoutMaps()} plus map lookup, update and delete over {@link io.bpf4j.jit.runtime.MapHandle}. */
    public static HelperTable all() {
        return ALL;
    }
}
