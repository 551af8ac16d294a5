package io.bpf4j.isa.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in context layouts against the running kernel: for each program type (and attach
 * type where the rules depend on it), every aligned load and store of 1, 2, 4 and 8 bytes over the
 * context (sampled for the large flat contexts) is loaded into the kernel, and its verdict, error
 * line and the register type it yields must be what {@link ContextLayout#access} says. Return
 * ranges are checked the same way with {@code r0 = v; exit}.
 */
@Tag("kernel")
class ContextLayoutKernelTest {

    record Case(ProgramType type, AttachType attach, int flags) {
        @Override
        public String toString() {
            return type.displayName() + (attach == null ? "" : "/" + attach.displayName());
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case(ProgramType.XDP, AttachType.XDP, 0),
                new Case(ProgramType.XDP, AttachType.XDP_DEVMAP, 0),
                new Case(ProgramType.SCHED_CLS, null, 0),
                new Case(ProgramType.SCHED_ACT, null, 0),
                new Case(ProgramType.SOCKET_FILTER, null, 0),
                new Case(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, 0),
                new Case(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS, 0),
                new Case(ProgramType.LWT_IN, null, 0),
                new Case(ProgramType.LWT_XMIT, null, 0),
                new Case(ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT, 0),
                new Case(ProgramType.SK_MSG, AttachType.SK_MSG_VERDICT, 0),
                new Case(ProgramType.FLOW_DISSECTOR, AttachType.FLOW_DISSECTOR, 0),
                new Case(ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE, 0),
                new Case(ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET4_POST_BIND, 0),
                new Case(ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET6_POST_BIND, 0),
                new Case(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT, 0),
                new Case(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_BIND, 0),
                new Case(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_SENDMSG, 0),
                new Case(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_SENDMSG, 0),
                new Case(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_RECVMSG, 0),
                new Case(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_CONNECT, 0),
                new Case(ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS, 0),
                new Case(ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP, 0),
                new Case(ProgramType.CGROUP_DEVICE, AttachType.CGROUP_DEVICE, 0),
                new Case(ProgramType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL, 0),
                new Case(ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_GETSOCKOPT, 0),
                new Case(ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_SETSOCKOPT, 0),
                new Case(ProgramType.KPROBE, null, 0),
                new Case(ProgramType.TRACEPOINT, null, 0),
                new Case(ProgramType.RAW_TRACEPOINT, null, 0),
                new Case(ProgramType.RAW_TRACEPOINT_WRITABLE, null, 0),
                new Case(ProgramType.PERF_EVENT, null, 0),
                // syscall programs must be sleepable (BPF_F_SLEEPABLE)
                new Case(ProgramType.SYSCALL, null, 1 << 4));
    }

    private static LiveBpf live;
    private static final Pattern YIELD = Pattern.compile(" R2(?:_w)?=([a-z_]+)");

    @BeforeAll
    static void start() {
        live = LiveBpf.startOrSkip();
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    private static List<Integer> offsets(ContextLayout l, int size) {
        TreeSet<Integer> s = new TreeSet<>();
        int end = l.size() + 8;
        if (l.size() <= 256) {
            for (int off = 0; off < end; off += size) {
                s.add(off);
            }
        } else {
            for (int off = 0; off < 72; off += size) {
                s.add(off);
            }
            // an instruction's offset is a signed 16-bit number: past 32767 only pointer arithmetic reaches
            int last = Math.min(l.size(), 32768);
            for (int off = (last / 8) * 8 - 16; off < Math.min(last + 8, 32768); off += size) {
                s.add(off - off % size);
            }
        }
        return new ArrayList<>(s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyContextAccessGetsTheKernelsVerdict(Case c) {
        ContextLayout l = KernelProfile.linux618().context(c.type(), c.attach());
        int ret = l.returnRange().map(r -> (int) r.min()).orElse(0);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (boolean write : new boolean[] {false, true}) {
            for (int size : new int[] {1, 2, 4, 8}) {
                for (int off : offsets(l, size)) {
                    byte[] prog = write ? LiveBpf.ctxStore(off, size, ret) : LiveBpf.ctxLoad(off, size, ret);
                    LiveBpf.Verdict v = live.load(c.type(), c.attach(), c.flags(), 0, 2, prog);
                    CtxAccess mine = l.access(off, size, write);
                    checked++;
                    String what = (write ? "store" : "load") + " off=" + off + " size=" + size;
                    if (v.ok() != mine.valid()) {
                        wrong.add(what + ": kernel " + (v.ok() ? "accepts" : "refuses (" + v.errorLine() + ")")
                                + ", layout " + (mine.valid() ? "accepts" : "refuses"));
                        continue;
                    }
                    if (!v.ok()) {
                        String expected = "invalid bpf_context access off=" + off + " size=" + size;
                        if (!v.errorLine().equals(expected)) {
                            wrong.add(what + ": kernel says '" + v.errorLine() + "'");
                        }
                    } else if (!write) {
                        Matcher m = YIELD.matcher(v.log());
                        String kernelKind = m.find() ? m.group(1) : "?";
                        if (!kernelKind.equals(mine.yields().logName())) {
                            wrong.add(what + ": kernel yields " + kernelKind + ", layout " + mine.yields().logName());
                        }
                    }
                }
            }
        }
        assertThat(checked).isPositive();
        assertThat(wrong).as("%s: %d of %d accesses differ from the kernel", c, wrong.size(), checked).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void returnRangeIsTheKernels(Case c) {
        ContextLayout l = KernelProfile.linux618().context(c.type(), c.attach());
        List<Long> values = new ArrayList<>(List.of(-1L, 0L, 1L, 2L, 3L, 4L, 7L, 1000L));
        List<String> wrong = new ArrayList<>();
        for (long v : values) {
            LiveBpf.Verdict k = live.load(c.type(), c.attach(), c.flags(), 0, 1, LiveBpf.exitWith((int) v));
            boolean mine = l.returnRange().map(r -> r.contains(v)).orElse(true);
            if (k.ok() != mine) {
                wrong.add("r0=" + v + ": kernel " + (k.ok() ? "accepts" : "refuses (" + k.errorLine() + ")")
                        + ", layout range " + l.returnRange().map(Object::toString).orElse("none"));
            }
        }
        assertThat(wrong).as("%s", c).isEmpty();
    }
}
