package io.bpf4j.jit.testrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.ProgArray;
import io.bpf4j.maps.RingBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The interpreter's test runs against the kernel's {@code BPF_PROG_TEST_RUN} on the same
 * clang-built objects (sources and build script in src/test/resources/testrun): return value,
 * output packet and, where the program keeps state, map contents after the runs. The objects
 * go into the kernel through {@code bpftool prog loadall}; the interpreter runs the same
 * instructions relocated by {@link ObjectPrograms}.
 */
@Tag("kernel")
class TestRunKernelTest {
    private static final HexFormat HEX = HexFormat.of();
    static int comparisons;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TestRunKernelTest.class.getResourceAsStream("/testrun/" + name)) {
            return in.readAllBytes();
        }
    }

    /** A frame: destination MAC, then byte 6 (op) and 7 (arg), EtherType, then payload of {@code size} in all. */
    static byte[] frame(int size, int dstFirst, int op, int arg, int ethType) {
        byte[] f = new byte[size];
        for (int i = 0; i < Math.min(6, size); i++) {
            f[i] = (byte) (i == 0 ? dstFirst : dstFirst == 0 ? 0 : dstFirst == 0xff ? 0xff : 0x10 + i);
        }
        if (size > 7) {
            f[6] = (byte) op;
            f[7] = (byte) arg;
        }
        if (size > 13) {
            f[12] = (byte) (ethType >>> 8);
            f[13] = (byte) ethType;
        }
        for (int i = 14; i < size; i++) {
            f[i] = (byte) (i * 7 + op);
        }
        return f;
    }

    /** An Ethernet + IPv4 + UDP (17) or TCP (6) frame with correct IP and transport checksums. */
    static byte[] ipv4(int proto, int payload, int dstFirst) {
        int l4 = proto == 17 ? 8 : 20;
        byte[] f = frame(14 + 20 + l4 + payload, dstFirst, 0, 0, 0x0800);
        int ip = 14;
        int total = 20 + l4 + payload;
        f[ip] = 0x45;
        f[ip + 2] = (byte) (total >>> 8);
        f[ip + 3] = (byte) total;
        f[ip + 8] = 64;
        f[ip + 9] = (byte) proto;
        f[ip + 10] = 0;
        f[ip + 11] = 0;
        byte[] src = {10, 0, 0, 1};
        byte[] dst = {10, 0, 0, 2};
        System.arraycopy(src, 0, f, ip + 12, 4);
        System.arraycopy(dst, 0, f, ip + 16, 4);
        int sum = onesSum(f, ip, 20, 0);
        f[ip + 10] = (byte) (~sum >>> 8);
        f[ip + 11] = (byte) ~sum;
        int t = ip + 20;
        f[t] = 0x12;
        f[t + 1] = 0x34;
        f[t + 2] = 0x00;
        f[t + 3] = 0x50;
        int csumAt = proto == 17 ? t + 6 : t + 16;
        if (proto == 17) {
            f[t + 4] = (byte) ((8 + payload) >>> 8);
            f[t + 5] = (byte) (8 + payload);
        } else {
            f[t + 12] = 0x50;
        }
        f[csumAt] = 0;
        f[csumAt + 1] = 0;
        byte[] pseudo = new byte[12];
        System.arraycopy(src, 0, pseudo, 0, 4);
        System.arraycopy(dst, 0, pseudo, 4, 4);
        pseudo[9] = (byte) proto;
        pseudo[10] = (byte) ((l4 + payload) >>> 8);
        pseudo[11] = (byte) (l4 + payload);
        int s = onesSum(f, t, l4 + payload, onesSum(pseudo, 0, 12, 0));
        f[csumAt] = (byte) (~s >>> 8);
        f[csumAt + 1] = (byte) ~s;
        return f;
    }

    private static int onesSum(byte[] b, int off, int len, int init) {
        long s = init;
        for (int i = 0; i < len; i += 2) {
            s += (b[off + i] & 0xff) << 8 | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    /** Runs {@code prog} on each frame in the kernel and in process; asserts equal results and packets. */
    private static List<TestRunResult> compare(KernelOracle k, ObjectPrograms o, ProgramType type, String prog, List<byte[]> frames) throws IOException {
        List<TestRunResult> results = new ArrayList<>();
        if (k.skip(prog)) {
            return results;
        }
        for (byte[] f : frames) {
            KernelOracle.Run kr;
            try {
                kr = k.run(prog, f, 1);
            } catch (IllegalStateException refused) {
                assertThatThrownBy(() -> TestRun.of(o.programs.get(prog), type).run(TestRunInput.ofData(f)))
                        .as("%s on %d bytes: the kernel refused: %s", prog, f.length, refused.getMessage())
                        .isInstanceOf(TestRunException.class);
                comparisons++;
                continue;
            }
            TestRunResult r = TestRun.of(o.programs.get(prog), type).run(TestRunInput.ofData(f));
            assertThat(r.retval()).as("%s retval on %s", prog, HEX.formatHex(f, 0, Math.min(16, f.length))).isEqualTo(kr.retval());
            assertThat(HEX.formatHex(r.dataOut())).as("%s data_out on %s", prog, HEX.formatHex(f, 0, Math.min(16, f.length)))
                    .isEqualTo(HEX.formatHex(kr.dataOut()));
            results.add(r);
            comparisons++;
        }
        return results;
    }

    /** As {@link #compare}, with a context in and out. */
    private static void compareWithContext(KernelOracle k, ObjectPrograms o, ProgramType type, String prog, byte[] f, byte[] ctx)
            throws IOException {
        if (k.skip(prog)) {
            return;
        }
        KernelOracle.Run kr;
        try {
            kr = k.run(prog, f, ctx, 1);
        } catch (IllegalStateException refused) {
            assertThatThrownBy(() -> TestRun.of(o.programs.get(prog), type).run(TestRunInput.ofData(f).withCtx(ctx)))
                    .as("%s with ctx %s: the kernel refused: %s", prog, HEX.formatHex(ctx), refused.getMessage())
                    .isInstanceOf(TestRunException.class);
            comparisons++;
            return;
        }
        TestRunResult r = TestRun.of(o.programs.get(prog), type).run(TestRunInput.ofData(f).withCtx(ctx));
        String what = prog + " with ctx " + HEX.formatHex(ctx);
        assertThat(r.retval()).as("%s retval", what).isEqualTo(kr.retval());
        assertThat(HEX.formatHex(r.dataOut())).as("%s data_out", what).isEqualTo(HEX.formatHex(kr.dataOut()));
        assertThat(HEX.formatHex(r.ctxOut())).as("%s ctx_out", what).isEqualTo(HEX.formatHex(kr.ctxOut()));
        comparisons++;
    }

    private static byte[] ctx(int size, int... offsetValuePairs) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < offsetValuePairs.length; i += 2) {
            b.putInt(offsetValuePairs[i], offsetValuePairs[i + 1]);
        }
        return b.array();
    }

    @Test
    void contextsInAndOut() throws Exception {
        withObject("xdp", ProgramType.XDP, (k, o) -> {
            byte[] f = frame(64, 0xaa, 5, 8, 0x0800);
            for (byte[] c : List.of(ctx(24, 4, 64), ctx(24, 0, 8, 4, 64), ctx(24, 0, 6, 4, 64), ctx(24, 0, 8, 4, 63),
                    ctx(24, 8, 4, 4, 64), ctx(24, 4, 64, 12, 1), ctx(24, 4, 64, 12, 1, 16, 1), ctx(24, 4, 64, 16, 1),
                    ctx(24, 4, 64, 20, 1), ctx(24, 4, 64, 12, 99), ctx(32, 4, 64), ctx(32, 4, 64, 28, 1), ctx(16, 4, 64))) {
                compareWithContext(k, o, ProgramType.XDP, "xdp_adjust", f, c);
                compareWithContext(k, o, ProgramType.XDP, "xdp_fields", f, c);
            }
        });
        withObject("skb", ProgramType.SCHED_CLS, (k, o) -> {
            byte[] f = ipv4(17, 10, 0xaa);
            for (byte[] c : List.of(ctx(192), ctx(192, 8, 5, 32, 6, 36, 1, 48, 7, 64, 9, 152, 123, 160, 100, 164, 2, 176, 1400),
                    ctx(192, 160, 10), ctx(192, 40, 1), ctx(192, 40, 999), ctx(192, 12, 1), ctx(192, 0, 1), ctx(192, 44, 1),
                    ctx(192, 184, 77))) {
                compareWithContext(k, o, ProgramType.SCHED_CLS, "tc_fields", f, c);
                compareMaps(k, o, "results");
            }
        });
    }

    /** The map's elements as hex key → hex value; per-CPU values summed over CPUs (the in-process map has one). */
    private static TreeMap<String, String> inProcess(BpfMap map) {
        TreeMap<String, String> out = new TreeMap<>();
        for (byte[] key : map.keys()) {
            out.put(HEX.formatHex(key), HEX.formatHex(java.util.Arrays.copyOf(map.lookup(key), map.valueSize())));
        }
        return out;
    }

    private static TreeMap<String, String> inKernel(KernelOracle k, String map) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        for (byte[][] e : k.dump(map, map.equals("per_cpu_hash"))) {
            out.put(HEX.formatHex(e[0]), HEX.formatHex(e[1]));
        }
        return out;
    }

    private static void compareMaps(KernelOracle k, ObjectPrograms o, String... names) throws IOException {
        for (String n : names) {
            assertThat(inProcess(o.maps.get(n))).as("map %s after the runs", n).isEqualTo(inKernel(k, n));
            comparisons++;
        }
    }

    private static void withObject(String name, ProgramType type, Consumer2 body) throws Exception {
        KernelOracle.assumeKernel();
        byte[] obj = resource(name + ".bpf.o");
        try (KernelOracle k = KernelOracle.load(name, obj)) {
            body.accept(k, new ObjectPrograms(obj, k, type, 1));
        }
    }

    /** Prints both durations (informative; speed is measured in bench, never asserted here). */
    private static void reportDurations(KernelOracle k, ObjectPrograms o, String prog, byte[] f) throws IOException {
        TestRun run = TestRun.of(o.programs.get(prog), ProgramType.XDP);
        long ours = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            ours = Math.min(ours, run.run(TestRunInput.ofData(f).withRepeat(1000)).durationNs());
        }
        if (k.skip(prog)) {
            return;
        }
        System.out.println("duration " + prog + ": interpreter " + ours + " ns/run, kernel " + k.run(prog, f, 1000).durationNs() + " ns/run");
    }

    @FunctionalInterface
    interface Consumer2 {
        void accept(KernelOracle k, ObjectPrograms o) throws Exception;
    }

    @Test
    void xdpAdjustHeadTailAndMeta() throws Exception {
        withObject("xdp", ProgramType.XDP, (k, o) -> {
            List<byte[]> frames = new ArrayList<>();
            frames.add(frame(14, 0xaa, 0, 0, 0x0800));
            frames.add(frame(13, 0xaa, 0, 0, 0x0800));
            for (int[] c : new int[][] {{1, 20}, {1, 216}, {1, 217}, {6, 54}, {6, 55}, {2, 10}, {2, 50}, {2, 51}, {3, 4}, {3, 50},
                    {3, 51}, {4, 20}, {4, 200}, {4, 201}, {5, 8}, {5, 6}, {5, 32}, {5, 36}, {5, 216}, {5, 252}, {5, 255}, {0, 0}}) {
                frames.add(frame(64, 0xaa, c[0], c[1], 0x0800));
            }
            frames.add(frame(3520, 0xaa, 4, 1, 0x0800));
            frames.add(frame(3504, 0xaa, 4, 1, 0x0800));
            frames.add(frame(3521, 0xaa, 0, 0, 0x0800));
            frames.add(frame(4000, 0xaa, 0, 0, 0x0800));
            compare(k, o, ProgramType.XDP, "xdp_adjust", frames);
            compare(k, o, ProgramType.XDP, "xdp_fields", List.of(frame(14, 0, 0, 0, 0), frame(100, 0, 0, 0, 0)));
            compare(k, o, ProgramType.XDP, "xdp_compute", List.of(frame(64, 1, 2, 3, 4), frame(63, 1, 2, 3, 4), frame(1500, 9, 9, 9, 9)));
            reportDurations(k, o, "xdp_compute", frame(64, 1, 2, 3, 4));
            reportDurations(k, o, "xdp_adjust", frame(64, 0xaa, 0, 0, 0x0800));
        });
    }

    @Test
    void tcContextFieldsAndChecksums() throws Exception {
        withObject("skb", ProgramType.SCHED_CLS, (k, o) -> {
            List<byte[]> frames = List.of(ipv4(17, 10, 0xaa), ipv4(6, 0, 0), ipv4(17, 0, 0xff), ipv4(17, 0, 0x01),
                    frame(60, 0xaa, 0, 0, 0x0806), frame(60, 0xaa, 0, 0, 0x0100), frame(14, 0xaa, 0, 0, 0x0800),
                    frame(13, 0xaa, 0, 0, 0x0800));
            for (byte[] f : frames) {
                compare(k, o, ProgramType.SCHED_CLS, "tc_fields", List.of(f));
                compareMaps(k, o, "results");
            }
            for (byte[] f : List.of(ipv4(17, 10, 0xaa), ipv4(6, 3, 0xaa), ipv4(17, 0, 0xaa), frame(30, 0xaa, 0, 0, 0x0800),
                    frame(40, 0xaa, 0, 0, 0x86dd))) {
                compare(k, o, ProgramType.SCHED_CLS, "tc_csum", List.of(f));
                compareMaps(k, o, "results");
            }
        });
    }

    @Test
    void socketFilterSeesTheNetworkHeader() throws Exception {
        withObject("skb", ProgramType.SOCKET_FILTER, (k, o) -> compare(k, o, ProgramType.SOCKET_FILTER, "sock_filter",
                List.of(ipv4(17, 10, 0xaa), frame(14, 0xaa, 0, 0, 0x0800), frame(17, 0xaa, 0, 0, 0x0800),
                        frame(18, 0, 0, 0, 0x86dd), frame(33, 0xaa, 0, 0, 0x0800), frame(34, 0xaa, 0, 0, 0x0800),
                        frame(53, 0, 0, 0, 0x86dd), frame(54, 0, 0, 0, 0x86dd), frame(20, 0xaa, 0, 0, 0x0806),
                        frame(3712, 0xff, 1, 2, 0x0800), frame(3713, 0xff, 1, 2, 0x0800))));
    }

    @Test
    void mapsHoldTheSameAfterTheSameRuns() throws Exception {
        withObject("maps", ProgramType.XDP, (k, o) -> {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 14; i++) {
                frames.add(frame(20 + i * 10, 0xaa, i % 10, 0, 0x0800));
            }
            frames.add(frame(10, 0xaa, 0, 0, 0));
            compare(k, o, ProgramType.XDP, "map_ops", frames);
            compareMaps(k, o, "counts", "totals", "per_cpu", "per_cpu_hash");
            compare(k, o, ProgramType.XDP, "foreach", List.of(frame(20, 0, 3, 0, 0), frame(20, 0, 200, 0, 0)));
            compareMaps(k, o, "counts", "totals");
        });
    }

    @Test
    void ringBufferProducer() throws Exception {
        withObject("maps", ProgramType.XDP, (k, o) -> {
            k.requireLoaded("ringbuf");
            compare(k, o, ProgramType.XDP, "ringbuf", List.of(frame(20, 1, 2, 3, 4), frame(64, 5, 6, 7, 8), frame(14, 9, 9, 9, 9)));
            RingBuffer events = (RingBuffer) o.maps.get("events");
            List<byte[]> records = events.drain();
            // per run: one 8-byte output and one 16-byte record (the discarded ones are skipped)
            assertThat(records).hasSize(6);
            assertThat(HEX.formatHex(records.get(0))).isEqualTo(HEX.formatHex(frame(20, 1, 2, 3, 4), 0, 8));
            assertThat(records.get(1)).hasSize(16);
            assertThat(records.get(1)[8]).isEqualTo((byte) 20);
        });
    }

    @Test
    void syscallAndRawTracepointContexts() throws Exception {
        withObject("ctxonly", ProgramType.SYSCALL, (k, o) -> {
            k.requireLoaded("sys_prog");
            for (byte[] c : List.of(ctx(16, 0, 5, 8, 2), ctx(16, 0, -1, 4, 7, 8, 100), ctx(24, 0, 1, 8, 1))) {
                Object[] kr = k.runContextOnly("sys_prog", c, 0, 0);
                TestRunResult r = TestRun.of(o.programs.get("sys_prog"), ProgramType.SYSCALL).run(TestRunInput.ofContext(c));
                assertThat(kr[1]).isEqualTo(0);
                assertThat(r.retval()).isEqualTo(kr[0]);
                assertThat(HEX.formatHex(r.ctxOut())).isEqualTo(HEX.formatHex((byte[]) kr[2]));
                comparisons++;
            }
        });
        withObject("ctxonly", ProgramType.RAW_TRACEPOINT, (k, o) -> {
            k.requireLoaded("rawtp");
            for (int[] fc : new int[][] {{0, 0}, {1, 0}, {1, 1}}) {
                byte[] c = ctx(16, 0, 5, 8, 2);
                Object[] kr = k.runContextOnly("rawtp", c, fc[0], fc[1]);
                TestRunResult r = TestRun.of(o.programs.get("rawtp"), ProgramType.RAW_TRACEPOINT)
                        .run(TestRunInput.ofContext(c).withFlags(fc[0]).withCpu(fc[1]));
                assertThat(kr[1]).isEqualTo(0);
                if (fc[0] == 0) {
                    // without BPF_F_TEST_RUN_ON_CPU the kernel runs on the caller's CPU, whichever that is
                    assertThat(r.retval() % 1000).isEqualTo((Long) kr[0] % 1000);
                } else {
                    assertThat(r.retval()).isEqualTo(kr[0]);
                }
                comparisons++;
            }
            // the kernel refuses a context shorter than the program reads (the verifier's max_ctx_offset);
            // without a verifier the run faults at the read instead
            Object[] kr = k.runContextOnly("rawtp", ctx(8, 0, 5), 0, 0);
            assertThat(kr[1]).isEqualTo(22);
            assertThatThrownBy(() -> TestRun.of(o.programs.get("rawtp"), ProgramType.RAW_TRACEPOINT).run(TestRunInput.ofContext(ctx(8, 0, 5))))
                    .isInstanceOf(io.bpf4j.jit.runtime.MemoryFault.class);
            // and a cpu without BPF_F_TEST_RUN_ON_CPU
            assertThat(k.runContextOnly("rawtp", ctx(16, 0, 5), 0, 1)[1]).isEqualTo(22);
            assertThatThrownBy(() -> TestRun.of(o.programs.get("rawtp"), ProgramType.RAW_TRACEPOINT)
                    .run(TestRunInput.ofContext(ctx(16, 0, 5)).withCpu(1))).isInstanceOf(TestRunException.class);
            comparisons += 2;
        });
    }

    @org.junit.jupiter.api.AfterAll
    static void reportComparisons() {
        System.out.println("kernel comparisons matched: " + comparisons);
        KernelOracle.EXCLUDED.forEach((why, where) -> System.out.println("  excluded " + where.size() + "x: " + why + ": " + String.join(", ", where)));
    }

    @Test
    void tailCallChainAndLimit() throws Exception {
        withObject("tailcall", ProgramType.XDP, (k, o) -> {
            ProgArray jmp = (ProgArray) o.maps.get("jmp");
            String[] slots = {null, "tc_self", "tc_second", "tc_third"};
            for (String p : List.of("tc_entry", "tc_self", "tc_second", "tc_third")) {
                k.requireLoaded(p);
            }
            for (int i = 1; i < slots.length; i++) {
                k.setProgram("jmp", i, slots[i]);
                jmp.setProgram(i, o.programs.get(slots[i]));
            }
            compare(k, o, ProgramType.XDP, "tc_entry", List.of(frame(20, 0, 0, 0, 0), frame(20, 0, 1, 0, 0), frame(20, 0, 2, 0, 0),
                    frame(20, 0, 3, 0, 0), frame(20, 0, 9, 0, 0), frame(20, 0, 1, 0, 0)));
            compareMaps(k, o, "hops");
        });
    }
}
