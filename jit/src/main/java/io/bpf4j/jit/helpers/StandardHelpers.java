package io.bpf4j.jit.helpers;

import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.jit.runtime.HelperTable;

/** The helpers the runtime provides by itself. */
public final class StandardHelpers {
    private StandardHelpers() {}

    private static final HelperTable WITHOUT_MAPS = PrintHelpers.addTo(LoopHelpers.addTo(StringHelpers.addTo(
            ProbeHelpers.addTo(TaskHelpers.addTo(TimeHelpers.addTo(HelperTable.empty()))))));

    private static final HelperTable ALL = LockHelpers.addTo(RingbufHelpers.addTo(MapHelpers.addTo(WITHOUT_MAPS)));

    /** Every helper that needs no map: time, task, random, probe_read, strings, bpf_loop, printing. */
    public static HelperTable withoutMaps() {
        return WITHOUT_MAPS;
    }

    /**
     * {@link #withoutMaps()} plus the map helpers over {@link io.bpf4j.maps.BpfMap} (lookup,
     * update, delete, push/pop/peek, per-CPU lookup, for_each_map_elem, tail calls), the ring
     * buffer helpers and spin locks: what every program type has.
     */
    public static HelperTable all() {
        return ALL;
    }

    /**
     * The helpers a program of {@code type} gets: {@link #all()} plus, for XDP, TC and socket
     * filters, their packet helpers ({@link PacketHelpers}).
     */
    public static HelperTable forProgramType(ProgramType type) {
        switch (type) {
            case XDP:
                return PacketHelpers.xdp(ALL);
            case SCHED_CLS:
            case SCHED_ACT:
                return PacketHelpers.tc(ALL);
            case SOCKET_FILTER:
                return PacketHelpers.socketFilter(ALL);
            default:
                return ALL;
        }
    }
}
