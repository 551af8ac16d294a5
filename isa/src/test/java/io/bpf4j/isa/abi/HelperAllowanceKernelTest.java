package io.bpf4j.isa.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which helpers a program type may call, per expected attach type, against the running kernel:
 * {@link KernelProfile#allows(ProgramType, AttachType, int)} must name exactly the helpers the
 * kernel does not refuse with "program of this type cannot use helper", except helpers the
 * table marks as build choices (reported, not failed).
 */
@Tag("kernel")
class HelperAllowanceKernelTest {

    record Target(ProgramType type, AttachType attach, int flags, String btfTarget) {
        Target(ProgramType type, AttachType attach, int flags) {
            this(type, attach, flags, null);
        }
    }

    static final List<Target> TARGETS = List.of(
            new Target(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_BIND, 0),
            new Target(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_CONNECT, 0),
            new Target(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_CONNECT, 0),
            new Target(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_SENDMSG, 0),
            new Target(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_RECVMSG, 0),
            new Target(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_GETPEERNAME, 0),
            new Target(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_GETSOCKNAME, 0),
            new Target(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_GETPEERNAME, 0),
            new Target(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_RECVMSG, 0),
            new Target(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_SENDMSG, 0),
            new Target(ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_GETSOCKOPT, 0),
            new Target(ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_SETSOCKOPT, 0),
            new Target(ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET4_POST_BIND, 0),
            new Target(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS, 0),
            new Target(ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_PARSER, 0),
            new Target(ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI, 0),
            new Target(ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, 0),
            new Target(ProgramType.XDP, AttachType.XDP_DEVMAP, 0),
            new Target(ProgramType.XDP, AttachType.XDP_CPUMAP, 0),
            new Target(ProgramType.SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT_OR_MIGRATE, 0),
            new Target(ProgramType.LWT_SEG6LOCAL, null, 0),
            new Target(ProgramType.SYSCALL, null, 1 << 4),
            // BTF-typed tracing programs (fentry/fexit/LSM are refused with EPERM on this machine)
            new Target(ProgramType.TRACING, AttachType.TRACE_RAW_TP, 0, "btf_trace_sched_switch"),
            new Target(ProgramType.TRACING, AttachType.TRACE_ITER, 0, "bpf_iter_task"));

    @Test
    void perAttachTypeAllowancesAreTheKernels() {
        KernelProfile p = KernelProfile.linux618();
        List<String> wrong = new ArrayList<>();
        List<String> build = new ArrayList<>();
        int compared = 0;
        try (LiveBpf live = LiveBpf.startOrSkip()) {
            java.util.Map<String, Integer> btf = LiveBpf.vmlinuxIds(java.util.Set.of("btf_trace_sched_switch", "bpf_iter_task"));
            for (Target t : TARGETS) {
                int btfId = 0;
                if (t.btfTarget() != null) {
                    Integer id = btf.get(t.btfTarget());
                    if (id == null) {
                        build.add(t + ": no BTF id for " + t.btfTarget());
                        continue;
                    }
                    btfId = id;
                }
                List<Integer> kernel = live.helpers(t.type(), t.attach(), t.flags(), btfId, 211);
                if (kernel == null) {
                    build.add(t + ": not loadable here");
                    continue;
                }
                Set<Integer> mine = new TreeSet<>();
                for (int id = 1; id <= 211; id++) {
                    if (p.allows(t.type(), t.attach(), id)) {
                        mine.add(id);
                    }
                }
                for (int id = 1; id <= 211; id++) {
                    boolean k = kernel.contains(id);
                    boolean m = mine.contains(id);
                    compared++;
                    if (k == m) {
                        continue;
                    }
                    String line = t.type().displayName() + "/" + (t.attach() == null ? "-" : t.attach().displayName())
                            + ": " + HelperId.ofId(id).helperName() + (m ? " only in the table" : " only in the kernel");
                    if (m && p.buildOptions().containsKey(id)) {
                        build.add(line + " (" + p.buildOptions().get(id) + ")");
                    } else {
                        wrong.add(line);
                    }
                }
            }
        }
        System.out.println("[HelperAllowanceKernelTest] " + compared + " (type, attach, helper) answers compared; build choices: "
                + build);
        assertThat(wrong).isEmpty();
    }

    @Test
    void btfTracingReturnRanges() {
        KernelProfile p = KernelProfile.linux618();
        List<String> wrong = new ArrayList<>();
        try (LiveBpf live = LiveBpf.startOrSkip()) {
            java.util.Map<String, Integer> btf = LiveBpf.vmlinuxIds(java.util.Set.of("btf_trace_sched_switch", "bpf_iter_task"));
            org.junit.jupiter.api.Assumptions.assumeTrue(btf.size() == 2, "vmlinux BTF ids not found");
            for (Target t : List.of(new Target(ProgramType.TRACING, AttachType.TRACE_RAW_TP, 0, "btf_trace_sched_switch"),
                    new Target(ProgramType.TRACING, AttachType.TRACE_ITER, 0, "bpf_iter_task"))) {
                ContextLayout l = p.context(t.type(), t.attach());
                for (long v : new long[] {-1, 0, 1, 2, 7}) {
                    LiveBpf.Verdict k = live.load(t.type(), t.attach(), 0, btf.get(t.btfTarget()), 1, LiveBpf.exitWith((int) v));
                    boolean mine = l.returnRange().map(r -> r.contains(v)).orElse(true);
                    if (k.ok() != mine) {
                        wrong.add(t + " r0=" + v + ": kernel " + (k.ok() ? "accepts" : k.errorLine()));
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}
