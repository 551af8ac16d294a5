package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapOfMaps;
import io.bpf4j.maps.ProgArray;
import io.bpf4j.maps.ProgramRef;
import io.bpf4j.maps.ValueRef;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LiveKernel;
import io.bpf4j.testdata.Refusal;
import io.bpf4j.testdata.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Live differential runs: every XDP, TC, socket filter and syscall program of the
 * little-endian testdata objects that this machine's kernel accepts
 * (testdata/goldens/kernel-accepts.txt) runs on the same inputs in the kernel
 * (BPF_PROG_TEST_RUN, through {@link LiveKernel}) and in process, in the same order, each
 * object loaded once on each side; retval (or the errno of a refused input), data_out, the
 * syscall context after the run, and after each program's runs the contents of every map the
 * kernel pinned must be equal.
 *
 * <p>prog_array and map-in-map slots hold object ids each side numbers itself, so they are
 * compared by the names of the programs and maps they hold. Counted exclusions: a ring buffer
 * and a bloom filter have no dump, and a syscall context
 * shorter than the program reads, which the kernel refuses (max_ctx_offset) and bpf4j, having
 * no verifier, faults on. Both sides run on CPU 0; per-CPU values are compared CPU by CPU
 * over the kernel's possible CPUs, bpf4j's single CPU standing for CPU 0 and the others zero.
 */
@Tag("kernel")
class KernelDifferentialTest {
    private static final Set<String> PACKET_SECTIONS = Set.of("xdp", "tc", "classifier", "socket");
    private static final Set<MapType> ID_VALUED = EnumSet.of(MapType.PROG_ARRAY, MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS);
    private static final Set<MapType> NO_DUMP = EnumSet.of(MapType.RINGBUF, MapType.BLOOM_FILTER);

    private static final Map<String, AutoCloseable> OPEN = new LinkedHashMap<>();
    private static final AtomicInteger PROGRAMS = new AtomicInteger();
    private static final AtomicInteger OBJECTS = new AtomicInteger();
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();
    private static final AtomicInteger COMPARISONS = new AtomicInteger();
    private static final AtomicInteger EQUAL = new AtomicInteger();
    private static final AtomicInteger EXCLUDED = new AtomicInteger();
    private static final Map<String, List<String>> EXCLUSIONS = new TreeMap<>();

    /** One input: a label and the bytes. */
    record Input(String label, byte[] bytes) {}

    /** The accepted programs of one object, in kernel-accepts.txt order, with their section names. */
    record Plan(String object, Map<String, String> sections) {}

    @BeforeAll
    static void kernel() {
        String why = LiveKernel.unavailableReason();
        if (why != null && Boolean.getBoolean("bpf4j.requireKernel")) {
            fail("bpf4j.requireKernel is set but the kernel cannot be used: " + why);
        }
        Assumptions.assumeTrue(why == null, () -> "needs the kernel: " + why);
    }

    @AfterAll
    static void summary() throws Exception {
        for (AutoCloseable c : OPEN.values()) {
            c.close();
        }
        OPEN.clear();
        System.out.printf("kernel differential: %d objects, %d programs, %d runs (%d refused by the kernel), %d comparisons, %d equal, %d excluded%n",
                OBJECTS.get(), PROGRAMS.get(), RUNS.get(), REFUSED.get(), COMPARISONS.get(), EQUAL.get(), EXCLUDED.get());
        EXCLUSIONS.forEach((why, where) -> System.out.println("  excluded " + where.size() + "x: " + why + ": " + String.join(", ", where)));
    }

    static List<Plan> plans() throws Exception {
        Map<String, Map<String, String>> byObject = new LinkedHashMap<>();
        for (String line : Files.readAllLines(TestData.kernelAccepts())) {
            String[] f = line.split(" ");
            if (line.startsWith("#") || f.length < 4 || !f[3].equals("accepted") || !f[0].endsWith(".el.o")) {
                continue;
            }
            byObject.computeIfAbsent(f[0], o -> new LinkedHashMap<>()).put(f[2], f[1]);
        }
        List<Plan> out = new ArrayList<>();
        byObject.forEach((o, s) -> out.add(new Plan(o, s)));
        return out;
    }

