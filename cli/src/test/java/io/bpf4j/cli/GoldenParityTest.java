package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every testdata object through the command line against the goldens the real tools printed:
 * {@code dump --format=llvm} against {@code llvm-objdump-19 -dr} for clang-19's objects and
 * {@code llvm-objdump-22 -dr} for clang-22's (plain {@code dump --format=llvm} is the newer),
 * {@code btf dump} against {@code bpftool btf dump file}.
 */
class GoldenParityTest {

    @Test
    void corpusIsThere() {
        assertThat(TestData.objects()).hasSizeGreaterThan(50);
    }

    @TestFactory
    Stream<DynamicTest> dumpLlvmEqualsLlvmObjdump() {
        return TestData.objects().stream().map(obj -> DynamicTest.dynamicTest(obj.getFileName().toString(), () -> {
            String golden = Files.readString(TestData.golden("llvm-objdump", obj));
            String expected = golden.substring(golden.indexOf("Disassembly of section"));
            CliRun run = TestData.llvmVersion(obj) == 22
                    ? CliRun.of("dump", "--format=llvm", obj.toString())
                    : CliRun.of("dump", "--format=llvm", "--llvm=" + TestData.llvmVersion(obj), obj.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(expected);
        }));
    }

    @TestFactory
    Stream<DynamicTest> btfDumpEqualsBpftool() {
        return TestData.objects().stream().map(obj -> DynamicTest.dynamicTest(obj.getFileName().toString(), () -> {
            Path golden = TestData.golden("btf", obj);
            CliRun run = CliRun.of("btf", "dump", obj.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(Files.readString(golden));
        }));
    }

    static List<String> lines(Path p) throws IOException {
        return Files.readAllLines(p);
    }
}
