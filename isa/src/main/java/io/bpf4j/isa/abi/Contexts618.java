package io.bpf4j.isa.abi;

import static io.bpf4j.isa.abi.ContextField.Access.sizes;

import io.bpf4j.isa.abi.ContextField.Access;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Context layouts of Linux 6.18 (x86-64) per program type and expected attach type: the uapi
 * context structs with the rules of each program type's {@code is_valid_access} callback and the
 * return ranges of {@code check_return_code}, read from the kernel sources (net/core/filter.c,
 * kernel/trace/bpf_trace.c, kernel/bpf/cgroup.c, kernel/bpf/syscall.c, kernel/bpf/verifier.c) and
 * written in our own form.
 */
final class Contexts618 {

    private Contexts618() {
    }

    private static final int R124 = sizes(1, 2, 4);
    private static final int R1248 = sizes(1, 2, 4, 8);
    private static final int S4 = sizes(4);
    private static final int S8 = sizes(8);
    private static final int S12 = sizes(1, 2);

    private static final ReturnRange ZERO_ONE = ReturnRange.of(0, 1);

    static ContextLayout layout(ProgramType t, AttachType a) {
        return switch (t) {
            case SOCKET_FILTER, CGROUP_SKB, SCHED_CLS, SCHED_ACT, LWT_IN, LWT_OUT, LWT_XMIT, LWT_SEG6LOCAL, SK_SKB ->
                    skBuff(t, a);
            case FLOW_DISSECTOR -> flowDissector(a);
            case XDP -> xdp(a);
            case CGROUP_SOCK -> cgroupSock(a);
            case CGROUP_SOCK_ADDR -> sockAddr(a);
            case SOCK_OPS -> sockOps(a);
            case SK_MSG -> skMsg(a);
            case SK_LOOKUP -> skLookup(a);
            case CGROUP_DEVICE -> cgroupDevice(a);
            case CGROUP_SYSCTL -> cgroupSysctl(a);
            case CGROUP_SOCKOPT -> cgroupSockopt(a);
            case KPROBE -> flat(t, a, "pt_regs", 168, 0, false, kprobeReturn(a));
            // the first 8 bytes are the common trace entry header programs may not read; the window
            // is PERF_MAX_TRACE_SIZE, 8192 in 6.18 (2048 in 6.12)
            case TRACEPOINT -> flat(t, a, "trace_entry", 8192, 8, false, null);
            case RAW_TRACEPOINT -> flat(t, a, "bpf_raw_tracepoint_args", 96, 0, false, null);
            case RAW_TRACEPOINT_WRITABLE -> rawTracepointWritable(a);
            case PERF_EVENT -> perfEvent(a);
            // syscall programs read and write a caller-supplied buffer of up to U16_MAX bytes
            case SYSCALL -> flat(t, a, "syscall_ctx", 65535, 0, true, null);
            case TRACING -> flat(t, a, "tracing_args", 96, 0, false, tracingReturn(a));
            case NETFILTER -> ContextLayout.builder(t, "bpf_nf_ctx", 16).attachType(a)
                    .returnRange(ZERO_ONE).build();
            case LSM -> ContextLayout.builder(t, "lsm_args", 96).attachType(a)
                    .flat(new ContextLayout.Flat(0, 96, R1248, false))
                    .returnRange(a == AttachType.LSM_CGROUP ? ZERO_ONE : null).build();
            default -> null;
        };
    }

    private static ContextField f(int off, int size, String name, int read, int write) {
        return new ContextField(off, size, name, new Access(read, write), RegKind.SCALAR);
    }

    /** A field the kernel matches by exact offset: narrow loads only of its first bytes. */
    private static ContextField fx(int off, int size, String name, int read, int write) {
        return new ContextField(off, size, name, new Access(read, write, true), RegKind.SCALAR);
    }

    private static ContextField p(int off, int size, String name, RegKind kind) {
        return new ContextField(off, size, name, new Access(sizes(size), 0), kind);
    }

