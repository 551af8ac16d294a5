package io.bpf4j.jit.helpers;

import static io.bpf4j.jit.TestPrograms.asm;
import static io.bpf4j.jit.TestPrograms.prepare;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import io.bpf4j.testdata.Exec;
import io.bpf4j.testdata.KernelFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * bpf_snprintf against the Linux 6.18 kernel: oracle/snprintf.golden.jsonl holds what the
 * kernel returned and wrote for each format and argument list (regenerate with
 * src/test/oracle/gen_snprintf_golden.py as root); integer formatting does not depend on the
 * kernel's build. The kernel-tagged test runs the same generator against the running kernel,
 * compares with that, and reports every case in which the committed file differs.
 */
class SnprintfKernelOracleTest {

    @TestFactory
    Stream<DynamicTest> snprintfMatchesTheKernel() throws IOException {
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SnprintfKernelOracleTest.class.getResourceAsStream("/oracle/snprintf.golden.jsonl"), StandardCharsets.UTF_8))) {
            lines = r.lines().filter(l -> !l.isBlank()).toList();
        }
        assertThat(lines).hasSize(14);
        return cases(lines);
    }

    @TestFactory
    @Tag("kernel")
    Stream<DynamicTest> snprintfMatchesTheRunningKernel() throws IOException {
        KernelFacts.assumeKernel();
        KernelFacts.assume(Exec.run(List.of("sh", "-c", "command -v clang-19")).exit() == 0 ? null : "no clang-19 to build the oracle program");
        Path out = Files.createTempFile("bpf4j-snprintf", ".jsonl");
        try {
            Path gen = Path.of("src/test/oracle/gen_snprintf_golden.py");
            Exec.check(List.of("python3", gen.toString(), out.toString()));
            List<String> live = Files.readAllLines(out).stream().filter(l -> !l.isBlank()).toList();
            List<String> committed = new String(SnprintfKernelOracleTest.class.getResourceAsStream("/oracle/snprintf.golden.jsonl")
                    .readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
            ObjectMapper json = new ObjectMapper();
            KernelFacts.report("jit oracle/snprintf.golden.jsonl", KernelFacts.diff(json.readTree("[" + String.join(",", committed) + "]"),
                    json.readTree("[" + String.join(",", live) + "]")));
            assertThat(live).hasSize(14);
            return cases(live);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Stream<DynamicTest> cases(List<String> lines) {
        ObjectMapper json = new ObjectMapper();
        return lines.stream().map(line -> DynamicTest.dynamicTest(line, () -> {
            JsonNode c = json.readTree(line);
            String fmt = c.get("fmt").asText();
            int size = c.get("size").asInt();
            byte[] buf = new byte[512];
            byte[] f = fmt.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(f, 0, buf, 64, f.length);
            ByteBuffer args = ByteBuffer.wrap(buf, 256, 256).order(ByteOrder.LITTLE_ENDIAN);
            int n = 0;
            for (JsonNode a : c.get("args")) {
                args.putLong(new BigInteger(a.asText()).longValue());
                n++;
            }
            Executable exe = prepare(asm("mov %r3, %r1", "add %r3, 64", "mov %r4, %r1", "add %r4, 256",
                    "mov %r2, " + size, "mov %r5, " + 8 * n, "call 165", "exit"));
            ExecutionContext ctx = exe.newContext();
            ctx.setArgs(ctx.addMemory("buf", buf, true));
            assertThat(exe.run(ctx)).as("return value").isEqualTo(c.get("ret").asLong());
            assertThat(HexFormat.of().formatHex(Arrays.copyOf(buf, size))).as("output").isEqualTo(c.get("out_hex").asText());
        }));
    }
}
