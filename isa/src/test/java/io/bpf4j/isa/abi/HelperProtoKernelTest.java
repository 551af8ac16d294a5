package io.bpf4j.isa.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The prototypes against the running kernel's verifier. Each helper (each prototype variant, in a
 * program type that gets it) is called with R1..R5 all holding the scalar 0. The verifier checks
 * the arguments in order, so the first argument that cannot be a NULL/zero scalar is the one it
 * names: {@code R<n> type=scalar expected=...} (or {@code R<n> invalid zero-sized read} for a
 * constant size), and a helper whose every argument takes 0 loads. A helper that may sleep is
 * refused in a non-sleepable program before its arguments are looked at, and one with an attach
 * target allowlist in a program without such a target. So the number of arguments, their
 * nullability, might_sleep and the allowlist of every prototype are compared with the kernel.
 */
@Tag("kernel")
class HelperProtoKernelTest {

    record Target(ProgramType type, AttachType attach, int flags) {
    }

    static final List<Target> TARGETS = List.of(
            new Target(ProgramType.SCHED_CLS, null, 0),
            new Target(ProgramType.XDP, AttachType.XDP, 0),
            new Target(ProgramType.SOCKET_FILTER, null, 0),
            new Target(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, 0),
            new Target(ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE, 0),
            new Target(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT, 0),
            new Target(ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS, 0),
            new Target(ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT, 0),
            new Target(ProgramType.SK_MSG, AttachType.SK_MSG_VERDICT, 0),
            new Target(ProgramType.FLOW_DISSECTOR, AttachType.FLOW_DISSECTOR, 0),
            new Target(ProgramType.LWT_IN, null, 0),
            new Target(ProgramType.LWT_XMIT, null, 0),
            new Target(ProgramType.SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT, 0),
            new Target(ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP, 0),
            new Target(ProgramType.CGROUP_DEVICE, AttachType.CGROUP_DEVICE, 0),
            new Target(ProgramType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL, 0),
            new Target(ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_SETSOCKOPT, 0),
            new Target(ProgramType.KPROBE, null, 0),
            new Target(ProgramType.TRACEPOINT, null, 0),
            new Target(ProgramType.PERF_EVENT, null, 0),
            new Target(ProgramType.RAW_TRACEPOINT, null, 0),
            new Target(ProgramType.NETFILTER, AttachType.NETFILTER, 0),
            new Target(ProgramType.SYSCALL, null, 1 << 4));

    /** What the verifier should say about {@code call h} with R1..R5 = 0; "" when it accepts. */
    static String predict(HelperProto h, boolean sleepable) {
        if (h.targetAllowlist()) {
            // none of these programs has an attach target on the kernel's lists
            return "helper call is not allowed in probe";
        }
        if (h.mightSleep() && !sleepable) {
            return "helper call might sleep in a non-sleepable prog";
        }
        for (int i = 0; i < h.args().size(); i++) {
            ArgSpec a = h.args().get(i);
            switch (a.kind()) {
                case ANYTHING, SCALAR, CONST_SIZE_OR_ZERO, CONST_ALLOC_SIZE_OR_ZERO, DONTCARE -> {
                    continue;
                }
                case CONST_SIZE -> {
                    return "R" + (i + 1) + " invalid zero-sized read";
                }
                default -> {
                    if (a.maybeNull()) {
                        continue;
                    }
                    return "R" + (i + 1) + " type=scalar expected=";
                }
            }
        }
        return "";
    }

    @Test
    void argumentsAsTheKernelChecksThem() {
        KernelProfile p = KernelProfile.linux618();
        List<String> wrong = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int checked = 0;
        try (LiveBpf live = LiveBpf.startOrSkip()) {
            for (Target t : TARGETS) {
                for (int id : p.helperIds(t.type())) {
                    HelperProto h = p.helper(t.type(), t.attach(), id).orElse(null);
                    if (h == null || !seen.add(h.name() + "@" + h.variant() + (h.mightSleep() ? t.flags() : ""))) {
                        continue;
                    }
                    byte[] prog = LiveBpf.concat(
                            LiveBpf.insn(0xb7, 1, 0, 0, 0), LiveBpf.insn(0xb7, 2, 0, 0, 0),
                            LiveBpf.insn(0xb7, 3, 0, 0, 0), LiveBpf.insn(0xb7, 4, 0, 0, 0),
                            LiveBpf.insn(0xb7, 5, 0, 0, 0), LiveBpf.insn(0x85, 0, 0, 0, id),
                            LiveBpf.exitWith(t.type() == ProgramType.CGROUP_SOCK_ADDR || t.type() == ProgramType.CGROUP_SKB
                                    || t.type() == ProgramType.CGROUP_SOCK ? 1 : 0));
                    LiveBpf.Verdict v = live.load(t.type(), t.attach(), t.flags(), 0, 1, prog);
                    String expected = predict(h, t.flags() != 0);
                    String kernel = v.ok() ? "" : v.errorLine();
                    checked++;
                    if (v.log().contains("cannot use helper")) {
                        continue; // a build choice the helper-table test reports
                    }
                    if (expected.isEmpty() ? !kernel.isEmpty() : !kernel.startsWith(expected)) {
                        wrong.add(t.type().displayName() + " " + h + ": kernel '" + kernel + "', expected '" + expected + "'");
                    }
                }
            }
        }
        System.out.println("[HelperProtoKernelTest] " + checked + " prototypes called, " + wrong.size() + " differ");
        assertThat(checked).isGreaterThan(150);
        assertThat(wrong).isEmpty();
    }
}