    private static ContextLayout flat(ProgramType t, AttachType a, String struct, int to, int from, boolean writable,
                                      ReturnRange ret) {
        return ContextLayout.builder(t, struct, to).attachType(a)
                .flat(new ContextLayout.Flat(from, to, R1248, writable)).returnRange(ret).build();
    }

    // ---- struct __sk_buff -------------------------------------------------------------------

    /** The u32 fields of __sk_buff that follow the generic rule: narrow reads, 4-byte writes. */
    private static final List<Object[]> SKB_U32 = List.of(
            new Object[] {0, "len"}, new Object[] {4, "pkt_type"}, new Object[] {8, "mark"},
            new Object[] {12, "queue_mapping"}, new Object[] {16, "protocol"}, new Object[] {20, "vlan_present"},
            new Object[] {24, "vlan_tci"}, new Object[] {28, "vlan_proto"}, new Object[] {32, "priority"},
            new Object[] {36, "ingress_ifindex"}, new Object[] {40, "ifindex"}, new Object[] {44, "tc_index"},
            new Object[] {68, "hash"}, new Object[] {72, "tc_classid"}, new Object[] {84, "napi_id"},
            new Object[] {88, "family"}, new Object[] {132, "remote_port"}, new Object[] {136, "local_port"},
            new Object[] {160, "wire_len"}, new Object[] {164, "gso_segs"}, new Object[] {176, "gso_size"});

    /** The socket-tuple fields only sk_skb (and cgroup_skb) programs see. */
    private static final Set<String> SKB_SOCK_FIELDS = Set.of("family", "remote_ip4", "local_ip4", "remote_ip6",
            "local_ip6", "remote_port", "local_port");

    /**
     * {@code bpf_skb_is_valid_access} with one program type's exclusions, writable fields and
     * packet pointer kinds on top.
     */
    static ContextLayout skBuff(ProgramType t, AttachType a) {
        Set<String> denied;
        Set<String> writable;
        RegKind data = RegKind.PTR_TO_PACKET;
        RegKind dataMeta = null;
        RegKind dataEnd = RegKind.PTR_TO_PACKET_END;
        boolean tstampTypeByte = false;
        ReturnRange ret = null;
        switch (t) {
            case SOCKET_FILTER -> {
                denied = union(SKB_SOCK_FIELDS, Set.of("tc_classid", "data", "data_meta", "data_end", "tstamp",
                        "wire_len", "hwtstamp"));
                writable = Set.of("cb");
                data = null;
                dataEnd = null;
            }
            case CGROUP_SKB -> {
                denied = Set.of("tc_classid", "data_meta", "wire_len");
                writable = Set.of("mark", "priority", "cb", "tstamp");
                ret = a == AttachType.CGROUP_INET_EGRESS ? ReturnRange.of(0, 3) : ZERO_ONE;
            }
            case SCHED_CLS, SCHED_ACT -> {
                denied = SKB_SOCK_FIELDS;
                writable = Set.of("mark", "tc_index", "priority", "tc_classid", "cb", "tstamp", "queue_mapping");
                dataMeta = RegKind.PTR_TO_PACKET_META;
                tstampTypeByte = true;
            }
            case SK_SKB -> {
                denied = Set.of("tc_classid", "data_meta", "tstamp", "wire_len", "hwtstamp", "mark");
                writable = Set.of("tc_index", "priority");
            }
            default -> { // the four LWT types
                denied = union(SKB_SOCK_FIELDS, Set.of("tc_classid", "data_meta", "tstamp", "wire_len", "hwtstamp"));
                writable = Set.of("mark", "priority", "cb");
            }
        }
        ContextLayout.Builder b = ContextLayout.builder(t, "__sk_buff", 192).attachType(a).returnRange(ret);
        for (Object[] e : SKB_U32) {
            String name = (String) e[1];
            add(b, denied, f((Integer) e[0], 4, name, R124, writable.contains(name) ? S4 : 0));
        }
        int cbWrite = writable.contains("cb") ? R1248 : 0;
        add(b, denied, f(48, 20, "cb", R1248, cbWrite));
        add(b, denied, f(92, 4, "remote_ip4", S4, writable.contains("remote_ip4") ? S4 : 0));
        add(b, denied, f(96, 4, "local_ip4", S4, 0));
        add(b, denied, f(100, 16, "remote_ip6", S4, 0));
        add(b, denied, f(116, 16, "local_ip6", S4, 0));
        if (data != null) {
            add(b, denied, p(76, 4, "data", data));
        }
        if (dataEnd != null) {
            add(b, denied, p(80, 4, "data_end", dataEnd));
        }
        if (dataMeta != null) {
            add(b, denied, p(140, 4, "data_meta", dataMeta));
        }
        add(b, denied, f(152, 8, "tstamp", S8, writable.contains("tstamp") ? S8 : 0));
        add(b, denied, p(168, 8, "sk", RegKind.PTR_TO_SOCK_COMMON_OR_NULL));
        add(b, denied, f(184, 8, "hwtstamp", S8, 0));
        if (tstampTypeByte) {
            b.field(f(180, 1, "tstamp_type", sizes(1), 0));
        }
        // flow_keys (144) is only for flow dissectors; 181..183 is padding: no entries, so refused
        return b.build();
    }

