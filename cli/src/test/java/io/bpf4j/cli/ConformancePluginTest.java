package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.ConformanceCase;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole eBPF conformance suite through {@code bpf4j conformance-plugin}, fed exactly as
 * bpf_conformance_runner feeds a plugin: memory as the first argument and the program on stdin,
 * both as hex bytes each followed by two spaces; r0 read back as hex.
 */
class ConformancePluginTest {

    static String runnerHex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x  ", b & 0xff));
        }
        return sb.toString();
    }

    @TestFactory
    Stream<DynamicTest> suiteThroughThePluginProtocol() {
        return ConformanceCase.load().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String[] args = c.memory().length == 0
                    ? new String[] {"conformance-plugin", "--interpret"}
                    : new String[] {"conformance-plugin", runnerHex(c.memory()), "--interpret"};
            CliRun run = CliRun.withStdin(runnerHex(c.program()) + "\n", args);
            if (c.expectedError() != null) {
                assertThat(run.exitCode()).isNotZero();
            } else {
                assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
                assertThat(Long.parseUnsignedLong(run.out().trim(), 16)).isEqualTo(c.expectedR0());
            }
        }));
    }
}
