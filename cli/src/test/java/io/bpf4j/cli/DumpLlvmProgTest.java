package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code bpf4j dump --format=llvm --prog NAME OBJ} prints what {@code llvm-objdump-19 -dr
 * --disassemble-symbols=NAME OBJ} prints from its first "Disassembly of section" line, run live
 * on programs in .text and in their own sections; an unknown name is refused.
 */
class DumpLlvmProgTest {
    private static final String LLVM_OBJDUMP = "llvm-objdump-19";

    @TestFactory
    Stream<DynamicTest> progSelectsOneFunctionAsLlvmObjdumpDoes() {
        List<String[]> cases = List.of(
                new String[] {"calculon_table.v3.el.o", "calculon_selftest"},
                new String[] {"calculon_table.v3.el.o", "calculon_add"},
                new String[] {"minimal.v1.el.o", "xdp_pass"},
                new String[] {"maps_hash_array.v3.el.o", "maps_count_xdp"},
                new String[] {"subprogs.v3.eb.o", "subprogs_static"});
        return cases.stream().map(c -> DynamicTest.dynamicTest(c[0] + " " + c[1], () -> {
            String obj = TestData.object(c[0]).toString();
            String expected = llvmObjdump("-dr", "--disassemble-symbols=" + c[1], obj);
            expected = expected.substring(expected.indexOf("Disassembly of section"));
            CliRun run = CliRun.of("dump", "--format=llvm", "--llvm", "19", "--prog", c[1], obj);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(expected);
        }));
    }

    @TestFactory
    Stream<DynamicTest> anUnknownProgramIsRefused() {
        return Stream.of(DynamicTest.dynamicTest("nope", () -> {
            CliRun run = CliRun.of("dump", "--format=llvm", "--prog", "nope", TestData.object("minimal.v1.el.o").toString());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("no program named 'nope'");
        }));
    }

    private static String llvmObjdump(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(LLVM_OBJDUMP));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            Assumptions.abort(LLVM_OBJDUMP + " is not on PATH: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }
}
