package io.bpf4j.jit.testrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.bpf4j.testdata.Exec;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LiveKernel;
import io.bpf4j.testdata.Refusal;

/**
 * The live kernel as the oracle for test runs: an object is loaded through libbpf
 * ({@link LiveKernel}: programs and maps pinned under bpffs directories removed by
 * {@link #close}; a program the running kernel refuses, such as one calling a helper this
 * build lacks, is left out and {@linkplain #skip skipped by name with the reason}), programs
 * run with {@code bpftool prog run}, maps read with {@code bpftool map show/dump -j}.
 */
final class KernelOracle implements AutoCloseable {
    private static final Pattern RUN = Pattern.compile("Return value: (\\d+), duration(?: \\(average\\))?: (\\d+)ns");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Comparisons left out because the kernel refused the program: reason to programs. */
    static final java.util.Map<String, java.util.Set<String>> EXCLUDED = new java.util.TreeMap<>();

    private final LiveKernel live;
    private final String name;

    record Run(long retval, byte[] dataOut, byte[] ctxOut, long durationNs) {}

    private KernelOracle(String name, LiveKernel live) {
        this.name = name;
        this.live = live;
    }

    /** Skips the calling test without root, bpftool and libbpf, or fails it when {@code bpf4j.requireKernel} is true. */
    static void assumeKernel() {
        KernelFacts.assumeKernel();
    }

    /** Loads the object {@code bytes} (named {@code name}) into the kernel, every program the kernel accepts. */
    static KernelOracle load(String name, byte[] bytes) throws IOException {
        Path obj = Files.createTempFile("bpf4j-" + name, ".o");
        try {
            Files.write(obj, bytes);
            KernelOracle k = new KernelOracle(name, LiveKernel.load(obj, List.of("*")));
            k.live.refused().values().forEach(r -> System.out.println("kernel refused " + name + " " + r));
            return k;
        } finally {
            Files.deleteIfExists(obj);
        }
    }

    /**
     * True, after counting and printing an exclusion, when the running kernel refused
     * {@code prog} (a helper its build lacks): its comparisons are skipped by name with the reason.
     */
    boolean skip(String prog) {
        Refusal r = live.refused().get(prog);
        if (r == null) {
            return false;
        }
        if (!r.ofTheKernelBuild()) {
            throw new AssertionError("the kernel refuses " + name + " " + prog + " for a reason that is not one of its build: " + r.reason());
        }
        synchronized (EXCLUDED) {
            if (EXCLUDED.computeIfAbsent("this kernel (" + KernelFacts.release() + ") refuses: " + r.reason(), k -> new java.util.TreeSet<>())
                    .add(name + " " + prog)) {
                System.out.println("excluded: comparisons of " + name + " " + r);
            }
        }
        return true;
    }

    /** Aborts the calling test (by name, with the reason) when the kernel refused {@code prog}. */
    void requireLoaded(String prog) {
        Refusal r = live.refused().get(prog);
        if (r != null) {
            throw KernelFacts.refusedProgram(name, r);
        }
    }

    /** Runs pinned program {@code prog} on {@code data}, {@code repeat} times. */
    Run run(String prog, byte[] data, int repeat) throws IOException {
        return run(prog, data, null, repeat);
    }

