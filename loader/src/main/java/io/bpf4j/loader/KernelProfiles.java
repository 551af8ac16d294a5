package io.bpf4j.loader;

import io.bpf4j.isa.BpfException;
import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.isa.abi.KernelProfile;
import io.bpf4j.isa.abi.ProgramType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kernel profiles for the verifier that match the host: the built-in Linux 6.18 profile narrowed
 * to the helpers the running kernel offers each program type.
 *
 * <p>Kernel builds differ (config options, lockdown, backports), so a program the built-in
 * profile accepts may still be refused here. {@link #probe()} asks the running kernel the way
 * {@code bpftool feature probe} does: for each program type and helper it loads
 * {@code call helper; r0 = 0; exit} and looks for the verifier's "program of this type cannot use
 * helper" (or "unknown func") refusal. It talks to bpf(2) through a small python3 ctypes script
 * (Java 17 cannot make the system call itself) and needs the rights to load programs (root).
 */
public final class KernelProfiles {

    private KernelProfiles() {
    }

    /** How a program type is loaded for probing: the expected attach types tried (answers are joined) and flags. */
    record ProbeTarget(ProgramType type, List<AttachType> attachTypes, int progFlags) {
    }

    /** BPF_F_SLEEPABLE: syscall programs must be sleepable. */
    private static final int F_SLEEPABLE = 1 << 4;

    /**
     * The program types probed. Tracing, LSM, extension and struct_ops programs need an attach
     * target (a BTF id) to load at all; their tables stay as built in.
     */
    static final List<ProbeTarget> TARGETS = List.of(
            new ProbeTarget(ProgramType.SOCKET_FILTER, List.of(), 0),
            new ProbeTarget(ProgramType.KPROBE, List.of(), 0),
            new ProbeTarget(ProgramType.SCHED_CLS, List.of(), 0),
            new ProbeTarget(ProgramType.SCHED_ACT, List.of(), 0),
            new ProbeTarget(ProgramType.TRACEPOINT, List.of(), 0),
            new ProbeTarget(ProgramType.XDP, List.of(AttachType.XDP), 0),
            new ProbeTarget(ProgramType.PERF_EVENT, List.of(), 0),
            new ProbeTarget(ProgramType.CGROUP_SKB, List.of(AttachType.CGROUP_INET_INGRESS), 0),
            new ProbeTarget(ProgramType.CGROUP_SOCK, List.of(AttachType.CGROUP_INET_SOCK_CREATE), 0),
            new ProbeTarget(ProgramType.LWT_IN, List.of(), 0),
            new ProbeTarget(ProgramType.LWT_OUT, List.of(), 0),
            new ProbeTarget(ProgramType.LWT_XMIT, List.of(), 0),
            new ProbeTarget(ProgramType.SOCK_OPS, List.of(AttachType.CGROUP_SOCK_OPS), 0),
            new ProbeTarget(ProgramType.SK_SKB, List.of(AttachType.SK_SKB_STREAM_VERDICT), 0),
            new ProbeTarget(ProgramType.CGROUP_DEVICE, List.of(AttachType.CGROUP_DEVICE), 0),
            new ProbeTarget(ProgramType.SK_MSG, List.of(AttachType.SK_MSG_VERDICT), 0),
            new ProbeTarget(ProgramType.RAW_TRACEPOINT, List.of(), 0),
            new ProbeTarget(ProgramType.CGROUP_SOCK_ADDR, List.of(AttachType.CGROUP_INET4_CONNECT,
                    AttachType.CGROUP_INET4_BIND, AttachType.CGROUP_UDP4_RECVMSG), 0),
            new ProbeTarget(ProgramType.LWT_SEG6LOCAL, List.of(), 0),
            new ProbeTarget(ProgramType.LIRC_MODE2, List.of(AttachType.LIRC_MODE2), 0),
            new ProbeTarget(ProgramType.SK_REUSEPORT, List.of(AttachType.SK_REUSEPORT_SELECT), 0),
            new ProbeTarget(ProgramType.FLOW_DISSECTOR, List.of(AttachType.FLOW_DISSECTOR), 0),
            new ProbeTarget(ProgramType.CGROUP_SYSCTL, List.of(AttachType.CGROUP_SYSCTL), 0),
            new ProbeTarget(ProgramType.RAW_TRACEPOINT_WRITABLE, List.of(), 0),
            new ProbeTarget(ProgramType.CGROUP_SOCKOPT, List.of(AttachType.CGROUP_SETSOCKOPT,
                    AttachType.CGROUP_GETSOCKOPT), 0),
            new ProbeTarget(ProgramType.SK_LOOKUP, List.of(AttachType.SK_LOOKUP), 0),
            new ProbeTarget(ProgramType.SYSCALL, List.of(), F_SLEEPABLE),
            new ProbeTarget(ProgramType.NETFILTER, List.of(AttachType.NETFILTER), 0));

    /** What the running kernel answered: helper ids per program type, and the types it would not load. */
    public record HelperProbe(Map<ProgramType, Set<Integer>> allowed, Map<ProgramType, String> notLoadable) {
        /** Checks the probe's fields. */
        public HelperProbe {
            allowed = Collections.unmodifiableMap(new EnumMap<>(allowed.isEmpty()
                    ? new EnumMap<ProgramType, Set<Integer>>(ProgramType.class) : allowed));
            notLoadable = Collections.unmodifiableMap(notLoadable.isEmpty()
                    ? new EnumMap<ProgramType, String>(ProgramType.class) : new EnumMap<>(notLoadable));
        }
    }

    /**
     * The built-in profile ({@link KernelProfile#linux618()}) with every probed program type
     * restricted to the helpers the running kernel lets it call; program types the kernel would
     * not load (not built, or needing an attach target) lose no helpers. The answer is computed
     * once per JVM (it takes some seconds) and then reused.
     *
     * @throws BpfException when the kernel cannot be asked (not root, no python3, no BPF)
     */
    public static KernelProfile probe() {
        KernelProfile p = probed;
        if (p == null) {
            synchronized (KernelProfiles.class) {
                p = probed;
                if (p == null) {
                    // about 7000 trial loads, several seconds: the running kernel does not change, ask once
                    p = restrict(KernelProfile.linux618(), probeHelpers());
                    probed = p;
                }
            }
        }
        return p;
    }

    private static volatile KernelProfile probed;

    /** {@link #probe()}, or the built-in profile unchanged when the kernel cannot be asked. */
    public static KernelProfile probeOrBuiltIn() {
        try {
            return probe();
        } catch (BpfException e) {
            return KernelProfile.linux618();
        }
    }

    /** {@code profile} with each probed program type narrowed to the live answer. */
    public static KernelProfile restrict(KernelProfile profile, HelperProbe live) {
        KernelProfile p = profile;
        for (Map.Entry<ProgramType, Set<Integer>> e : live.allowed().entrySet()) {
            p = p.withHelpers(e.getKey(), e.getValue());
        }
        return p;
    }

    /** Asks the running kernel which helper ids each program type of {@link #TARGETS} may call. */
    public static HelperProbe probeHelpers() {
        int maxId = 0;
        for (HelperId h : HelperId.values()) {
            maxId = Math.max(maxId, h.id());
        }
        Map<ProgramType, Set<Integer>> allowed = new EnumMap<>(ProgramType.class);
        Map<ProgramType, String> refused = new EnumMap<>(ProgramType.class);
        try (Prober prober = Prober.start()) {
            for (ProbeTarget t : TARGETS) {
                List<AttachType> attaches = t.attachTypes().isEmpty() ? java.util.Arrays.asList((AttachType) null)
                        : t.attachTypes();
                Set<Integer> ids = null;
                String why = null;
                for (AttachType a : attaches) {
                    String answer = prober.ask("helpers " + t.type().id() + " " + (a == null ? 0 : a.id()) + " "
                            + t.progFlags() + " 0 " + maxId);
                    if (answer.contains("\"ok\": true")) {
                        if (ids == null) {
                            ids = new TreeSet<>();
                        }
                        ids.addAll(parseIds(answer));
                    } else if (why == null) {
                        why = "errno " + field(answer, "errno");
                    }
                }
                if (ids != null) {
                    allowed.put(t.type(), Collections.unmodifiableSet(ids));
                } else {
                    refused.put(t.type(), why);
                }
            }
        }
        return new HelperProbe(allowed, refused);
    }

    /**
     * Differences between a profile's helper table and a live answer, by name, one line per
     * program type and direction: {@code "xdp: only in profile: bpf_x, bpf_y"} and
     * {@code "xdp: only in kernel: bpf_z"}.
     */
    public static List<String> differences(KernelProfile profile, HelperProbe live) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<ProgramType, Set<Integer>> e : live.allowed().entrySet()) {
            Set<Integer> mine = profile.helperIds(e.getKey());
            Set<Integer> onlyMine = new TreeSet<>(mine);
            onlyMine.removeAll(e.getValue());
            Set<Integer> onlyLive = new TreeSet<>(e.getValue());
            onlyLive.removeAll(mine);
            if (!onlyMine.isEmpty()) {
                out.add(e.getKey().displayName() + ": only in profile: " + names(onlyMine));
            }
            if (!onlyLive.isEmpty()) {
                out.add(e.getKey().displayName() + ": only in kernel: " + names(onlyLive));
            }
        }
        return out;
    }

    static String names(Set<Integer> ids) {
        List<String> n = new ArrayList<>();
        for (int id : ids) {
            HelperId h = HelperId.ofId(id);
            n.add(h == null ? "#" + id : h.helperName());
        }
        return String.join(", ", n);
    }

    private static List<Integer> parseIds(String json) {
        Matcher m = Pattern.compile("\"allowed\": \\[([0-9, ]*)]").matcher(json);
        List<Integer> ids = new ArrayList<>();
        if (m.find()) {
            for (String s : m.group(1).split(",\\s*")) {
                if (!s.isBlank()) {
                    ids.add(Integer.parseInt(s.trim()));
                }
            }
        }
        return ids;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (-?\\d+)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    /** The python3 helper process (bpf_probe.py): one request and one JSON answer per line. */
    static final class Prober implements AutoCloseable {
        private final Process process;
        private final Path script;
        private final Writer in;
        private final BufferedReader out;

        private Prober(Process process, Path script) {
            this.process = process;
            this.script = script;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Prober start() {
            Path script = null;
            try {
                script = Files.createTempFile("bpf4j-probe", ".py");
                try (InputStream s = KernelProfiles.class.getResourceAsStream("bpf_probe.py")) {
                    if (s == null) {
                        throw new BpfException("bpf_probe.py missing from the loader jar");
                    }
                    Files.write(script, s.readAllBytes());
                }
                Process p = new ProcessBuilder("python3", script.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                Prober prober = new Prober(p, script);
                // a trivial socket filter tells whether programs can be loaded here at all
                String answer = prober.ask("load 1 0 0 0 0 b700000000000000" + "9500000000000000");
                if (!answer.contains("\"ok\": true")) {
                    prober.close();
                    throw new BpfException("cannot load BPF programs here (" + answer.trim()
                            + "); probing needs root");
                }
                return prober;
            } catch (IOException e) {
                deleteQuietly(script);
                throw new BpfException("cannot start python3 to probe the kernel: " + e.getMessage(), e);
            }
        }

        String ask(String request) {
            try {
                in.write(request + "\n");
                in.flush();
                String line = out.readLine();
                if (line == null) {
                    throw new BpfException("the probe helper exited (is python3 with ctypes available?)");
                }
                return line;
            } catch (IOException e) {
                throw new BpfException("probe helper: " + e.getMessage(), e);
            }
        }

        /** Stops the probe helper process. */
        @Override
        public void close() {
            try {
                in.close();
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            } finally {
                process.destroy();
                deleteQuietly(script);
            }
        }

        private static void deleteQuietly(Path p) {
            if (p != null) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }
}