    @TestFactory
    Stream<DynamicNode> sameAsTheKernel() throws Exception {
        List<Plan> plans = plans();
        assertThat(plans).hasSizeGreaterThan(40);
        return plans.stream()
                .filter(p -> p.sections().values().stream().anyMatch(s -> PACKET_SECTIONS.contains(s) || s.equals("syscall")))
                .map(this::object);
    }

    private DynamicContainer object(Plan plan) {
        Side side = new Side(plan);
        List<DynamicNode> nodes = new ArrayList<>();
        List<String> run = new ArrayList<>();
        plan.sections().forEach((prog, section) -> {
            if (PACKET_SECTIONS.contains(section) || section.equals("syscall")) {
                run.add(prog);
            }
        });
        for (String prog : run) {
            String section = plan.sections().get(prog);
            List<Input> inputs = PACKET_SECTIONS.contains(section) ? packets(plan.object(), prog) : contexts(plan.object(), prog);
            for (Input in : inputs) {
                nodes.add(DynamicTest.dynamicTest(prog + " " + in.label(), () -> side.compareRun(prog, section, in)));
            }
            boolean last = prog.equals(run.get(run.size() - 1));
            nodes.add(DynamicTest.dynamicTest(prog + " maps after", () -> {
                try {
                    side.compareMaps(prog);
                } finally {
                    if (last) {
                        side.close(); // the pins go as soon as the object is done; @AfterAll catches the rest
                    }
                }
            }));
        }
        return DynamicContainer.dynamicContainer(plan.object(), nodes);
    }

    /** The object on both sides, loaded at its first run. */
    private static final class Side implements AutoCloseable {
        private final Plan plan;
        private LiveKernel kernel;
        private BpfObject obj;

        Side(Plan plan) {
            this.plan = plan;
        }

        private void open() {
            if (kernel == null) {
                kernel = LiveKernel.load(TestData.object(plan.object()), plan.sections().keySet());
                OBJECTS.incrementAndGet();
                OPEN.put(plan.object() + " kernel", kernel);
                obj = BpfObject.open(TestData.object(plan.object()));
                OPEN.put(plan.object() + " bpf4j", obj);
                obj.load(LoadOptions.builder().verify(false).build());
            }
        }

        /**
         * Skips (JUnit abort) a program that kernel-accepts.txt lists as accepted but the
         * running kernel refuses: a fact of its build (a helper it lacks, lockdown), reported
         * by name and reason and counted, never a failure of bpf4j.
         */
        private void skipIfRefused(String prog, String what) {
            Refusal why = kernel.refused().get(prog);
            if (why != null) {
                RuntimeException skip = KernelFacts.refusedProgram(plan.object(), why); // fails when nothing explains it
                exclude("kernel-accepts.txt says accepted, this kernel refuses: " + why.reason(), what);
                throw skip;
            }
        }

