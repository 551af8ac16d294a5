package io.bpf4j.verifier.internal;

import io.bpf4j.isa.abi.MapType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * check_map_func_compatibility: which helpers a map type may be passed to, and which map types a
 * helper accepts. Both directions are checked, as the kernel does.
 */
final class MapFuncCompat {
    private MapFuncCompat() {}

    private static final Map<MapType, Set<Integer>> MAP_ALLOWS = new EnumMap<>(MapType.class);
    private static final Map<Integer, Set<MapType>> FUNC_NEEDS = new HashMap<>();

    static {
        MAP_ALLOWS.put(MapType.PROG_ARRAY, Set.of(12));
        MAP_ALLOWS.put(MapType.PERF_EVENT_ARRAY, Set.of(22, 25, 111, 55, 121));
        MAP_ALLOWS.put(MapType.RINGBUF, Set.of(130, 131, 134, 198, 199, 200));
        MAP_ALLOWS.put(MapType.USER_RINGBUF, Set.of(209));
        MAP_ALLOWS.put(MapType.STACK_TRACE, Set.of(27));
        MAP_ALLOWS.put(MapType.CGROUP_ARRAY, Set.of(33, 37));
        MAP_ALLOWS.put(MapType.CGROUP_STORAGE, Set.of(81));
        MAP_ALLOWS.put(MapType.PERCPU_CGROUP_STORAGE, Set.of(81));
        MAP_ALLOWS.put(MapType.DEVMAP, Set.of(51, 1));
        MAP_ALLOWS.put(MapType.DEVMAP_HASH, Set.of(51, 1));
        MAP_ALLOWS.put(MapType.CPUMAP, Set.of(51));
        MAP_ALLOWS.put(MapType.XSKMAP, Set.of(51, 1));
        MAP_ALLOWS.put(MapType.ARRAY_OF_MAPS, Set.of(1));
        MAP_ALLOWS.put(MapType.HASH_OF_MAPS, Set.of(1));
        MAP_ALLOWS.put(MapType.REUSEPORT_SOCKARRAY, Set.of(82));
        MAP_ALLOWS.put(MapType.QUEUE, Set.of(89, 88, 87));
        MAP_ALLOWS.put(MapType.STACK, Set.of(89, 88, 87));
        MAP_ALLOWS.put(MapType.SK_STORAGE, Set.of(107, 108, 194));
        MAP_ALLOWS.put(MapType.INODE_STORAGE, Set.of(145, 146, 194));
        MAP_ALLOWS.put(MapType.TASK_STORAGE, Set.of(156, 157, 194));
        MAP_ALLOWS.put(MapType.CGRP_STORAGE, Set.of(210, 211, 194));
        MAP_ALLOWS.put(MapType.BLOOM_FILTER, Set.of(89, 87));

        FUNC_NEEDS.put(12, Set.of(MapType.PROG_ARRAY));
        for (int f : new int[] {22, 25, 55, 111, 121}) {
            FUNC_NEEDS.put(f, Set.of(MapType.PERF_EVENT_ARRAY));
        }
        for (int f : new int[] {130, 131, 134, 198, 199, 200}) {
            FUNC_NEEDS.put(f, Set.of(MapType.RINGBUF));
        }
        FUNC_NEEDS.put(209, Set.of(MapType.USER_RINGBUF));
        FUNC_NEEDS.put(27, Set.of(MapType.STACK_TRACE));
        FUNC_NEEDS.put(37, Set.of(MapType.CGROUP_ARRAY));
        FUNC_NEEDS.put(33, Set.of(MapType.CGROUP_ARRAY));
        FUNC_NEEDS.put(51, Set.of(MapType.DEVMAP, MapType.DEVMAP_HASH, MapType.CPUMAP, MapType.XSKMAP));
        FUNC_NEEDS.put(52, Set.of(MapType.SOCKMAP));
        FUNC_NEEDS.put(60, Set.of(MapType.SOCKMAP));
        FUNC_NEEDS.put(53, Set.of(MapType.SOCKMAP));
        FUNC_NEEDS.put(72, Set.of(MapType.SOCKHASH));
        FUNC_NEEDS.put(71, Set.of(MapType.SOCKHASH));
        FUNC_NEEDS.put(70, Set.of(MapType.SOCKHASH));
        FUNC_NEEDS.put(81, Set.of(MapType.CGROUP_STORAGE, MapType.PERCPU_CGROUP_STORAGE));
        FUNC_NEEDS.put(82, Set.of(MapType.REUSEPORT_SOCKARRAY, MapType.SOCKMAP, MapType.SOCKHASH));
        FUNC_NEEDS.put(88, Set.of(MapType.QUEUE, MapType.STACK));
        FUNC_NEEDS.put(89, Set.of(MapType.QUEUE, MapType.STACK, MapType.BLOOM_FILTER));
        FUNC_NEEDS.put(87, Set.of(MapType.QUEUE, MapType.STACK, MapType.BLOOM_FILTER));
        FUNC_NEEDS.put(195, Set.of(MapType.PERCPU_ARRAY, MapType.PERCPU_HASH, MapType.LRU_PERCPU_HASH));
        FUNC_NEEDS.put(107, Set.of(MapType.SK_STORAGE));
        FUNC_NEEDS.put(108, Set.of(MapType.SK_STORAGE));
        FUNC_NEEDS.put(145, Set.of(MapType.INODE_STORAGE));
        FUNC_NEEDS.put(146, Set.of(MapType.INODE_STORAGE));
        FUNC_NEEDS.put(156, Set.of(MapType.TASK_STORAGE));
        FUNC_NEEDS.put(157, Set.of(MapType.TASK_STORAGE));
        FUNC_NEEDS.put(210, Set.of(MapType.CGRP_STORAGE));
        FUNC_NEEDS.put(211, Set.of(MapType.CGRP_STORAGE));
    }

    /** sockmap/sockhash updates and deletes are allowed from some program types (may_update_sockmap). */
    private static boolean mayUpdateSockmap(io.bpf4j.isa.abi.ProgramType t, int func) {
        if (func != 2 && func != 3) {
            return false;
        }
        return switch (t) {
            case SOCKET_FILTER, SCHED_CLS, SCHED_ACT, XDP, SK_REUSEPORT, FLOW_DISSECTOR, SK_LOOKUP, TRACING, SOCK_OPS -> true;
            default -> false;
        };
    }

    /** True when {@code map} may be passed to helper {@code func}. */
    static boolean compatible(MapRef map, int func, io.bpf4j.isa.abi.ProgramType progType) {
        MapType t = map.type();
        if (t == MapType.SOCKMAP) {
            if (!Set.of(52, 53, 60, 82, 1).contains(func) && !mayUpdateSockmap(progType, func)) {
                return false;
            }
        } else if (t == MapType.SOCKHASH) {
            if (!Set.of(72, 70, 71, 82, 1).contains(func) && !mayUpdateSockmap(progType, func)) {
                return false;
            }
        } else {
            Set<Integer> allowed = MAP_ALLOWS.get(t);
            if (allowed != null && !allowed.contains(func)) {
                return false;
            }
        }
        Set<MapType> needs = FUNC_NEEDS.get(func);
        return needs == null || needs.contains(t);
    }
}
