package io.bpf4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.loader.TestRunInput;
import io.bpf4j.loader.TestRunResult;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.Engine;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.OpenOptions;
import io.bpf4j.testdata.Exec;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LiveKernel;
import io.bpf4j.testdata.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's JIT, bpf4j's compiler and bpf4j's interpreter side by side, in one process run:
 * the same XDP programs of testdata on the same packets, through the kernel's
 * {@code BPF_PROG_TEST_RUN} ({@code bpftool prog run … repeat N}, on CPU 0) and through
 * {@link BpfProgram#testRun} on each engine (after an uncounted warm-up, so HotSpot has compiled
 * the code, as the kernel's code is JIT'ed before its first run).
 *
 * <p>It asserts what can be asserted on a shared machine: the three return the same value and
 * the same packet. The durations go to {@code target/side-by-side.md} and standard output, as
 * ratios of each side's fastest of R rounds (kernel, compiled, interpreter measured back to back
 * in each round) and the geometric mean over the five kinds; bench/RESULTS.md records a run.
 * bpf4j's durations are the test-run thread's CPU time per run, as the kernel's exclude the time
 * its loop is rescheduled. {@code -Dbpf4j.bench.repeat=N} (default 20000),
 * {@code -Dbpf4j.bench.rounds=R} (default 5) and {@code -Dbpf4j.bench.warmup=W} change it.
 */
@Tag("kernel")
class KernelSideBySideTest {
    private static final Pattern RUN = Pattern.compile("Return value: (\\d+), duration(?: \\(average\\))?: (\\d+)ns");

    /** One measured program: the object it is in, and its input. */
    record Case(String kind, Path object, String program, byte[] packet) {}

    static List<Case> cases() {
        byte[] udp = Workload.udpFrame();
        byte[] frame1500 = Arrays.copyOf(udp, 1500);
        for (int i = udp.length; i < frame1500.length; i++) {
            frame1500[i] = (byte) (i * 7);
        }
        Path bench = TestData.dir().resolve("bench/objects/bench.v3.el.o");
        return List.of(
                new Case("checksum", bench, "bench_csum", frame1500),
                new Case("parser", TestData.object("packet.v3.el.o"), "packet_xdp_udp", udp),
                new Case("maps", bench, "bench_maps", udp),
                new Case("calls", bench, "bench_calls", udp),
                new Case("calculon", TestData.object("calculon_switch.v3.el.o"), "calculon_xdp",
                        "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+".getBytes(StandardCharsets.US_ASCII)),
                new Case("empty", TestData.object("minimal.v3.el.o"), "xdp_pass", udp));
    }

    /** Kernel, compiled, interpreted: ns per run of one round. */
    record Round(long kernel, long compiled, long interpreted) {}

