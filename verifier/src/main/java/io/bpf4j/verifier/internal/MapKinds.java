package io.bpf4j.verifier.internal;

import io.bpf4j.isa.abi.MapType;

/** Per map type behaviour the verifier depends on (the kernel's map ops it consults). */
final class MapKinds {
    private MapKinds() {}

    /** map_direct_value_addr exists: {@code ld_imm64} may point into the value (global data). */
    static boolean hasDirectValueAccess(MapType t) {
        return t == MapType.ARRAY || t == MapType.INSN_ARRAY;
    }

    static boolean directValueOffsetOk(MapRef m, long off) {
        if (m.type() == MapType.INSN_ARRAY) {
            // insn_array_map_direct_value_addr (6.19): the program sees a u64 per entry
            return off % 8 == 0 && off / 8 < Integer.toUnsignedLong(m.maxEntries());
        }
        return m.maxEntries() == 1 && off < m.valueSize();
    }

    /**
     * The kernel struct a map of type {@code t} is (its ops' {@code map_btf_id}): what a load through
     * a map pointer reads ({@code check_ptr_to_map_access}); null for a type without one.
     */
    static String btfStructName(MapType t) {
        return switch (t) {
            case ARRAY, PERCPU_ARRAY, PROG_ARRAY, PERF_EVENT_ARRAY, CGROUP_ARRAY, ARRAY_OF_MAPS -> "bpf_array";
            case HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH, HASH_OF_MAPS -> "bpf_htab";
            case LPM_TRIE -> "lpm_trie";
            case STACK_TRACE -> "bpf_stack_map";
            case DEVMAP, DEVMAP_HASH -> "bpf_dtab";
            case SOCKMAP -> "bpf_stab";
            case SOCKHASH -> "bpf_shtab";
            case CPUMAP -> "bpf_cpu_map";
            case XSKMAP -> "xsk_map";
            case CGROUP_STORAGE, PERCPU_CGROUP_STORAGE -> "bpf_cgroup_storage_map";
            case REUSEPORT_SOCKARRAY -> "reuseport_array";
            case QUEUE, STACK -> "bpf_queue_stack";
            case SK_STORAGE, INODE_STORAGE, TASK_STORAGE, CGRP_STORAGE -> "bpf_local_storage_map";
            case STRUCT_OPS -> "bpf_struct_ops_map";
            case RINGBUF, USER_RINGBUF -> "bpf_ringbuf_map";
            case BLOOM_FILTER -> "bpf_bloom_filter";
            case ARENA -> "bpf_arena";
            default -> null;
        };
    }
}
