package io.bpf4j.verifier.internal;

import io.bpf4j.isa.abi.MapShape;
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

    /**
     * may_update_sockmap: sockmap/sockhash updates and deletes are allowed where no locked socket
     * can be reached (sock_ops may only delete: it updates through its own helpers; tracing only
     * from iterators). Otherwise the kernel logs {@code cannot update sockmap in this context}
     * before refusing the map.
     */
    private static boolean mayUpdateSockmap(io.bpf4j.isa.abi.ProgramType t, io.bpf4j.isa.abi.AttachType attach, int func,
            VLog log) {
        if (func != 2 && func != 3) {
            return false;
        }
        boolean ok = switch (t) {
            case TRACING -> attach == io.bpf4j.isa.abi.AttachType.TRACE_ITER;
            case SOCK_OPS -> func == 3;
            case SOCKET_FILTER, SCHED_CLS, SCHED_ACT, XDP, SK_REUSEPORT, FLOW_DISSECTOR, SK_LOOKUP -> true;
            default -> false;
        };
        if (!ok) {
            log.verbose("cannot update sockmap in this context\n");
        }
        return ok;
    }

    /** True when {@code map} may be passed to helper {@code func}. */
    static boolean compatible(MapRef map, int func, io.bpf4j.isa.abi.ProgramType progType,
            io.bpf4j.isa.abi.AttachType attach, VLog log) {
        MapType t = map.type();
        if (t == MapType.SOCKMAP) {
            if (!Set.of(52, 53, 60, 82, 1).contains(func) && !mayUpdateSockmap(progType, attach, func, log)) {
                return false;
            }
        } else if (t == MapType.SOCKHASH) {
            if (!Set.of(72, 70, 71, 82, 1).contains(func) && !mayUpdateSockmap(progType, attach, func, log)) {
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

    /** is_tracing_prog_type: the program types that may run in any context (NMI included). */
    private static boolean tracing(io.bpf4j.isa.abi.ProgramType t) {
        return switch (t) {
            case KPROBE, TRACEPOINT, PERF_EVENT, RAW_TRACEPOINT, RAW_TRACEPOINT_WRITABLE -> true;
            default -> false;
        };
    }

    /**
     * check_map_prog_compatibility, as each {@code ld_imm64} of a map is resolved: special fields
     * the program type may not use, struct_ops maps.
     */
    static void checkMapProgCompatibility(MapRef map, io.bpf4j.isa.abi.ProgramType t, VLog log) {
        boolean tracing = tracing(t);
        if (tracing && (map.has(MapShape.SpecialField.Kind.LIST_HEAD) || map.has(MapShape.SpecialField.Kind.RB_ROOT))) {
            throw log.reject("tracing progs cannot use bpf_{list_head,rb_root} yet");
        }
        if (map.has(MapShape.SpecialField.Kind.SPIN_LOCK) || map.has(MapShape.SpecialField.Kind.RES_SPIN_LOCK)) {
            if (t == io.bpf4j.isa.abi.ProgramType.SOCKET_FILTER) {
                throw log.reject("socket filter progs cannot use bpf_spin_lock yet");
            }
            if (tracing) {
                throw log.reject("tracing progs cannot use bpf_spin_lock yet");
            }
        }
        if (tracing && map.has(MapShape.SpecialField.Kind.TIMER)) {
            throw log.reject("tracing progs cannot use bpf_timer yet");
        }
        if (tracing && map.has(MapShape.SpecialField.Kind.WORKQUEUE)) {
            throw log.reject("tracing progs cannot use bpf_wq yet");
        }
        if (map.type() == MapType.STRUCT_OPS) {
            throw log.reject("bpf_struct_ops map cannot be used in prog");
        }
    }
}
