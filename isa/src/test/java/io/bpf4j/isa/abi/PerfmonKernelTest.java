package io.bpf4j.isa.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelProfile#withoutPerfmon()} against the running kernel asked by a process without
 * CAP_PERFMON and CAP_SYS_ADMIN (capsh drops them from the bounding set; CAP_BPF and
 * CAP_NET_ADMIN stay, so networking program types still load).
 */
@Tag("kernel")
class PerfmonKernelTest {

    static final List<Object[]> TARGETS = List.of(
            new Object[] {ProgramType.XDP, AttachType.XDP},
            new Object[] {ProgramType.SCHED_CLS, null},
            new Object[] {ProgramType.SOCKET_FILTER, null},
            new Object[] {ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS},
            new Object[] {ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE},
            new Object[] {ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT},
            new Object[] {ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS},
            new Object[] {ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT},
            new Object[] {ProgramType.SK_MSG, AttachType.SK_MSG_VERDICT},
            new Object[] {ProgramType.FLOW_DISSECTOR, AttachType.FLOW_DISSECTOR},
            new Object[] {ProgramType.LWT_XMIT, null},
            new Object[] {ProgramType.SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT},
            new Object[] {ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP},
            new Object[] {ProgramType.CGROUP_DEVICE, AttachType.CGROUP_DEVICE},
            new Object[] {ProgramType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL},
            new Object[] {ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_SETSOCKOPT},
            new Object[] {ProgramType.NETFILTER, AttachType.NETFILTER});

    @Test
    void helpersWithoutPerfmonAreTheKernels() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/capsh")) || Files.isExecutable(Path.of("/sbin/capsh")),
                "capsh not installed");
        String capsh = Files.isExecutable(Path.of("/usr/sbin/capsh")) ? "/usr/sbin/capsh" : "/sbin/capsh";
        KernelProfile p = KernelProfile.linux618().withoutPerfmon();
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        try (LiveBpf live = LiveBpf.startOrSkip(List.of(capsh, "--drop=cap_sys_admin,cap_perfmon", "--", "-c"))) {
            for (Object[] t : TARGETS) {
                ProgramType type = (ProgramType) t[0];
                AttachType attach = (AttachType) t[1];
                List<Integer> kernel = live.helpers(type, attach, 0, 0, 211);
                assertThat(kernel).as(type + " must load with CAP_BPF and CAP_NET_ADMIN").isNotNull();
                for (int id = 1; id <= 211; id++) {
                    boolean mine = p.allows(type, attach, id);
                    compared++;
                    if (mine != kernel.contains(id) && !(mine && p.buildOptions().containsKey(id))) {
                        wrong.add(type.displayName() + ": " + HelperId.ofId(id).helperName()
                                + (mine ? " only in the table" : " only in the kernel"));
                    }
                }
            }
        }
        System.out.println("[PerfmonKernelTest] " + compared + " answers without CAP_PERFMON compared, " + wrong.size() + " differ");
        assertThat(wrong).isEmpty();
    }
}
