package io.bpf4j.jit.testrun;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The live kernel as the oracle for test runs, through bpftool: an object is loaded with
 * {@code bpftool prog loadall} (programs and maps pinned under one bpffs directory, removed by
 * {@link #close}), programs run with {@code bpftool prog run}, maps read with
 * {@code bpftool map show/dump -j}.
 */
final class KernelOracle implements AutoCloseable {
    static final Path BPFFS = Path.of("/sys/fs/bpf");
    private static final Pattern RUN = Pattern.compile("Return value: (\\d+), duration(?: \\(average\\))?: (\\d+)ns");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Boolean available;

    final Path dir;

    record Run(long retval, byte[] dataOut, byte[] ctxOut, long durationNs) {}

    private KernelOracle(Path dir) {
        this.dir = dir;
    }

    /** Skips the calling test without root and bpftool, or fails it when {@code bpf4j.requireKernel} is true. */
    static void assumeKernel() {
        boolean ok = isAvailable();
        if (!ok && Boolean.getBoolean("bpf4j.requireKernel")) {
            fail("bpf4j.requireKernel is set but bpftool cannot load programs here (root, bpftool and bpffs are needed)");
        }
        Assumptions.assumeTrue(ok, "needs root, bpftool and BPF");
    }

    private static synchronized boolean isAvailable() {
        if (available == null) {
            try {
                available = "root".equals(System.getProperty("user.name")) && Files.isDirectory(BPFFS)
                        && exec(List.of("bpftool", "version")).startsWith("bpftool");
                if (available && !Files.readString(Path.of("/proc/mounts")).contains(" " + BPFFS + " bpf ")) {
                    exec(List.of("mount", "-t", "bpf", "bpf", BPFFS.toString()));
                }
            } catch (IOException | RuntimeException e) {
                available = false;
            }
        }
        return available;
    }

    /** Loads the object {@code bytes} (named {@code name}) into the kernel. */
    static KernelOracle load(String name, byte[] bytes) throws IOException {
        Path obj = Files.createTempFile("bpf4j-" + name, ".o");
        Files.write(obj, bytes);
        Path dir = BPFFS.resolve("bpf4j_testrun_" + name + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime());
        Files.createDirectories(dir);
        KernelOracle k = new KernelOracle(dir);
        try {
            exec(List.of("bpftool", "prog", "loadall", obj.toString(), dir.toString(), "pinmaps", dir.resolve("maps").toString()));
        } catch (RuntimeException e) {
            k.close();
            throw e;
        } finally {
            Files.deleteIfExists(obj);
        }
        return k;
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
            List<String> cmd = new ArrayList<>(List.of("bpftool", "prog", "run", "pinned", dir.resolve(prog).toString(), "data_in",
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
                dir.resolve(prog).toString(), java.util.HexFormat.of().formatHex(ctx), Integer.toString(flags), Integer.toString(cpu))).trim();
        String[] parts = out.split(" ", -1);
        return new Object[] {Long.parseLong(parts[0]), Integer.parseInt(parts[1]), java.util.HexFormat.of().parseHex(parts[2])};
    }

    /** Puts pinned program {@code prog} into slot {@code index} of pinned prog array {@code map}. */
    void setProgram(String map, int index, String prog) {
        exec(List.of("bpftool", "map", "update", "pinned", dir.resolve("maps").resolve(map).toString(), "key",
                Integer.toString(index & 0xff), Integer.toString(index >>> 8 & 0xff), "0", "0",
                "value", "pinned", dir.resolve(prog).toString()));
    }

    /** {@code bpftool map show -j} of a pinned map. */
    JsonNode mapInfo(String map) throws IOException {
        return JSON.readTree(exec(List.of("bpftool", "map", "show", "pinned", dir.resolve("maps").resolve(map).toString(), "-j")));
    }

    /** {@code bpftool map dump -j}: the raw key and value bytes; a per-CPU value is the sum of every CPU's u64 (or u32). */
    List<byte[][]> dump(String map) throws IOException {
        return dump(map, false);
    }

    /** As {@link #dump(String)}, but a per-CPU value is the largest of the CPUs' values (for values set, not added). */
    List<byte[][]> dump(String map, boolean maxOverCpus) throws IOException {
        JsonNode root = JSON.readTree(exec(List.of("bpftool", "map", "dump", "pinned", dir.resolve("maps").resolve(map).toString(), "-j")));
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
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out;
            try (InputStream s = p.getInputStream()) {
                out = s.readAllBytes();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
