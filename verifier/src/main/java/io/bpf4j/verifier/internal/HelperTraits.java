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
}
