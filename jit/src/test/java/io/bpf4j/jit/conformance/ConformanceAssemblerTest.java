package io.bpf4j.jit.conformance;

import io.bpf4j.testdata.ConformanceCase;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.asm.ConformanceTestFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link io.bpf4j.isa.asm.ConformanceAssembler} and {@link ConformanceTestFile} against the suite's
 * own assembler: every {@code tests/*.data} file must give exactly the program bytes, memory and
 * expected r0 that the suite's runner recorded in assembled.jsonl.
 */
class ConformanceAssemblerTest {

    private static List<Path> dataFiles() throws IOException {
        try (Stream<Path> files = Files.list(ConformanceCase.suiteDirectory().resolve("tests"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".data")).sorted().toList();
        }
    }

    private static String testName(Path p) {
        String f = p.getFileName().toString();
        return f.substring(0, f.length() - ".data".length());
    }

    @Test
    void everyDataFileHasARecordedAssembly() throws IOException {
        Map<String, ConformanceCase> recorded = ConformanceCase.load().stream()
                .collect(Collectors.toMap(ConformanceCase::name, Function.identity()));
        assertThat(dataFiles()).hasSize(313);
        assertThat(dataFiles().stream().map(ConformanceAssemblerTest::testName)).containsExactlyInAnyOrderElementsOf(recorded.keySet());
    }

    @TestFactory
    Stream<DynamicTest> assemblesLikeTheSuite() throws IOException {
        Map<String, ConformanceCase> recorded = ConformanceCase.load().stream()
                .collect(Collectors.toMap(ConformanceCase::name, Function.identity()));
        return dataFiles().stream().map(p -> DynamicTest.dynamicTest(testName(p), () -> {
            ConformanceCase expected = recorded.get(testName(p));
            assertThat(expected).as("recorded assembly of %s", testName(p)).isNotNull();
            ConformanceTestFile file = ConformanceTestFile.parse(Files.readString(p));
            assertThat(HexFormat.of().formatHex(file.programBytes()))
                    .as("program bytes of %s", testName(p))
                    .isEqualTo(HexFormat.of().formatHex(expected.program()));
            assertThat(file.memory()).as("memory of %s", testName(p)).isEqualTo(expected.memory());
            assertThat(file.result()).as("result of %s", testName(p)).isEqualTo(expected.expectedR0());
            assertThat(file.error()).isEqualTo(expected.expectedError());
        }));
    }
}