        void compareRun(String prog, String section, Input in) {
            open();
            skipIfRefused(prog, plan.object() + " " + prog + " " + in.label());
            RUNS.incrementAndGet();
            boolean packet = PACKET_SECTIONS.contains(section);
            LiveKernel.Run k = packet ? kernel.run(prog, in.bytes(), null) : kernel.runContextOnly(prog, in.bytes());
            if (k.error() != null) {
                REFUSED.incrementAndGet();
            }
            String what = plan.object() + " " + prog + " " + in.label();
            String got;
            TestRunResult r = null;
            try {
                r = obj.program(prog).orElseThrow().testRun(packet ? TestRunInput.ofData(in.bytes()) : TestRunInput.ofContext(in.bytes()));
                got = null;
            } catch (TestRunRefusedException e) {
                got = LiveKernel.strerror(e.errno());
            } catch (ProgramFaultException e) {
                if (e.kind() != ProgramFaultException.Kind.MEMORY) {
                    throw e;
                }
                // The kernel refuses a syscall context shorter than the program reads (the
                // verifier's max_ctx_offset, EINVAL); bpf4j has no verifier to know that bound
                // and faults at the read instead (jit TestRun's documented limit).
                boolean shortContext = !packet && "Invalid argument".equals(k.error())
                        && (in.bytes().length == 0 || e.getMessage().contains("'ctx'"));
                if (!shortContext) {
                    throw e;
                }
                exclude("syscall context shorter than the program reads: kernel EINVAL (max_ctx_offset), bpf4j faults at the read", what);
                return;
            }
            compare(what + ": error", got, k.error());
            if (k.error() != null || r == null) {
                return;
            }
            compare(what + ": retval", Integer.toUnsignedString((int) r.retval()), Long.toString(k.retval()));
            if (packet) {
                compare(what + ": data_out", hex(r.dataOut()), hex(k.dataOut()));
            } else {
                compare(what + ": ctx after the run", hex(r.ctxOut()), hex(k.ctxOut()));
            }
        }

        void compareMaps(String prog) {
            open();
            skipIfRefused(prog, plan.object() + " " + prog + " maps after");
            PROGRAMS.incrementAndGet();
            for (Map.Entry<String, String> m : new TreeMap<>(kernel.maps()).entrySet()) {
                String name = m.getKey();
                BpfMap map = obj.map(name).orElseThrow(() -> new AssertionError("bpf4j has no map '" + name + "'"));
                io.bpf4j.maps.BpfMap live = map.runtime().orElseThrow(() -> new AssertionError("map '" + name + "' not created"));
                String what = plan.object() + " " + prog + " map " + name;
                if (NO_DUMP.contains(live.type())) {
                    exclude(live.type() + " map: bpftool has no dump", what);
                    continue;
                }
                if (ID_VALUED.contains(live.type())) {
                    // values are object ids each side numbers itself: compare what they name
                    compare(what + " (slots by name)", bpf4jReferences(live), kernelReferences(live.type(), kernel.dump(name)));
                    continue;
                }
                if (live.type() == MapType.QUEUE || live.type() == MapType.STACK) {
                    byte[] mine;
                    try {
                        mine = live.peek();
                    } catch (MapException e) {
                        mine = null;
                    }
                    compare(what + " peek", hex(mine), hex(kernel.peek(name)));
                    continue;
                }
                compare(what, bpf4jContents(live), kernelContents(kernel.dump(name)));
            }
        }

        private Map<String, String> kernelReferences(MapType type, List<LiveKernel.Element> dump) {
            Map<String, String> out = new TreeMap<>();
            for (LiveKernel.Element e : dump) {
                int id = ByteBuffer.wrap(e.values().get(0)).order(ByteOrder.LITTLE_ENDIAN).getInt();
                out.put(hex(e.key()), type == MapType.PROG_ARRAY ? kernel.programName(id) : kernel.mapName(id));
            }
            return out;
        }

        @Override
        public void close() {
            if (kernel != null) {
                kernel.close();
                obj.close();
                OPEN.remove(plan.object() + " kernel");
                OPEN.remove(plan.object() + " bpf4j");
            }
        }
    }

    /** Key to the name (as the kernel truncates it) of the program or map in that slot. */
    static Map<String, String> bpf4jReferences(io.bpf4j.maps.BpfMap live) {
        Map<String, String> out = new TreeMap<>();
        for (byte[] key : live.keys()) {
            String name;
            if (live.type() == MapType.PROG_ARRAY) { // one class implements both ProgArray and MapOfMaps
                ProgramRef p = ((ProgArray) live).program(ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getInt());
                name = p == null ? null : p.name();
            } else {
                io.bpf4j.maps.BpfMap inner = ((MapOfMaps) live).innerMap(key);
                name = inner == null ? null : inner.name();
            }
            if (name != null) {
                out.put(hex(key), name.length() > 15 ? name.substring(0, 15) : name);
            }
        }
        return out;
    }

