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
 * libbpf 1.5, for what Debian's libbpf 1.1 cannot open ({@code .struct_ops.link}, {@code ?}
 * struct_ops sections, members the kernel lacks, arenas): built from the kernel source package
 * ({@code /usr/src/linux-source-6.12.tar.xz}, or {@code $BPF4J_KERNEL_SOURCE}) once per machine
 * into {@code $TMPDIR/bpf4j-libbpf15-<size>} (about a minute: the tarball is read once for
 * {@code tools/}, then {@code make} builds {@code libbpf.a}), then the driver of the capture
 * harness ({@code testdata/libbpf-capture/capture.c}) is linked against it once per JVM.
 * {@link #capture} runs it on an object ({@code capture --whole}): the JSON lines the driver and
 * the harness's {@code bpf()} interposer ({@code testdata/libbpf-capture/interpose.c}) write, in order.
 * Nothing it reports is committed.
 */
public final class Libbpf15 {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, List<JsonNode>> CAPTURED = new HashMap<>();
    private static Path harness;
    private static String unavailable;
    private static boolean probed;

    private Libbpf15() {}

    /** The kernel source tarball libbpf 1.5 is built from. */
    static Path tarball() {
        String env = System.getenv("BPF4J_KERNEL_SOURCE");
        return Path.of(env != null ? env : "/usr/src/linux-source-6.12.tar.xz");
    }

    /** Why captures cannot be made here, or null when they can. Builds on first use. */
    public static synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            unavailable = LiveKernel.unavailableReason();
            if (unavailable == null && !Files.isRegularFile(tarball())) {
                unavailable = "no kernel source package " + tarball() + " to build libbpf 1.5 from (apt-get install linux-source-6.12)";
            }
            if (unavailable == null) {
                try {
                    harness = build(libbpf());
                } catch (RuntimeException e) {
                    unavailable = "cannot build libbpf 1.5 and its capture driver: " + e.getMessage();
                }
            }
        }
        return unavailable;
    }

    /**
     * What libbpf 1.5 does with {@code object} in this kernel: the driver's events
     * ({@code session} markers; {@code object}, {@code program}, {@code map} after open; {@code load_result}; {@code attach} and
     * {@code attach_result} per struct_ops map; {@code test_run} per syscall program;
     * {@code libbpf_log}) and the interposer's {@code map_create}, {@code map_update} and
     * {@code prog_load}, in the order they happened. Once per object per JVM.
     */
    public static synchronized List<JsonNode> capture(Path object) {
        Path key = object.toAbsolutePath().normalize();
        List<JsonNode> cached = CAPTURED.get(key);
        if (cached != null) {
            return cached;
        }
        KernelFacts.assume(unavailableReason());
        Path work = null;
        try {
            work = Files.createTempDirectory("bpf4j-capture15");
            Path log = work.resolve("capture.log");
            Files.createFile(log);
            String name = key.getFileName().toString();
            Exec.Result r = Exec.run(List.of(harness.resolve("capture").toString(), "--whole", name), key.getParent(),
                    Map.of("BPF4J_CAPTURE_LOG", log.toString(), "LD_PRELOAD", harness.resolve("interpose.so").toString()));
            if (r.exit() != 0) {
                throw new IllegalStateException("libbpf 1.5 capture of " + name + " failed (" + r.exit() + "): " + r.text());
            }
            List<JsonNode> events = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
            List<JsonNode> out = List.copyOf(events);
            CAPTURED.put(key, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            LiveKernel.deleteTree(work);
        }
    }

    /** The built libbpf 1.5 (its directory holds {@code libbpf.a} and {@code include/bpf}). */
    private static Path libbpf() {
        try {
            Path t = tarball();
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "bpf4j-libbpf15-" + Files.size(t));
            Path lib = dir.resolve("out/libbpf.a");
            Path headers = dir.resolve("out/include/bpf/libbpf.h");
            if (Files.isRegularFile(lib) && Files.isRegularFile(headers)) {
                return dir.resolve("out");
            }
            Path src = dir.resolve("src");
            Files.createDirectories(src);
            String top = "linux-source-6.12";
            List<String> tar = new ArrayList<>(List.of("tar", "-xJf", t.toString(), "-C", src.toString(), "--wildcards"));
            for (String part : List.of("tools/lib/bpf/*", "tools/include/*", "tools/build/*", "tools/scripts/*",
                    "tools/arch/x86/include/*", "include/uapi/linux/*", "scripts/bpf_doc.py")) {
                tar.add(top + "/" + part);
            }
            Exec.run(tar).orThrow(tar);
            Path out = dir.resolve("out");
            Files.createDirectories(out);
            Path bpf = src.resolve(top).resolve("tools/lib/bpf");
            List<String> make = List.of("make", "-s", "-C", bpf.toString(), "OUTPUT=" + out + "/", "-j2", out + "/libbpf.a");
            Exec.run(make).orThrow(make);
            List<String> headersCmd = List.of("make", "-s", "-C", bpf.toString(), "OUTPUT=" + out + "/", "DESTDIR=" + out,
                    "prefix=", "install_headers");
            Exec.run(headersCmd).orThrow(headersCmd);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path build(Path libbpf) {
        try {
            Path dir = Files.createTempDirectory("bpf4j-capture15-harness");
            String cc = LibbpfCapture.compiler();
            LibbpfCapture.buildInterposer(cc, dir);
            LibbpfCapture.buildDriver(cc, dir, List.of("-I" + libbpf.resolve("include")),
                    List.of(libbpf.resolve("libbpf.a").toString(), "-lelf", "-lz"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LiveKernel.deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
