package io.bpf4j.verifier.internal.scalar;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The live kernel as the reference: a tiny C program (src/test/c/verifier_log.c, compiled with
 * gcc into target/ on first use) loads raw instructions as a socket filter with log_level 2 and
 * prints the verifier log. Used until the shared oracle harness lands.
 */
final class KernelVerifierLog {
    private static final Path SOURCE = Path.of("src/test/c/verifier_log.c");
    private static final Path BINARY = Path.of("target/verifier_log");
    private static String unavailable;
    private static boolean probed;

    private KernelVerifierLog() {
    }

    /** Skips the calling test without root, gcc or BPF, or fails it when {@code bpf4j.requireKernel} is set. */
    static void assumeKernel() {
        String why = probe();
        if (why != null && Boolean.getBoolean("bpf4j.requireKernel")) {
            fail("bpf4j.requireKernel is set but the kernel verifier cannot be run here: " + why);
        }
        Assumptions.assumeTrue(why == null, () -> "skipped, needs root, gcc and BPF_PROG_LOAD: " + why);
    }

    private static synchronized String probe() {
        if (probed) {
            return unavailable;
        }
        probed = true;
        try {
            if (!"root".equals(System.getProperty("user.name"))) {
                return unavailable = "not root";
            }
            if (!Files.isRegularFile(BINARY)
                    || Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) < 0) {
                Files.createDirectories(BINARY.getParent());
                Process p = new ProcessBuilder("gcc", "-O2", "-o", BINARY.toString(), SOURCE.toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    return unavailable = "gcc failed: " + out;
                }
            }
            // r0 = 0; exit
            String log = load(List.of(new byte[] {(byte) 0xb7, 0, 0, 0, 0, 0, 0, 0},
                    new byte[] {(byte) 0x95, 0, 0, 0, 0, 0, 0, 0}));
            if (!log.startsWith("ret=") || log.startsWith("ret=-1")) {
                return unavailable = "BPF_PROG_LOAD failed: " + log.lines().findFirst().orElse("");
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return unavailable = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable = e.toString();
        }
    }

    /** The helper's output: {@code ret=<fd> errno=<n>} then the verifier log. */
    static String load(List<byte[]> insns) throws IOException {
        StringBuilder in = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (byte[] insn : insns) {
            in.append(hex.formatHex(insn)).append('\n');
        }
        Process p = new ProcessBuilder(BINARY.toString()).start();
        try (OutputStream os = p.getOutputStream()) {
            os.write(in.toString().getBytes(StandardCharsets.US_ASCII));
        }
        String out;
        try (InputStream is = p.getInputStream()) {
            out = new String(is.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }
}