    /** Runs pinned program {@code prog} on {@code data} with context {@code ctx} (or none), {@code repeat} times. */
    Run run(String prog, byte[] data, byte[] ctx, int repeat) throws IOException {
        Path in = Files.createTempFile("bpf4j-in", ".bin");
        Path out = Files.createTempFile("bpf4j-out", ".bin");
        Path ctxIn = Files.createTempFile("bpf4j-ctx-in", ".bin");
        Path ctxOut = Files.createTempFile("bpf4j-ctx-out", ".bin");
        try {
            Files.write(in, data);
            List<String> cmd = new ArrayList<>(List.of("bpftool", "prog", "run", "pinned", live.programPin(prog).toString(), "data_in",
                    in.toString(), "data_out", out.toString()));
            if (ctx != null) {
                Files.write(ctxIn, ctx);
                cmd.addAll(List.of("ctx_in", ctxIn.toString(), "ctx_out", ctxOut.toString()));
            }
            cmd.addAll(List.of("repeat", Integer.toString(repeat)));
            String text = exec(cmd);
            Matcher m = RUN.matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("unexpected bpftool output: " + text);
            }
            return new Run(Long.parseLong(m.group(1)), Files.readAllBytes(out), ctx == null ? null : Files.readAllBytes(ctxOut),
                    Long.parseLong(m.group(2)));
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(ctxIn);
            Files.deleteIfExists(ctxOut);
        }
    }

    /**
     * BPF_PROG_TEST_RUN with only a context, through testdata/oracle/prog_test_run.py (bpftool
     * always passes ctx_out, which syscall and raw tracepoint programs refuse): {retval, errno,
     * the context after the run}.
     */
    Object[] runContextOnly(String prog, byte[] ctx, int flags, int cpu) {
        String out = exec(List.of("python3", io.bpf4j.testdata.TestData.dir().resolve("oracle").resolve("prog_test_run.py").toString(),
                live.programPin(prog).toString(), java.util.HexFormat.of().formatHex(ctx), Integer.toString(flags), Integer.toString(cpu))).trim();
        String[] parts = out.split(" ", -1);
        return new Object[] {Long.parseLong(parts[0]), Integer.parseInt(parts[1]), java.util.HexFormat.of().parseHex(parts[2])};
    }

    /** Puts pinned program {@code prog} into slot {@code index} of pinned prog array {@code map}. */
    void setProgram(String map, int index, String prog) {
        exec(List.of("bpftool", "map", "update", "pinned", live.mapPin(map).toString(), "key",
                Integer.toString(index & 0xff), Integer.toString(index >>> 8 & 0xff), "0", "0",
                "value", "pinned", live.programPin(prog).toString()));
    }

    /** {@code bpftool map show -j} of a pinned map. */
    JsonNode mapInfo(String map) throws IOException {
        return JSON.readTree(exec(List.of("bpftool", "map", "show", "pinned", live.mapPin(map).toString(), "-j")));
    }

    /** {@code bpftool map dump -j}: the raw key and value bytes; a per-CPU value is the sum of every CPU's u64 (or u32). */
    List<byte[][]> dump(String map) throws IOException {
        return dump(map, false);
    }

    /** As {@link #dump(String)}, but a per-CPU value is the largest of the CPUs' values (for values set, not added). */
    List<byte[][]> dump(String map, boolean maxOverCpus) throws IOException {
        JsonNode root = JSON.readTree(exec(List.of("bpftool", "map", "dump", "pinned", live.mapPin(map).toString(), "-j")));
        List<byte[][]> out = new ArrayList<>();
        for (JsonNode e : root) {
            byte[] key = hex(e.get("key"));
            byte[] value;
            if (e.has("values")) {
                value = null;
                for (JsonNode cpu : e.get("values")) {
                    byte[] v = hex(cpu.get("value"));
                    value = value == null ? v : maxOverCpus ? max(value, v) : add(value, v);
                }
            } else {
                value = hex(e.get("value"));
            }
            out.add(new byte[][] {key, value});
        }
        return out;
    }

    static byte[] max(byte[] a, byte[] b) {
        for (int i = a.length - 1; i >= 0; i--) {
            if ((a[i] & 0xff) != (b[i] & 0xff)) {
                return (a[i] & 0xff) > (b[i] & 0xff) ? a : b;
            }
        }
        return a;
    }

    static byte[] add(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        int carry = 0;
        for (int i = 0; i < a.length; i++) {
            int s = (a[i] & 0xff) + (b[i] & 0xff) + carry;
            out[i] = (byte) s;
            carry = a.length % 8 == 0 && (i % 8) == 7 || a.length % 8 != 0 && (i % 4) == 3 ? 0 : s >>> 8;
        }
        return out;
    }

    private static byte[] hex(JsonNode array) {
        byte[] b = new byte[array.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(array.get(i).asText().substring(2), 16);
        }
        return b;
    }

    static String exec(List<String> cmd) {
        return Exec.check(cmd);
    }

    @Override
    public void close() {
        live.close();
    }
}
