package io.bpf4j.verifier.internal;

import io.bpf4j.isa.abi.HelperId;

/** Facts about helpers the verifier hard-codes by id (the kernel does too), beside their prototypes. */
final class HelperTraits {
    private HelperTraits() {}

    /** Helpers that call a BPF callback before returning (bpf_loop, for_each_map_elem...). */
    static boolean callsSyncCallback(int id) {
        return id == HelperId.FOR_EACH_MAP_ELEM.id() || id == HelperId.LOOP.id() || id == HelperId.FIND_VMA.id()
                || id == HelperId.USER_RINGBUF_DRAIN.id();
    }

    static boolean callsAsyncCallback(int id) {
        return id == HelperId.TIMER_SET_CALLBACK.id();
    }

    /** bpf_helper_changes_pkt_data: packet pointers are invalid after these calls. */
    static boolean changesPacketData(int id) {
        return switch (id) {
            case 9, 10, 11, 13, 18, 19, 31, 38, 39, 43, 44, 50, 54, 63, 65, 73, 74, 75, 76, 90, 91, 143, 12 -> true;
            default -> false;
        };
    }

    /**
     * is_ptr_cast_function: the result is the argument seen as another socket type, so it carries
     * the argument's reference (and dies with it) instead of taking one of its own.
     */
    static boolean isPtrCast(int id) {
        return id == HelperId.TCP_SOCK.id() || id == HelperId.SK_FULLSOCK.id() || id == HelperId.SKC_TO_TCP_SOCK.id()
                || id == HelperId.SKC_TO_TCP6_SOCK.id() || id == HelperId.SKC_TO_UDP6_SOCK.id()
                || id == HelperId.SKC_TO_MPTCP_SOCK.id() || id == HelperId.SKC_TO_TCP_TIMEWAIT_SOCK.id()
                || id == HelperId.SKC_TO_TCP_REQUEST_SOCK.id();
    }

    /** Helpers bpf_base_func_proto gives only to a loader with CAP_BPF. */
    static boolean needsCapBpf(int id) {
        HelperId h = HelperId.ofId(id);
        return h != null && switch (h) {
            case SPIN_LOCK, SPIN_UNLOCK, JIFFIES64, PER_CPU_PTR, THIS_CPU_PTR, TIMER_INIT, TIMER_SET_CALLBACK, TIMER_START,
                    TIMER_CANCEL, KPTR_XCHG, FOR_EACH_MAP_ELEM, LOOP, USER_RINGBUF_DRAIN, RINGBUF_RESERVE_DYNPTR,
                    RINGBUF_SUBMIT_DYNPTR, RINGBUF_DISCARD_DYNPTR, DYNPTR_FROM_MEM, DYNPTR_READ, DYNPTR_WRITE, DYNPTR_DATA,
                    CGRP_STORAGE_GET, CGRP_STORAGE_DELETE, GET_CURRENT_CGROUP_ID, GET_CURRENT_ANCESTOR_CGROUP_ID -> true;
            default -> false;
        };
    }

    /** Helpers bpf_base_func_proto and bpf_sk_base_func_proto give only to a loader with CAP_PERFMON. */
    static boolean needsPerfmon(int id) {
        HelperId h = HelperId.ofId(id);
        return h != null && switch (h) {
            case TRACE_PRINTK, GET_CURRENT_TASK, GET_CURRENT_TASK_BTF, PROBE_READ_USER, PROBE_READ_KERNEL, PROBE_READ_USER_STR,
                    PROBE_READ_KERNEL_STR, SNPRINTF_BTF, SNPRINTF, TASK_PT_REGS, TRACE_VPRINTK, SKC_TO_TCP6_SOCK, SKC_TO_TCP_SOCK,
                    SKC_TO_TCP_TIMEWAIT_SOCK, SKC_TO_TCP_REQUEST_SOCK, SKC_TO_UDP6_SOCK, SKC_TO_UNIX_SOCK, SKC_TO_MPTCP_SOCK -> true;
            default -> false;
        };
    }
}
