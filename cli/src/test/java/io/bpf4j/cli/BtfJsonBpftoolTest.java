package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code bpf4j -j btf dump OBJ} against {@code bpftool -j btf dump file OBJ}, run live on every
 * testdata object (both byte orders: bpftool reads big-endian BTF too) and on kinds.c in the same test run and
 * compared as parsed JSON. Skipped without bpftool, failed instead under
 * {@code -Dbpf4j.requireKernel=true}.
 */
class BtfJsonBpftoolTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> jsonEqualsBpftool() {
        String unavailable = bpftoolUnavailable();
        Stream<Path> objects = Stream.concat(TestData.objects().stream(), Stream.of(resource("/btf/kinds.o")));
        return objects.map(obj -> DynamicTest.dynamicTest(obj.getFileName().toString(), () -> {
            // skipped (each by name, with the reason) without bpftool; failed under -Dbpf4j.requireKernel=true
            KernelFacts.assume(unavailable);
            Bpftool expected = bpftool("-j", "btf", "dump", "file", obj.toString());
            assertThat(expected.exit).as("bpftool: %s", expected.text).isZero();
            CliRun run = CliRun.of("-j", "btf", "dump", obj.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode want = JSON.readTree(expected.text);
            JsonNode got = JSON.readTree(run.out());
            assertThat(got.get("types")).as("types").isNotNull();
            for (int i = 0; i < Math.max(want.get("types").size(), got.get("types").size()); i++) {
                assertThat(got.get("types").get(i)).as("type #%d", i + 1).isEqualTo(want.get("types").get(i));
            }
            assertThat(got).isEqualTo(want);
        }));
    }

    /** kinds.c: every kind bpftool dumps, bitfields, ENUM64, signed and top-bit-set unsigned enumerators. */
    private static Path resource(String name) {
        try {
            return Path.of(BtfJsonBpftoolTest.class.getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Bpftool(int exit, String text) {}

    private static String bpftoolUnavailable() {
        try {
            Bpftool v = bpftool("version");
            return v.exit == 0 && v.text.startsWith("bpftool") ? null : "bpftool version: " + v.text;
        } catch (IOException e) {
            return "no bpftool on PATH (" + e.getMessage() + ")";
        }
    }

    private static Bpftool bpftool(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("bpftool"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("bpftool " + String.join(" ", args) + ": timed out");
            }
            return new Bpftool(p.exitValue(), text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

}
