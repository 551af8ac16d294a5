package io.bpf4j.testdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What this machine's libbpf hands this machine's kernel for an object, captured now: the
 * capture harness of {@code testdata/libbpf-capture} (the {@code LD_PRELOAD} interposer of
 * {@code bpf()}, the libbpf driver {@code capture.c} and {@code assemble.py relo}), built once per JVM
 * into a temporary directory and run on the object. The JSON has the schema of the committed goldens
 * ({@code testdata/goldens/libbpf-relo/<object>.json}), so a committed one can be
 * {@linkplain KernelFacts#diff diffed} against it: BTF ids, kallsyms addresses, Kconfig values,
 * attach BTF ids and verdicts then come from the running kernel, not from the machine that
 * captured the golden.
 */
public final class LibbpfCapture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, JsonNode> CAPTURED = new HashMap<>();
    private static Path harness;
    private static String unavailable;
    private static boolean probed;

    private LibbpfCapture() {}

    /**
     * Why live captures cannot be made here (no usable kernel, no C compiler, no libbpf-dev,
     * no python3), or null when they can. Builds the harness on first use.
     */
    public static synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            unavailable = LiveKernel.unavailableReason();
            if (unavailable == null) {
                try {
                    harness = build();
                } catch (RuntimeException e) {
                    unavailable = "cannot build the libbpf capture harness (cc, libbpf-dev): " + e.getMessage();
                }
            }
        }
        return unavailable;
    }

    /** The capture of {@code object} made by this machine's libbpf and kernel (once per object per JVM). */
    public static synchronized JsonNode live(Path object) {
        Path key = object.toAbsolutePath().normalize();
        JsonNode cached = CAPTURED.get(key);
        if (cached != null) {
            return cached;
        }
        KernelFacts.assume(unavailableReason());
        Path work = null;
        Path pins = LiveKernel.BPFFS.resolve("bpf4j_capture_" + ProcessHandle.current().pid() + "_" + System.nanoTime());
        try {
            work = Files.createTempDirectory("bpf4j-capture");
            Files.createDirectories(pins);
            Path log = work.resolve("capture.log");
            Files.createFile(log);
            String name = key.getFileName().toString();
            // run next to the object so that libbpf's messages name it by its base name, as capture.sh does
            Exec.Result r = Exec.run(List.of(harness.resolve("capture").toString(), name), key.getParent(),
                    Map.of("BPF4J_CAPTURE_LOG", log.toString(), "BPF4J_PIN_ROOT", pins.toString(),
                            "LD_PRELOAD", harness.resolve("interpose.so").toString()));
            if (r.exit() != 0) {
                throw new IllegalStateException("libbpf capture of " + name + " failed (" + r.exit() + "): " + r.text());
            }
            Path out = work.resolve("capture.json");
            List<String> assemble = List.of("python3", TestData.dir().resolve("libbpf-capture/assemble.py").toString(),
                    "relo", log.toString(), name, libbpfVersion(), out.toString(), key.toString());
            Exec.run(assemble).orThrow(assemble);
            JsonNode json = JSON.readTree(out.toFile());
            CAPTURED.put(key, json);
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            LiveKernel.deleteTree(work);
            LiveKernel.deleteTree(pins);
        }
    }

    /**
     * The live capture of {@code object}, after printing every fact in which the committed capture
     * {@code golden} differs from it ({@link KernelFacts#report}).
     */
    public static JsonNode liveComparedWith(Path golden, Path object) {
        JsonNode live = live(object);
        try {
            KernelFacts.report(golden.getFileName().toString(), KernelFacts.diff(JSON.readTree(golden.toFile()), live));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return live;
    }

    private static String libbpfVersion() {
        Exec.Result r = Exec.run(List.of("pkg-config", "--modversion", "libbpf"));
        return r.exit() == 0 ? r.text().strip() : "unknown";
    }

    private static Path build() {
        try {
            Path dir = Files.createTempDirectory("bpf4j-capture-harness");
            dir.toFile().deleteOnExit();
            String cc = compiler();
            buildInterposer(cc, dir);
            buildDriver(cc, dir, List.of("-I/usr/include/x86_64-linux-gnu"), List.of("-lbpf"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LiveKernel.deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds {@code testdata/libbpf-capture/interpose.c}, the {@code bpf()} interposer every capture
     * driver runs under (libbpf 1.1 here, libbpf 1.5 in {@link Libbpf15}), into {@code dir/interpose.so}.
     */
    static void buildInterposer(String cc, Path dir) {
        List<String> so = List.of(cc, "-O2", "-Wall", "-shared", "-fPIC", "-o", dir.resolve("interpose.so").toString(),
                TestData.dir().resolve("libbpf-capture/interpose.c").toString(), "-ldl");
        Exec.run(so).orThrow(so);
    }

    /**
     * Builds {@code testdata/libbpf-capture/capture.c}, the libbpf driver of every capture, into
     * {@code dir/capture} with the given include options and libraries (which libbpf it links).
     */
    static void buildDriver(String cc, Path dir, List<String> includes, List<String> libraries) {
        List<String> bin = new ArrayList<>(List.of(cc, "-O2", "-Wall"));
        bin.addAll(includes);
        bin.addAll(List.of("-o", dir.resolve("capture").toString(), TestData.dir().resolve("libbpf-capture/capture.c").toString()));
        bin.addAll(libraries);
        Exec.run(bin).orThrow(bin);
    }

    /** {@code cc}, else gcc or clang-19 (CI installs clang-19 for the corpus). */
    static String compiler() {
        for (String cc : List.of("cc", "gcc", "clang-19", "clang")) {
            try {
                if (Exec.run(List.of(cc, "--version")).exit() == 0) {
                    return cc;
                }
            } catch (RuntimeException e) {
                // not installed: try the next
            }
        }
        throw new IllegalStateException("no C compiler (cc, gcc, clang-19)");
    }
}