    static Map<String, List<String>> kernelContents(List<LiveKernel.Element> dump) {
        Map<String, List<String>> out = new TreeMap<>();
        for (LiveKernel.Element e : dump) {
            List<String> values = new ArrayList<>();
            e.values().forEach(v -> values.add(hex(v)));
            out.put(hex(e.key()), values);
        }
        return out;
    }

    /** Key to values, a per-CPU map with one value per CPU the kernel shows (its possible CPUs). */
    static Map<String, List<String>> bpf4jContents(io.bpf4j.maps.BpfMap live) {
        boolean perCpu = live.type().name().contains("PERCPU");
        int cpus = perCpu ? possibleCpus() : 1;
        Map<String, List<String>> out = new TreeMap<>();
        for (byte[] key : live.keys()) {
            List<String> values = new ArrayList<>();
            if (perCpu) {
                for (int cpu = 0; cpu < cpus; cpu++) {
                    ValueRef v = live.lookupRef(key, cpu);
                    // bpf4j keeps one CPU's values (MapDefinition.DEFAULT_CPUS); runs pinned to
                    // CPU 0 leave the kernel's other CPUs as created: zero
                    values.add(hex(v != null ? v.toByteArray() : cpu >= live.definition().numCpus() ? new byte[live.valueSize()] : null));
                }
            } else {
                values.add(hex(live.lookup(key)));
            }
            out.put(hex(key), values);
        }
        return out;
    }

    /** How many values bpftool shows for a per-CPU element: the kernel's possible CPUs. */
    static int possibleCpus() {
        try {
            String s = Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/possible")).trim();
            int dash = s.lastIndexOf('-');
            return Integer.parseInt(dash < 0 ? s : s.substring(dash + 1)) + 1;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void compare(String what, Object bpf4j, Object kernel) {
        COMPARISONS.incrementAndGet();
        assertThat(bpf4j).as(what + " (bpf4j vs kernel)").isEqualTo(kernel);
        EQUAL.incrementAndGet();
    }

    static synchronized void exclude(String why, String where) {
        EXCLUDED.incrementAndGet();
        EXCLUSIONS.computeIfAbsent(why, w -> new ArrayList<>()).add(where);
    }

    static String hex(byte[] b) {
        return b == null ? null : HexFormat.of().formatHex(b);
    }

    // ---- inputs ----

    private static final byte[] DST_MAC = {2, 0, 0, 0, 0, 2};
    private static final byte[] SRC_MAC = {2, 0, 0, 0, 0, 1};

    static List<Input> packets(String object, String prog) {
        List<Input> in = new ArrayList<>();
        in.add(new Input("zero-64", new byte[64]));
        in.add(new Input("eth-only-14", ethernet(0x0800, new byte[0])));
        in.add(new Input("ipv4-tcp", ethernet(0x0800, ipv4(6, 5, tcp(40000, 80, "GET /".getBytes(StandardCharsets.US_ASCII))))));
        in.add(new Input("ipv4-udp-dport-53", ethernet(0x0800, ipv4(17, 5, udp(5353, 53, "hello".getBytes(StandardCharsets.US_ASCII))))));
        in.add(new Input("ipv4-udp-dport-9", ethernet(0x0800, ipv4(17, 5, udp(5353, 9, new byte[12])))));
        in.add(new Input("ipv4-options-udp", ethernet(0x0800, ipv4(17, 6, udp(1, 9, new byte[4])))));
        byte[] truncated = new byte[10];
        System.arraycopy(ipv4(17, 5, udp(1, 2, new byte[0])), 0, truncated, 0, 10);
        in.add(new Input("ipv4-truncated-header", ethernet(0x0800, truncated)));
        byte[] big = new byte[1500 - 14 - 20 - 8];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7 + 3);
        }
        in.add(new Input("ipv4-udp-1500", ethernet(0x0800, ipv4(17, 5, udp(7, 9, big)))));
        in.add(new Input("ipv6-udp", ethernet(0x86dd, ipv6(17, udp(5353, 53, new byte[8])))));
        in.add(new Input("arp-42", ethernet(0x0806, new byte[28])));
        byte[] vlan = ByteBuffer.allocate(4 + 20 + 8 + 4).putShort((short) 7).putShort((short) 0x0800).put(ipv4(17, 5, udp(1, 9, new byte[4]))).array();
        in.add(new Input("vlan-ipv4-udp", ethernet(0x8100, vlan)));
        // both sides must refuse these (EINVAL): shorter than an Ethernet header, larger than a test page takes
        in.add(new Input("runt-13", new byte[13]));
        in.add(new Input("oversize-4000", ethernet(0x0800, ipv4(17, 5, udp(1, 9, new byte[4000 - 14 - 28])))));
        if (prog.equals("calculon_xdp")) {
            for (String expr : List.of("34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+", "2222222*****  ", "12345678901234567+", "99999999999999*")) {
                in.add(new Input("expr " + expr.strip(), expr.getBytes(StandardCharsets.US_ASCII)));
            }
        }
        return in;
    }