    private static void add(ContextLayout.Builder b, Set<String> denied, ContextField field) {
        if (!denied.contains(field.name())) {
            b.field(field);
        }
    }

    private static Set<String> union(Set<String> x, Set<String> y) {
        java.util.HashSet<String> s = new java.util.HashSet<>(x);
        s.addAll(y);
        return s;
    }

    static ContextLayout flowDissector(AttachType a) {
        return ContextLayout.builder(ProgramType.FLOW_DISSECTOR, "__sk_buff", 192).attachType(a)
                .field(p(76, 4, "data", RegKind.PTR_TO_PACKET))
                .field(p(80, 4, "data_end", RegKind.PTR_TO_PACKET_END))
                .field(p(144, 8, "flow_keys", RegKind.PTR_TO_FLOW_KEYS))
                .build();
    }

    // ---- struct xdp_md ----------------------------------------------------------------------

    static ContextLayout xdp(AttachType a) {
        // every xdp_md field is read whole; egress_ifindex only exists for devmap programs
        ContextLayout.Builder b = ContextLayout.builder(ProgramType.XDP, "xdp_md", 24).attachType(a)
                .field(p(0, 4, "data", RegKind.PTR_TO_PACKET))
                .field(p(4, 4, "data_end", RegKind.PTR_TO_PACKET_END))
                .field(p(8, 4, "data_meta", RegKind.PTR_TO_PACKET_META))
                .field(f(12, 4, "ingress_ifindex", S4, 0))
                .field(f(16, 4, "rx_queue_index", S4, 0));
        if (a == AttachType.XDP_DEVMAP) {
            b.field(f(20, 4, "egress_ifindex", S4, 0));
        }
        return b.build();
    }

    // ---- struct bpf_sock (cgroup_sock programs) ----------------------------------------------

