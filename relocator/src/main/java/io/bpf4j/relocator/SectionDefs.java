package io.bpf4j.relocator;

import io.bpf4j.isa.abi.ProgramType;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * libbpf's built-in section table ({@code section_defs} in libbpf.c), in libbpf's order: the
 * first matching entry wins. It holds every entry of libbpf 1.7.0 plus the ones master added
 * (marked {@link SectionDef#masterOnly()}); bpf4j follows the newest libbpf.
 *
 * <p>A name no entry matches gives {@link ProgramType#UNSPEC}, as in libbpf; loading such a
 * program fails later. libbpf 0.x's sloppy prefix matching ({@code socket1}, {@code xdp_foo})
 * is gone since libbpf 1.0 and is not done here either.
 */
public final class SectionDefs {
    private SectionDefs() {}

    private static SectionDef def(String pattern, ProgramType type, int attach, boolean masterOnly, SecFlag... flags) {
        EnumSet<SecFlag> set = EnumSet.noneOf(SecFlag.class);
        set.addAll(List.of(flags));
        return new SectionDef(pattern, type, attach, set, masterOnly);
    }

    private static final List<SectionDef> BUILTIN = List.of(
            def("socket", ProgramType.SOCKET_FILTER, 0, false),
            def("sk_reuseport/migrate", ProgramType.SK_REUSEPORT, 40, false, SecFlag.ATTACHABLE),
            def("sk_reuseport", ProgramType.SK_REUSEPORT, 39, false, SecFlag.ATTACHABLE),
            def("kprobe+", ProgramType.KPROBE, 0, false),
            def("uprobe+", ProgramType.KPROBE, 0, false),
            def("uprobe.s+", ProgramType.KPROBE, 0, false, SecFlag.SLEEPABLE),
            def("kretprobe+", ProgramType.KPROBE, 0, false),
            def("uretprobe+", ProgramType.KPROBE, 0, false),
            def("uretprobe.s+", ProgramType.KPROBE, 0, false, SecFlag.SLEEPABLE),
            def("kprobe.multi+", ProgramType.KPROBE, 42, false),
            def("kretprobe.multi+", ProgramType.KPROBE, 42, false),
            def("kprobe.session+", ProgramType.KPROBE, 56, false),
            def("uprobe.multi+", ProgramType.KPROBE, 48, false),
            def("uretprobe.multi+", ProgramType.KPROBE, 48, false),
            def("uprobe.session+", ProgramType.KPROBE, 57, false),
            def("uprobe.multi.s+", ProgramType.KPROBE, 48, false, SecFlag.SLEEPABLE),
            def("uretprobe.multi.s+", ProgramType.KPROBE, 48, false, SecFlag.SLEEPABLE),
            def("uprobe.session.s+", ProgramType.KPROBE, 57, false, SecFlag.SLEEPABLE),
            def("ksyscall+", ProgramType.KPROBE, 0, false),
            def("kretsyscall+", ProgramType.KPROBE, 0, false),
            def("usdt+", ProgramType.KPROBE, 0, false, SecFlag.USDT),
            def("usdt.s+", ProgramType.KPROBE, 0, false, SecFlag.USDT, SecFlag.SLEEPABLE),
            def("tc/ingress", ProgramType.SCHED_CLS, 46, false),
            def("tc/egress", ProgramType.SCHED_CLS, 47, false),
            def("tcx/ingress", ProgramType.SCHED_CLS, 46, false),
            def("tcx/egress", ProgramType.SCHED_CLS, 47, false),
            def("tc", ProgramType.SCHED_CLS, 0, false),
            def("classifier", ProgramType.SCHED_CLS, 0, false),
            def("action", ProgramType.SCHED_ACT, 0, false),
            def("netkit/primary", ProgramType.SCHED_CLS, 54, false),
            def("netkit/peer", ProgramType.SCHED_CLS, 55, false),
            def("tracepoint+", ProgramType.TRACEPOINT, 0, false),
            def("tp+", ProgramType.TRACEPOINT, 0, false),
            def("tracepoint.s+", ProgramType.TRACEPOINT, 0, true, SecFlag.SLEEPABLE),
            def("tp.s+", ProgramType.TRACEPOINT, 0, true, SecFlag.SLEEPABLE),
            def("raw_tracepoint+", ProgramType.RAW_TRACEPOINT, 0, false),
            def("raw_tp+", ProgramType.RAW_TRACEPOINT, 0, false),
            def("raw_tracepoint.s+", ProgramType.RAW_TRACEPOINT, 0, true, SecFlag.SLEEPABLE),
            def("raw_tp.s+", ProgramType.RAW_TRACEPOINT, 0, true, SecFlag.SLEEPABLE),
            def("raw_tracepoint.w+", ProgramType.RAW_TRACEPOINT_WRITABLE, 0, false),
            def("raw_tp.w+", ProgramType.RAW_TRACEPOINT_WRITABLE, 0, false),
            def("tp_btf+", ProgramType.TRACING, 23, false, SecFlag.ATTACH_BTF),
            def("tp_btf.s+", ProgramType.TRACING, 23, true, SecFlag.ATTACH_BTF, SecFlag.SLEEPABLE),
            def("fentry+", ProgramType.TRACING, 24, false, SecFlag.ATTACH_BTF),
            def("fmod_ret+", ProgramType.TRACING, 26, false, SecFlag.ATTACH_BTF),
            def("fexit+", ProgramType.TRACING, 25, false, SecFlag.ATTACH_BTF),
            def("fentry.s+", ProgramType.TRACING, 24, false, SecFlag.ATTACH_BTF, SecFlag.SLEEPABLE),
            def("fmod_ret.s+", ProgramType.TRACING, 26, false, SecFlag.ATTACH_BTF, SecFlag.SLEEPABLE),
            def("fexit.s+", ProgramType.TRACING, 25, false, SecFlag.ATTACH_BTF, SecFlag.SLEEPABLE),
            def("fsession+", ProgramType.TRACING, 58, false, SecFlag.ATTACH_BTF),
            def("fsession.s+", ProgramType.TRACING, 58, false, SecFlag.ATTACH_BTF, SecFlag.SLEEPABLE),
            def("fsession.multi+", ProgramType.TRACING, 61, true),
            def("fsession.multi.s+", ProgramType.TRACING, 61, true, SecFlag.SLEEPABLE),
            def("fentry.multi+", ProgramType.TRACING, 59, true),
            def("fexit.multi+", ProgramType.TRACING, 60, true),
            def("fentry.multi.s+", ProgramType.TRACING, 59, true, SecFlag.SLEEPABLE),
            def("fexit.multi.s+", ProgramType.TRACING, 60, true, SecFlag.SLEEPABLE),
            def("freplace+", ProgramType.EXT, 0, false, SecFlag.ATTACH_BTF),
            def("lsm+", ProgramType.LSM, 27, false, SecFlag.ATTACH_BTF),
            def("lsm.s+", ProgramType.LSM, 27, false, SecFlag.ATTACH_BTF, SecFlag.SLEEPABLE),
            def("lsm_cgroup+", ProgramType.LSM, 43, false, SecFlag.ATTACH_BTF),
            def("iter+", ProgramType.TRACING, 28, false, SecFlag.ATTACH_BTF),
            def("iter.s+", ProgramType.TRACING, 28, false, SecFlag.ATTACH_BTF, SecFlag.SLEEPABLE),
            def("syscall", ProgramType.SYSCALL, 0, false, SecFlag.SLEEPABLE),
            def("xdp.frags/devmap", ProgramType.XDP, 33, false, SecFlag.XDP_FRAGS),
            def("xdp/devmap", ProgramType.XDP, 33, false, SecFlag.ATTACHABLE),
            def("xdp.frags/cpumap", ProgramType.XDP, 35, false, SecFlag.XDP_FRAGS),
            def("xdp/cpumap", ProgramType.XDP, 35, false, SecFlag.ATTACHABLE),
            def("xdp.frags", ProgramType.XDP, 37, false, SecFlag.XDP_FRAGS),
            def("xdp", ProgramType.XDP, 37, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("perf_event", ProgramType.PERF_EVENT, 0, false),
            def("lwt_in", ProgramType.LWT_IN, 0, false),
            def("lwt_out", ProgramType.LWT_OUT, 0, false),
            def("lwt_xmit", ProgramType.LWT_XMIT, 0, false),
            def("lwt_seg6local", ProgramType.LWT_SEG6LOCAL, 0, false),
            def("sockops", ProgramType.SOCK_OPS, 3, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("sk_skb/stream_parser", ProgramType.SK_SKB, 4, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("sk_skb/stream_verdict", ProgramType.SK_SKB, 5, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("sk_skb/verdict", ProgramType.SK_SKB, 38, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("sk_skb", ProgramType.SK_SKB, 0, false),
            def("sk_msg", ProgramType.SK_MSG, 7, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("lirc_mode2", ProgramType.LIRC_MODE2, 16, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("flow_dissector", ProgramType.FLOW_DISSECTOR, 17, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("cgroup_skb/ingress", ProgramType.CGROUP_SKB, 0, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("cgroup_skb/egress", ProgramType.CGROUP_SKB, 1, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("cgroup/skb", ProgramType.CGROUP_SKB, 0, false),
            def("cgroup/sock_create", ProgramType.CGROUP_SOCK, 2, false, SecFlag.ATTACHABLE),
            def("cgroup/sock_release", ProgramType.CGROUP_SOCK, 34, false, SecFlag.ATTACHABLE),
            def("cgroup/sock", ProgramType.CGROUP_SOCK, 2, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("cgroup/post_bind4", ProgramType.CGROUP_SOCK, 12, false, SecFlag.ATTACHABLE),
            def("cgroup/post_bind6", ProgramType.CGROUP_SOCK, 13, false, SecFlag.ATTACHABLE),
            def("cgroup/bind4", ProgramType.CGROUP_SOCK_ADDR, 8, false, SecFlag.ATTACHABLE),
            def("cgroup/bind6", ProgramType.CGROUP_SOCK_ADDR, 9, false, SecFlag.ATTACHABLE),
            def("cgroup/connect4", ProgramType.CGROUP_SOCK_ADDR, 10, false, SecFlag.ATTACHABLE),
            def("cgroup/connect6", ProgramType.CGROUP_SOCK_ADDR, 11, false, SecFlag.ATTACHABLE),
            def("cgroup/connect_unix", ProgramType.CGROUP_SOCK_ADDR, 49, false, SecFlag.ATTACHABLE),
            def("cgroup/sendmsg4", ProgramType.CGROUP_SOCK_ADDR, 14, false, SecFlag.ATTACHABLE),
            def("cgroup/sendmsg6", ProgramType.CGROUP_SOCK_ADDR, 15, false, SecFlag.ATTACHABLE),
            def("cgroup/sendmsg_unix", ProgramType.CGROUP_SOCK_ADDR, 50, false, SecFlag.ATTACHABLE),
            def("cgroup/recvmsg4", ProgramType.CGROUP_SOCK_ADDR, 19, false, SecFlag.ATTACHABLE),
            def("cgroup/recvmsg6", ProgramType.CGROUP_SOCK_ADDR, 20, false, SecFlag.ATTACHABLE),
            def("cgroup/recvmsg_unix", ProgramType.CGROUP_SOCK_ADDR, 51, false, SecFlag.ATTACHABLE),
            def("cgroup/getpeername4", ProgramType.CGROUP_SOCK_ADDR, 29, false, SecFlag.ATTACHABLE),
            def("cgroup/getpeername6", ProgramType.CGROUP_SOCK_ADDR, 30, false, SecFlag.ATTACHABLE),
            def("cgroup/getpeername_unix", ProgramType.CGROUP_SOCK_ADDR, 52, false, SecFlag.ATTACHABLE),
            def("cgroup/getsockname4", ProgramType.CGROUP_SOCK_ADDR, 31, false, SecFlag.ATTACHABLE),
            def("cgroup/getsockname6", ProgramType.CGROUP_SOCK_ADDR, 32, false, SecFlag.ATTACHABLE),
            def("cgroup/getsockname_unix", ProgramType.CGROUP_SOCK_ADDR, 53, false, SecFlag.ATTACHABLE),
            def("cgroup/sysctl", ProgramType.CGROUP_SYSCTL, 18, false, SecFlag.ATTACHABLE),
            def("cgroup/getsockopt", ProgramType.CGROUP_SOCKOPT, 21, false, SecFlag.ATTACHABLE),
            def("cgroup/setsockopt", ProgramType.CGROUP_SOCKOPT, 22, false, SecFlag.ATTACHABLE),
            def("cgroup/dev", ProgramType.CGROUP_DEVICE, 6, false, SecFlag.EXP_ATTACH_OPT, SecFlag.ATTACHABLE),
            def("struct_ops+", ProgramType.STRUCT_OPS, 0, false),
            def("struct_ops.s+", ProgramType.STRUCT_OPS, 0, false, SecFlag.SLEEPABLE),
            def("sk_lookup", ProgramType.SK_LOOKUP, 36, false, SecFlag.ATTACHABLE),
            def("netfilter", ProgramType.NETFILTER, 45, false));

    /** Every built-in entry, in matching order. */
    public static List<SectionDef> builtin() {
        return BUILTIN;
    }

    /** The first entry matching {@code sectionName} (given without a leading {@code ?}). */
    public static Optional<SectionDef> find(String sectionName) {
        for (SectionDef def : BUILTIN) {
            if (def.matches(sectionName)) {
                return Optional.of(def);
            }
        }
        return Optional.empty();
    }

    /** Classifies an ELF section name as libbpf does when it carves programs out of it. */
    public static ProgramSection classify(String elfSectionName) {
        boolean noAutoload = elfSectionName.startsWith("?");
        String name = noAutoload ? elfSectionName.substring(1) : elfSectionName;
        return new ProgramSection(elfSectionName, name, !noAutoload, find(name));
    }
}
