package io.bpf4j.testdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * This machine's kernel as the oracle for test runs: one object loaded through libbpf with only
 * the programs asked for ({@code testdata/oracle/libbpf_load.py}; {@code bpftool prog loadall}
 * cannot leave out a program the kernel refuses), its programs and maps pinned under two bpffs
 * directories that {@link #close} removes; programs run with {@code bpftool prog run}, or for
 * context-only types with {@code testdata/oracle/prog_test_run.py}; maps read with
 * {@code bpftool map dump -j}.
 *
 * <p>Every run is pinned to CPU 0 ({@code taskset -c 0}) so per-CPU values land where an
 * in-process run on CPU 0 puts them.
 */
public final class LiveKernel implements AutoCloseable {
    /** Where bpffs is mounted. */
    public static final Path BPFFS = Path.of("/sys/fs/bpf");
    private static final Pattern RUN = Pattern.compile("Return value: (\\d+), duration(?: \\(average\\))?: (\\d+)ns");
    private static final Pattern FAILED = Pattern.compile("failed to run program: (.*)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String unavailable;
    private static boolean probed;

    private final Path progDir;
    private final Path mapDir;
    private final Map<String, String> mapPins;
    private final Map<String, Refusal> refused = new LinkedHashMap<>();

    /**
     * One test run as the kernel answered it: {@code error} is null on success, else bpftool's
     * or the syscall's error text (strerror), with the other fields meaningless.
     */
    public record Run(long retval, byte[] dataOut, byte[] ctxOut, String error) {}

    /** One map element as {@code bpftool map dump -j} shows it; per-CPU maps have one value per possible CPU. */
    public record Element(byte[] key, List<byte[]> values) {}

    private LiveKernel(Path progDir, Path mapDir, Map<String, String> mapPins) {
        this.progDir = progDir;
        this.mapDir = mapDir;
        this.mapPins = mapPins;
    }

    /**
     * Why the kernel cannot be used here (not root, no bpftool, python3, taskset or libbpf, no
     * bpffs), or null when it can. Mounts bpffs when it is missing.
     */
    public static synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            unavailable = bpftoolUnavailableReason();
            if (unavailable == null) {
                try {
                    exec(List.of("python3", "-c", "import ctypes; ctypes.CDLL('libbpf.so.1')"));
                    exec(List.of("taskset", "-c", "0", "true"));
                } catch (RuntimeException e) {
                    unavailable = "kernel oracle unavailable: " + e.getMessage();
                }
            }
        }
        return unavailable;
    }

    /**
     * Why bpftool cannot create and pin BPF objects here (not root, no bpftool, no bpffs), or
     * null when it can: the part of {@link #unavailableReason()} that tests driving bpftool
     * alone need. Mounts bpffs when it is missing.
     */
    public static String bpftoolUnavailableReason() {
        try {
            if (!"root".equals(System.getProperty("user.name"))) {
                return "not root";
            }
            if (!exec(List.of("bpftool", "version")).startsWith("bpftool")) {
                return "no bpftool";
            }
            if (!Files.readString(Path.of("/proc/mounts")).contains(" " + BPFFS + " bpf ")) {
                exec(List.of("mount", "-t", "bpf", "bpf", BPFFS.toString()));
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "kernel oracle unavailable: " + e.getMessage();
        }
    }

    /**
     * Loads {@code object} with only {@code programs} autoloaded ({@code "*"}: every program),
     * pinning them under a fresh bpffs directory and every map under its sibling
     * {@code <dir>_maps}. When the kernel refuses the load, each program is tried alone to find
     * the ones it refuses, and the others are loaded without them: {@link #refused()} says which
     * and why (a helper this kernel build lacks, lockdown), so that a test can skip them by name.
     */
    public static LiveKernel load(Path object, Collection<String> programs) {
        String stem = object.getFileName().toString().replaceAll("[^A-Za-z0-9_]", "_");
        Path progDir = BPFFS.resolve("bpf4j_diff_" + stem + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime());
        Path mapDir = progDir.resolveSibling(progDir.getFileName() + "_maps");
        LiveKernel k = new LiveKernel(progDir, mapDir, new LinkedHashMap<>());
        try {
            Exec.Result r = loadInto(object, progDir, mapDir, programs);
            if (r.exit() != 0) {
                List<String> wanted = new ArrayList<>();
                for (String line : r.text().split("\n")) {
                    String[] f = line.trim().split(" ");
                    if (f.length == 2 && f[0].equals("prog") && (programs.contains("*") || programs.contains(f[1]))) {
                        wanted.add(f[1]);
                    }
                }
                if (wanted.isEmpty() && !programs.contains("*")) {
                    // libbpf could not open the object: every program asked for is refused with its reason
                    String why = Refusal.reason(r.text());
                    programs.forEach(p -> k.refused.put(p, new Refusal(p, why)));
                    return k;
                }
                for (String p : wanted) {
                    Path scratch = progDir.resolveSibling(progDir.getFileName() + "_try");
                    try {
                        Exec.Result alone = loadInto(object, scratch, scratch.resolveSibling(scratch.getFileName() + "_maps"), List.of(p));
                        if (alone.exit() != 0) {
                            k.refused.put(p, new Refusal(p, Refusal.reason(alone.text())));
                        }
                    } finally {
                        deleteTree(scratch);
                        deleteTree(scratch.resolveSibling(scratch.getFileName() + "_maps"));
                    }
                }
                if (k.refused.isEmpty()) {
                    throw new IllegalStateException("loading " + object + " failed, yet every program loads alone: " + r.text());
                }
                List<String> rest = new ArrayList<>(wanted);
                rest.removeAll(k.refused.keySet());
                deleteTree(progDir);
                deleteTree(mapDir);
                r = loadInto(object, progDir, mapDir, rest);
                if (r.exit() != 0) {
                    throw new IllegalStateException("loading " + object + " without " + k.refused.keySet() + " failed: " + r.text());
                }
            }
            for (String line : r.text().split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length == 3 && f[0].equals("map")) {
                    k.mapPins.put(f[2], f[1]);
                }
            }
            return k;
        } catch (RuntimeException e) {
            k.close();
            throw e;
        }
    }

    private static Exec.Result loadInto(Path object, Path progDir, Path mapDir, Collection<String> programs) {
        try {
            Files.createDirectories(progDir);
            Files.createDirectories(mapDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of("python3", oracleScript("libbpf_load.py"), object.toString(),
                progDir.toString(), mapDir.toString()));
        cmd.addAll(programs);
        return Exec.run(cmd);
    }

    /** The programs asked for that this kernel refused, by name, with libbpf's reason. */
    public Map<String, Refusal> refused() {
        return Map.copyOf(refused);
    }

    /** Where program {@code name} is pinned. */
    public Path programPin(String name) {
        return progDir.resolve(name);
    }

    /** Where the map libbpf named {@code name} (or pinned as {@code name}) is pinned. */
    public Path mapPin(String name) {
        return mapDir.resolve(mapPins.getOrDefault(name, name));
    }

    /** The maps libbpf created: libbpf's map name (e.g. {@code packet.bss}) to its pin name. */
    public Map<String, String> maps() {
        return Map.copyOf(mapPins);
    }

    /** {@code bpftool prog run} of {@code program} on {@code data} (and {@code ctx}, when not null), once, on CPU 0. */
    public Run run(String program, byte[] data, byte[] ctx) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("bpf4j-run");
            Path in = tmp.resolve("in");
            Path out = tmp.resolve("out");
            Files.write(in, data);
            List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "0", "bpftool", "prog", "run", "pinned",
                    progDir.resolve(program).toString(), "data_in", in.toString(), "data_out", out.toString()));
            if (ctx != null) {
                Files.write(tmp.resolve("ctx_in"), ctx);
                cmd.addAll(List.of("ctx_in", tmp.resolve("ctx_in").toString(), "ctx_out", tmp.resolve("ctx_out").toString()));
            }
            Exec.Result r = execResult(cmd);
            Matcher m = RUN.matcher(r.text());
            if (r.exit() == 0 && m.find()) {
                return new Run(Long.parseLong(m.group(1)), Files.readAllBytes(out),
                        ctx == null ? null : Files.readAllBytes(tmp.resolve("ctx_out")), null);
            }
            Matcher f = FAILED.matcher(r.text());
            if (f.find()) {
                return new Run(0, null, null, f.group(1).trim());
            }
            throw new IllegalStateException(String.join(" ", cmd) + ": unexpected output: " + r.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * BPF_PROG_TEST_RUN with a context only (syscall programs, which bpftool cannot run), on
     * CPU 0; the run's {@code ctxOut} is the context as the program left it.
     */
    public Run runContextOnly(String program, byte[] ctx) {
        String out = exec(List.of("taskset", "-c", "0", "python3", oracleScript("prog_test_run.py"),
                progDir.resolve(program).toString(), HexFormat.of().formatHex(ctx), "0", "0")).strip();
        String[] parts = (out.split(" ").length == 2 ? out + " " : out).split(" ", -1);
        int errno = Integer.parseInt(parts[1]);
        if (errno != 0) {
            return new Run(0, null, null, strerror(errno));
        }
        return new Run(Long.parseLong(parts[0]), null, HexFormat.of().parseHex(parts[2]), null);
    }

    /**
     * {@code bpftool map dump -j} of the map libbpf named {@code map}, in the kernel's
     * iteration order.
     */
    public List<Element> dump(String map) {
        String pin = mapPins.get(map);
        if (pin == null) {
            throw new IllegalArgumentException("no map '" + map + "' pinned, only " + mapPins.keySet());
        }
        try {
            JsonNode root = JSON.readTree(exec(List.of("bpftool", "map", "dump", "pinned", mapDir.resolve(pin).toString(), "-j")));
            List<Element> out = new ArrayList<>();
            for (JsonNode e : root) {
                List<byte[]> values = new ArrayList<>();
                if (e.has("values")) {
                    for (JsonNode cpu : e.get("values")) {
                        values.add(hex(cpu.get("value")));
                    }
                } else {
                    values.add(hex(e.get("value")));
                }
                out.add(new Element(e.has("key") ? hex(e.get("key")) : new byte[0], values));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name the kernel gives program {@code id} ({@code bpftool prog show id}): at most 15 characters. */
    public String programName(int id) {
        return objectName("prog", id);
    }

    /** The name the kernel gives map {@code id} ({@code bpftool map show id}): at most 15 characters. */
    public String mapName(int id) {
        return objectName("map", id);
    }

    private static String objectName(String kind, int id) {
        try {
            return JSON.readTree(exec(List.of("bpftool", kind, "show", "id", Integer.toUnsignedString(id), "-j"))).get("name").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bpftool map peek}: the next value of a queue or stack, or null when it is empty. */
    public byte[] peek(String map) {
        Exec.Result r = execResult(List.of("bpftool", "map", "peek", "pinned", mapDir.resolve(mapPins.get(map)).toString(), "-j"));
        if (r.exit() != 0) {
            if (r.text().contains("No such file or directory")) {
                return null;
            }
            throw new IllegalStateException("bpftool map peek " + map + ": " + r.text());
        }
        try {
            return hex(JSON.readTree(r.text()).get("value"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text strerror gives for the errnos test runs return (as bpftool prints them). */
    public static String strerror(int errno) {
        switch (errno) {
            case 7: return "Argument list too long";
            case 14: return "Bad address";
            case 19: return "No such device";
            case 22: return "Invalid argument";
            case 95: return "Operation not supported";
            case 524: return "Unknown error 524";
            default: return "errno " + errno;
        }
    }

    private static String oracleScript(String name) {
        return TestData.dir().resolve("oracle").resolve(name).toString();
    }

    private static byte[] hex(JsonNode array) {
        byte[] b = new byte[array.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(array.get(i).asText().substring(2), 16);
        }
        return b;
    }

    private static Exec.Result execResult(List<String> cmd) {
        return Exec.run(cmd);
    }

    private static String exec(List<String> cmd) {
        return Exec.check(cmd);
    }

    /** Removes {@code dir} and everything under it, if it exists. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes both pin directories (the programs and maps go when their last reference does). */
    @Override
    public void close() {
        deleteTree(progDir);
        deleteTree(mapDir);
    }
}