    static ContextLayout cgroupSock(AttachType a) {
        // the kernel loads a cgroup_sock program without attach type as inet_sock_create
        AttachType at = a == null ? AttachType.CGROUP_INET_SOCK_CREATE : a;
        boolean create = at == AttachType.CGROUP_INET_SOCK_CREATE || at == AttachType.CGROUP_INET_SOCK_RELEASE;
        boolean post4 = at == AttachType.CGROUP_INET4_POST_BIND;
        boolean post6 = at == AttachType.CGROUP_INET6_POST_BIND;
        ContextLayout.Builder b = ContextLayout.builder(ProgramType.CGROUP_SOCK, "bpf_sock", 80).attachType(a)
                .returnRange(ZERO_ONE)
                .field(fx(4, 4, "family", R124, 0))
                .field(fx(8, 4, "type", R124, 0))
                .field(fx(12, 4, "protocol", R124, 0))
                .field(f(48, 2, "dst_port", S12, 0))
                // a 4-byte load of the 2-byte port is accepted at its offset; bytes 50..51 are not
                .field(f(48, 4, "dst_port", S4, 0))
                .field(f(52, 4, "dst_ip4", R124, 0))
                .field(f(56, 16, "dst_ip6", R124, 0))
                .field(fx(72, 4, "state", R124, 0))
                .field(fx(76, 4, "rx_queue_mapping", R124, 0));
        if (create) {
            b.field(f(0, 4, "bound_dev_if", S4, S4)).field(f(16, 4, "mark", S4, S4))
                    .field(f(20, 4, "priority", S4, S4));
        }
        if (post4) {
            b.field(f(24, 4, "src_ip4", R124, 0));
        }
        if (post6) {
            b.field(f(28, 16, "src_ip6", R124, 0));
        }
        if (post4 || post6) {
            b.field(fx(44, 4, "src_port", R124, 0));
        }
        return b.build();
    }

    // ---- struct bpf_sock_addr ---------------------------------------------------------------

    private static final Set<AttachType> SA_IP4 = EnumSet.of(AttachType.CGROUP_INET4_BIND,
            AttachType.CGROUP_INET4_CONNECT, AttachType.CGROUP_INET4_GETPEERNAME, AttachType.CGROUP_INET4_GETSOCKNAME,
            AttachType.CGROUP_UDP4_SENDMSG, AttachType.CGROUP_UDP4_RECVMSG);
    private static final Set<AttachType> SA_IP6 = EnumSet.of(AttachType.CGROUP_INET6_BIND,
            AttachType.CGROUP_INET6_CONNECT, AttachType.CGROUP_INET6_GETPEERNAME, AttachType.CGROUP_INET6_GETSOCKNAME,
            AttachType.CGROUP_UDP6_SENDMSG, AttachType.CGROUP_UDP6_RECVMSG);
    private static final Set<AttachType> SA_RET_ONE = EnumSet.of(AttachType.CGROUP_UDP4_RECVMSG,
            AttachType.CGROUP_UDP6_RECVMSG, AttachType.CGROUP_UNIX_RECVMSG, AttachType.CGROUP_INET4_GETPEERNAME,
            AttachType.CGROUP_INET6_GETPEERNAME, AttachType.CGROUP_UNIX_GETPEERNAME,
            AttachType.CGROUP_INET4_GETSOCKNAME, AttachType.CGROUP_INET6_GETSOCKNAME,
            AttachType.CGROUP_UNIX_GETSOCKNAME);

    static ContextLayout sockAddr(AttachType a) {
        ReturnRange ret = ZERO_ONE;
        if (a != null && SA_RET_ONE.contains(a)) {
            ret = ReturnRange.of(1, 1);
        } else if (a == AttachType.CGROUP_INET4_BIND || a == AttachType.CGROUP_INET6_BIND) {
            ret = ReturnRange.of(0, 3);
        }
        ContextLayout.Builder b = ContextLayout.builder(ProgramType.CGROUP_SOCK_ADDR, "bpf_sock_addr", 72)
                .attachType(a).returnRange(ret)
                .field(f(0, 4, "user_family", S4, 0))
                .field(f(24, 4, "user_port", R124, S4))
                .field(f(28, 4, "family", S4, 0))
                .field(f(32, 4, "type", S4, 0))
                .field(f(36, 4, "protocol", S4, 0))
                .field(p(64, 8, "sk", RegKind.PTR_TO_SOCKET));
        if (a != null && SA_IP4.contains(a)) {
            b.field(f(4, 4, "user_ip4", R124, S4));
        }
        if (a != null && SA_IP6.contains(a)) {
            // 8-byte loads and stores of two address words are accepted at 8-aligned offsets
            b.field(f(8, 16, "user_ip6", R1248, sizes(4, 8)));
        }
        if (a == AttachType.CGROUP_UDP4_SENDMSG) {
            b.field(f(40, 4, "msg_src_ip4", R124, S4));
        }
        if (a == AttachType.CGROUP_UDP6_SENDMSG) {
            b.field(f(44, 16, "msg_src_ip6", R1248, sizes(4, 8)));
        }
        return b.build();
    }

