package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code bpf4j btf dump FILE format c} byte for byte against {@code bpftool btf dump file FILE
 * format c}, both run live in the same test run: on every testdata object (both byte orders), on
 * kinds.c (every kind, bitfields, ENUM64) and on the running kernel's {@code /sys/kernel/btf/vmlinux}
 * (the vmlinux.h every CO-RE user generates). Skipped without bpftool or kernel BTF, failed
 * instead under {@code -Dbpf4j.requireKernel=true}.
 */
@Tag("kernel")
class BtfFormatCBpftoolTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    @TestFactory
    Stream<DynamicTest> formatCEqualsBpftool() {
        String unavailable = bpftoolUnavailable();
        Stream<Path> files = Stream.concat(Stream.concat(TestData.objects().stream(), Stream.of(resource("/btf/kinds.o"))),
                Stream.of(VMLINUX));
        return files.map(file -> DynamicTest.dynamicTest(file.toString(), () -> {
            KernelFacts.assume(unavailable);
            KernelFacts.assume(Files.isReadable(file) ? null : file + " is not readable (a kernel without BTF)");
            String expected = bpftool("btf", "dump", "file", file.toString(), "format", "c");
            CliRun run = CliRun.of("btf", "dump", file.toString(), "format", "c");
            assertThat(run.exitCode()).as(run.err()).isZero();
            if (!run.out().equals(expected)) {
                // the first differing line, with context, rather than megabytes of vmlinux.h
                String[] want = expected.split("\n", -1);
                String[] got = run.out().split("\n", -1);
                int i = 0;
                while (i < Math.min(want.length, got.length) && want[i].equals(got[i])) {
                    i++;
                }
                int from = Math.max(0, i - 5);
                assertThat(String.join("\n", List.of(got).subList(from, Math.min(got.length, i + 5))))
                        .as("%s: line %d", file, i + 1)
                        .isEqualTo(String.join("\n", List.of(want).subList(from, Math.min(want.length, i + 5))));
            }
            assertThat(run.out()).isEqualTo(expected);
        }));
    }

    private static Path resource(String name) {
        try {
            return Path.of(BtfFormatCBpftoolTest.class.getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bpftoolUnavailable() {
        try {
            return bpftool("version").startsWith("bpftool") ? null : "bpftool version failed";
        } catch (IOException e) {
            return "no bpftool on PATH (" + e.getMessage() + ")";
        }
    }

    private static String bpftool(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("bpftool"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("bpftool", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("bpftool " + String.join(" ", args) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException("bpftool " + String.join(" ", args) + ": exit " + p.exitValue());
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
