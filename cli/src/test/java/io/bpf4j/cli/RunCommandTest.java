package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bpf4j run}, printing what {@code bpftool prog run} prints, on runs the kernel also made (kernel-runs.txt). */
class RunCommandTest {

    @Test
    void xdpPassReturnsXdpPassLikeTheKernel(@TempDir Path dir) throws Exception {
        Path packet = Files.write(dir.resolve("in"), new byte[64]);
        CliRun run = CliRun.of("run", TestData.object("minimal.v1.el.o").toString(), "--prog", "xdp_pass", "--data-in", packet.toString(),
                "--repeat", "5");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).matches("Return value: 2, duration \\(average\\): \\d+ns\n");
        CliRun json = CliRun.of("-j", "run", TestData.object("minimal.v1.el.o").toString(), "--prog", "xdp_drop", "--data-in", packet.toString());
        assertThat(json.out()).matches("\\{\"retval\":1,\"duration\":\\d+,\"engine\":\"compiled\"}\n");
        CliRun interpreted = CliRun.of("-j", "run", TestData.object("minimal.v1.el.o").toString(), "--prog", "xdp_drop", "--data-in",
                packet.toString(), "--engine", "interpreter");
        assertThat(interpreted.out()).matches("\\{\"retval\":1,\"duration\":\\d+,\"engine\":\"interpreter\"}\n");
    }

    @Test
    void calculonWritesTheTalksResultBack(@TempDir Path dir) throws Exception {
        String expr = "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+";
        ByteBuffer ctx = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        ctx.putInt(0, expr.length());
        ctx.position(16);
        ctx.put(expr.getBytes(StandardCharsets.US_ASCII));
        Path in = Files.write(dir.resolve("ctx"), ctx.array());
        Path out = dir.resolve("ctx.out");
        CliRun run = CliRun.of("run", TestData.object("calculon_switch.v3.el.o").toString(), "--prog", "calculon_run", "--no-verify",
                "--ctx-in", in.toString(), "--ctx-out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Return value: 0, duration: ");
        assertThat(ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN).getLong(8)).isEqualTo(11);
    }

    @Test
    void unknownProgramAndBadRepeatAreRejectedInput() {
        String obj = TestData.object("minimal.v1.el.o").toString();
        CliRun missing = CliRun.of("run", obj, "--prog", "nope");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no program named 'nope'");
        // a bad option value is a usage error (2), whether picocli or the command finds it
        CliRun zero = CliRun.of("run", obj, "--prog", "xdp_pass", "--repeat", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).isEqualTo("bpf4j: error: --repeat: must be at least 1, not 0\ntry 'bpf4j run --help'\n");
        assertThat(CliRun.of("run", obj, "--prog", "xdp_pass", "--repeat", "-1").exitCode()).isEqualTo(2);
        CliRun abc = CliRun.of("run", obj, "--prog", "xdp_pass", "--repeat", "abc");
        assertThat(abc.exitCode()).isEqualTo(2);
        assertThat(abc.err().lines()).hasSize(2).last().isEqualTo("try 'bpf4j run --help'");
        CliRun warmup = CliRun.of("run", obj, "--prog", "xdp_pass", "--warmup", "-1");
        assertThat(warmup.exitCode()).isEqualTo(2);
        assertThat(warmup.err()).contains("--warmup: must not be negative");
    }

    @Test
    void helpDocumentsTheWarmup() {
        CliRun help = CliRun.of("run", "--help");
        assertThat(help.out().replaceAll("\\s+", " ")).contains("--warmup=N").contains("0 counts everything");
    }
}