    // ---- struct bpf_sock_ops ----------------------------------------------------------------

    private static final String[] SOCK_OPS_U32 = {
        "family", "remote_ip4", "local_ip4", null, null, null, null, null, null, null, null,
        "remote_port", "local_port", "is_fullsock", "snd_cwnd", "srtt_us", "bpf_sock_ops_cb_flags", "state",
        "rtt_min", "snd_ssthresh", "rcv_nxt", "snd_nxt", "snd_una", "mss_cache", "ecn_flags", "rate_delivered",
        "rate_interval_us", "packets_out", "retrans_out", "total_retrans", "segs_in", "data_segs_in", "segs_out",
        "data_segs_out", "lost_out", "sacked_out",
    };

    static ContextLayout sockOps(AttachType a) {
        ContextLayout.Builder b = ContextLayout.builder(ProgramType.SOCK_OPS, "bpf_sock_ops", 224).attachType(a)
                .returnRange(ZERO_ONE)
                .field(f(0, 4, "op", S4, 0))
                .field(f(4, 4, "reply", S4, S4))
                .field(f(8, 12, "args", S4, 0))
                .field(f(32, 16, "remote_ip6", S4, 0))
                .field(f(48, 16, "local_ip6", S4, 0))
                .field(f(164, 4, "sk_txhash", S4, S4))
                .field(f(168, 8, "bytes_received", S8, 0))
                .field(f(176, 8, "bytes_acked", S8, 0))
                .field(p(184, 8, "sk", RegKind.PTR_TO_SOCKET_OR_NULL))
                .field(p(192, 8, "skb_data", RegKind.PTR_TO_PACKET))
                .field(p(200, 8, "skb_data_end", RegKind.PTR_TO_PACKET_END))
                .field(f(208, 4, "skb_len", S4, 0))
                .field(fx(212, 4, "skb_tcp_flags", R124, 0))
                .field(f(216, 8, "skb_hwtstamp", S8, 0));
        for (int i = 0; i < SOCK_OPS_U32.length; i++) {
            if (SOCK_OPS_U32[i] != null) {
                b.field(f(20 + 4 * i, 4, SOCK_OPS_U32[i], S4, 0));
            }
        }
        return b.build();
    }

    // ---- struct sk_msg_md, bpf_sk_lookup ----------------------------------------------------

    static ContextLayout skMsg(AttachType a) {
        return ContextLayout.builder(ProgramType.SK_MSG, "sk_msg_md", 80).attachType(a)
                .field(p(0, 8, "data", RegKind.PTR_TO_PACKET))
                .field(p(8, 8, "data_end", RegKind.PTR_TO_PACKET_END))
                .field(f(16, 4, "family", S4, 0))
                .field(f(20, 4, "remote_ip4", S4, 0))
                .field(f(24, 4, "local_ip4", S4, 0))
                .field(f(28, 16, "remote_ip6", S4, 0))
                .field(f(44, 16, "local_ip6", S4, 0))
                .field(f(60, 4, "remote_port", S4, 0))
                .field(f(64, 4, "local_port", S4, 0))
                .field(f(68, 4, "size", S4, 0))
                .field(p(72, 8, "sk", RegKind.PTR_TO_SOCKET))
                .build();
    }