    static List<Input> contexts(String object, String prog) {
        List<Input> in = new ArrayList<>();
        in.add(new Input("no-ctx", new byte[0]));
        in.add(new Input("zero-ctx-96", new byte[96]));
        if (prog.equals("calculon_run")) {
            for (String expr : List.of("1234567++++++", "2222222*****", "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+", "",
                    "1+", "12x", "11111111111111111", "9".repeat(32) + "*".repeat(31), "99999999999999999999**********")) {
                in.add(new Input("expr '" + expr + "'", KernelRunsTest.calculonContext(expr)));
            }
            byte[] tooLong = KernelRunsTest.calculonContext("12+");
            ByteBuffer.wrap(tooLong).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 200);
            in.add(new Input("len-200", tooLong));
            in.add(new Input("short-ctx-8", new byte[8]));
        }
        return in;
    }

    static byte[] ethernet(int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put(DST_MAC).put(SRC_MAC).putShort((short) type).put(payload);
        return b.array();
    }

    static byte[] ipv4(int proto, int ihl, byte[] payload) {
        int hlen = ihl * 4;
        ByteBuffer b = ByteBuffer.allocate(hlen + payload.length);
        b.put((byte) (0x40 | ihl)).put((byte) 0).putShort((short) (hlen + payload.length)).putShort((short) 0x1234)
                .putShort((short) 0x4000).put((byte) 64).put((byte) proto).putShort((short) 0)
                .put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        b.position(hlen);
        b.put(payload);
        byte[] out = b.array();
        int sum = 0;
        for (int i = 0; i < hlen; i += 2) {
            sum += (out[i] & 0xff) << 8 | out[i + 1] & 0xff;
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        out[10] = (byte) (~sum >>> 8);
        out[11] = (byte) ~sum;
        return out;
    }

    static byte[] ipv6(int next, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        b.putInt(0x60000000).putShort((short) payload.length).put((byte) next).put((byte) 64);
        b.put(new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        b.put(new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
        b.put(payload);
        return b.array();
    }

    static byte[] udp(int sport, int dport, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        return b.array();
    }

    static byte[] tcp(int sport, int dport, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) sport).putShort((short) dport).putInt(1000).putInt(0).put((byte) 0x50).put((byte) 0x02)
                .putShort((short) 65535).putShort((short) 0).putShort((short) 0).put(payload);
        return b.array();
    }
}