    @Test
    void kernelCompiledAndInterpretedAgreeAndAreTimedSideBySide(@TempDir Path dir) throws IOException {
        KernelFacts.assumeKernel();
        int repeat = Integer.getInteger("bpf4j.bench.repeat", 20_000);
        int rounds = Integer.getInteger("bpf4j.bench.rounds", 5);
        int warmup = Integer.getInteger("bpf4j.bench.warmup", 1_000_000);
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "# %s, load %s, repeat %d, fastest of %d rounds, warm-up %d (at most 5 s)%n",
                java.time.Instant.now(), Files.readString(Path.of("/proc/loadavg")).strip(), repeat, rounds, warmup));
        table.append("| kind | program | verified | insns | kernel ns | compiled ns | interpreter ns | compiled/kernel | interpreter/kernel | compiled/interpreter |\n");
        table.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        double logCk = 0, logIk = 0, logCi = 0;
        int kinds = 0;
        for (Case c : cases()) {
            Path in = Files.write(dir.resolve(c.program() + ".in"), c.packet());
            try (LiveKernel kernel = LiveKernel.load(c.object(), List.of(c.program()));
                    BpfObject compiledObj = open(c.object(), Engine.COMPILER);
                    BpfObject interpretedObj = open(c.object(), Engine.INTERPRETER)) {
                assertThat(kernel.refused()).as("the kernel refuses %s", c.program()).isEmpty();
                BpfProgram compiled = compiledObj.program(c.program()).orElseThrow();
                BpfProgram interpreted = interpretedObj.program(c.program()).orElseThrow();
                assertThat(compiled.engineName()).as(c.program()).isEqualTo("compiled");
                // equality first: one run each, same packet
                LiveKernel.Run once = kernel.run(c.program(), c.packet(), null);
                assertThat(once.error()).as(c.program()).isNull();
                TestRunResult cOnce = compiled.testRun(TestRunInput.ofData(c.packet()));
                TestRunResult iOnce = interpreted.testRun(TestRunInput.ofData(c.packet()));
                assertThat(cOnce.retval()).as("%s compiled vs kernel", c.program()).isEqualTo(once.retval());
                assertThat(iOnce.retval()).as("%s interpreted vs kernel", c.program()).isEqualTo(once.retval());
                assertThat(cOnce.dataOut()).as(c.program()).isEqualTo(once.dataOut());
                assertThat(iOnce.dataOut()).as(c.program()).isEqualTo(once.dataOut());
                List<Round> measured = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    int w = r == 0 ? warmup : 0;
                    long k = kernelDuration(kernel.programPin(c.program()), in, repeat, once.retval());
                    TestRunResult cr = compiled.testRun(new TestRunInput(c.packet(), null, repeat, 0, 0, w));
                    TestRunResult ir = interpreted.testRun(new TestRunInput(c.packet(), null, repeat, 0, 0, w));
                    assertThat(cr.retval()).isEqualTo(once.retval());
                    assertThat(ir.retval()).isEqualTo(once.retval());
                    measured.add(new Round(Math.max(1, k), Math.max(1, cr.durationNs()), Math.max(1, ir.durationNs())));
                }
                // each side's fastest round: the figure least disturbed by other work on a shared machine
                Round m = new Round(measured.stream().mapToLong(Round::kernel).min().orElseThrow(),
                        measured.stream().mapToLong(Round::compiled).min().orElseThrow(),
                        measured.stream().mapToLong(Round::interpreted).min().orElseThrow());
                double ck = (double) m.compiled() / m.kernel();
                double ik = (double) m.interpreted() / m.kernel();
                double ci = (double) m.compiled() / m.interpreted();
                if (!c.kind().equals("empty")) {
                    logCk += Math.log(ck);
                    logIk += Math.log(ik);
                    logCi += Math.log(ci);
                    kinds++;
                }
                table.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %d | %.2f | %.2f | %.3f |%n", c.kind(), c.program(),
                        verified(compiled), instructions(interpreted, c.packet()), m.kernel(), m.compiled(), m.interpreted(), ck, ik, ci));
            }
        }
        table.append(String.format(Locale.ROOT, "| geometric mean (%d kinds, without empty) | | | | | | | %.2f | %.2f | %.3f |%n", kinds,
                Math.exp(logCk / kinds), Math.exp(logIk / kinds), Math.exp(logCi / kinds)));
        table.append(String.format(Locale.ROOT, "# load after: %s%n", Files.readString(Path.of("/proc/loadavg")).strip()));
        System.out.print(table);
        Path out = Path.of("target", "side-by-side.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);
    }

    /** Instructions one run executes (counted by the engine). */
    private static long instructions(BpfProgram p, byte[] packet) {
        // the engine's instruction counter is not part of the loader's API
        var exe = io.bpf4j.loader.internal.LoaderInternals.executable(p);
        var ctx = exe.newContext();
        byte[] buffer = new byte[256 + packet.length];
        System.arraycopy(packet, 0, buffer, 256, packet.length);
        byte[] md = new byte[24];
        ctx.setPacket(buffer, 256, 256, buffer.length);
        ctx.setContext(md, false);
        ctx.setContextPointerField(0, ctx.packetData());
        ctx.setContextPointerField(4, ctx.packetEnd());
        ctx.setContextPointerField(8, ctx.packetMeta());
        exe.run(ctx);
        return ctx.instructionsExecuted();
    }

    /**
     * The object loaded for {@code engine}: verified, as the kernel verifies (so the compiler gets
     * the verifier's facts), or unverified when bpf4j's verifier refuses something the kernel took.
     */
    private static BpfObject open(Path object, Engine engine) {
        BpfObject obj = BpfObject.open(object, OpenOptions.builder().readHostKconfig(false).build());
        try {
            obj.load(LoadOptions.builder().verify(true).engine(engine).build());
            return obj;
        } catch (io.bpf4j.isa.BpfException e) {
            obj.close();
        }
        BpfObject unverified = BpfObject.open(object, OpenOptions.builder().readHostKconfig(false).build());
        unverified.load(LoadOptions.builder().verify(false).engine(engine).build());
        return unverified;
    }

    /** "yes" when bpf4j's verifier accepted the program (its facts reached the compiler). */
    private static String verified(BpfProgram p) {
        return p.verification().map(v -> v.accepted() ? "yes" : "no").orElse("no");
    }

    /** The kernel's own mean ns per run over {@code repeat} runs on CPU 0, checking the return value. */
    private static long kernelDuration(Path pin, Path in, int repeat, long retval) {
        Exec.Result r = Exec.run(List.of("taskset", "-c", "0", "bpftool", "prog", "run", "pinned", pin.toString(), "data_in", in.toString(),
                "repeat", Integer.toString(repeat)));
        Matcher m = RUN.matcher(r.text());
        assertThat(r.exit() == 0 && m.find()).as("bpftool prog run: %s", r.text()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(retval);
        return Long.parseLong(m.group(2));
    }
}