    static ContextLayout skLookup(AttachType a) {
        return ContextLayout.builder(ProgramType.SK_LOOKUP, "bpf_sk_lookup", 72).attachType(a)
                .returnRange(ZERO_ONE)
                .field(p(0, 8, "sk", RegKind.PTR_TO_SOCKET_OR_NULL))
                .field(f(8, 4, "family", R124, 0))
                .field(f(12, 4, "protocol", R124, 0))
                .field(f(16, 4, "remote_ip4", R124, 0))
                .field(f(20, 16, "remote_ip6", R124, 0))
                .field(f(36, 2, "remote_port", S12, 0))
                // old programs read the 2-byte port as 4 bytes, and the zero padding after it
                .field(f(36, 4, "remote_port", S4, 0))
                .field(f(38, 2, "remote_port_pad", S12, 0))
                .field(f(40, 4, "local_ip4", R124, 0))
                .field(f(44, 16, "local_ip6", R124, 0))
                .field(f(60, 4, "local_port", R124, 0))
                .field(f(64, 4, "ingress_ifindex", R124, 0))
                .build();
    }

    // ---- cgroup device, sysctl, sockopt ------------------------------------------------------

    static ContextLayout cgroupDevice(AttachType a) {
        return ContextLayout.builder(ProgramType.CGROUP_DEVICE, "bpf_cgroup_dev_ctx", 12).attachType(a)
                .returnRange(ZERO_ONE)
                .field(f(0, 4, "access_type", R124, 0))
                .field(f(4, 4, "major", S4, 0))
                .field(f(8, 4, "minor", S4, 0))
                .build();
    }

    static ContextLayout cgroupSysctl(AttachType a) {
        return ContextLayout.builder(ProgramType.CGROUP_SYSCTL, "bpf_sysctl", 8).attachType(a)
                .returnRange(ZERO_ONE)
                .field(f(0, 4, "write", R124, 0))
                .field(f(4, 4, "file_pos", R124, S4))
                .build();
    }

    static ContextLayout cgroupSockopt(AttachType a) {
        boolean get = a == AttachType.CGROUP_GETSOCKOPT;
        boolean set = a == AttachType.CGROUP_SETSOCKOPT;
        ContextLayout.Builder b = ContextLayout.builder(ProgramType.CGROUP_SOCKOPT, "bpf_sockopt", 40).attachType(a)
                .returnRange(ZERO_ONE)
                .field(p(0, 8, "sk", RegKind.PTR_TO_SOCKET))
                .field(p(8, 8, "optval", RegKind.PTR_TO_PACKET))
                .field(p(16, 8, "optval_end", RegKind.PTR_TO_PACKET_END))
                .field(f(24, 4, "level", S4, set ? S4 : 0))
                .field(f(28, 4, "optname", S4, set ? S4 : 0))
                .field(f(32, 4, "optlen", S4, S4));
        if (get) {
            b.field(f(36, 4, "retval", S4, S4));
        }
        return b.build();
    }

    // ---- tracing -----------------------------------------------------------------------------

    static ContextLayout rawTracepointWritable(AttachType a) {
        // word 0 is the writable buffer the tracepoint hands over; the rest are plain arguments
        return ContextLayout.builder(ProgramType.RAW_TRACEPOINT_WRITABLE, "bpf_raw_tracepoint_args", 96)
                .attachType(a)
                .field(new ContextField(0, 8, "buffer", new Access(S8, 0, true), RegKind.PTR_TO_TP_BUFFER))
                .flat(new ContextLayout.Flat(0, 96, R1248, false))
                .build();
    }

    static ContextLayout perfEvent(AttachType a) {
        return ContextLayout.builder(ProgramType.PERF_EVENT, "bpf_perf_event_data", 184).attachType(a)
                .field(f(0, 168, "regs", S8, 0))
                .field(f(168, 8, "sample_period", R1248, 0))
                .field(f(176, 8, "addr", R1248, 0))
                .build();
    }

    private static ReturnRange kprobeReturn(AttachType a) {
        return a == AttachType.TRACE_KPROBE_SESSION ? ZERO_ONE : null;
    }

    private static ReturnRange tracingReturn(AttachType a) {
        if (a == null) {
            return null;
        }
        return switch (a) {
            case TRACE_FENTRY, TRACE_FEXIT -> ReturnRange.of(0, 0);
            case TRACE_ITER -> ZERO_ONE;
            default -> null;
        };
    }
}
