package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resource policy's switches on the command line (issue 20): a global-data limit and a wall-clock limit. */
class LimitsOptionsTest {
    @Test
    void maxGlobalDataRefusesAnObjectOverItAndNamesTheLimit() {
        String object = TestData.object("global_data.v3.el.o").toString();
        CliRun ok = CliRun.of("inspect", object);
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        CliRun refused = CliRun.of("--max-global-data", "8", "inspect", object);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith("bpf4j: error: " + object + ": map '")
                .contains("brings the object's global data to").contains("over the limit of 8 bytes");
        CliRun negative = CliRun.of("--max-global-data", "-1", "dump", object);
        assertThat(negative.exitCode()).isNotZero();
        assertThat(negative.err()).contains("--max-global-data: must not be negative, not -1");
    }

    @Test
    void timeLimitStopsALongRepeatLoop(@TempDir Path dir) throws Exception {
        Path packet = Files.write(dir.resolve("in"), new byte[64]);
        long start = System.nanoTime();
        CliRun run = CliRun.of("run", TestData.object("minimal.v1.el.o").toString(), "--prog", "xdp_pass", "--data-in", packet.toString(),
                "--repeat", "2000000000", "--warmup", "0", "--time-limit", "0.3");
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(20_000);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("time limit of 300 ms reached after").contains("of 2000000000 runs");
        assertThat(CliRun.of("run", TestData.object("minimal.v1.el.o").toString(), "--prog", "xdp_pass", "--time-limit", "0").err())
                .contains("--time-limit: must be a positive number of seconds, not 0.0");
    }
}
