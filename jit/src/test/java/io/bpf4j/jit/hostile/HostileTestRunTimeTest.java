package io.bpf4j.jit.hostile;

import static io.bpf4j.jit.TestPrograms.asm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.jit.testrun.TestRun;
import io.bpf4j.jit.testrun.TestRunException;
import io.bpf4j.jit.testrun.TestRunInput;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code run --repeat 2000000000} stops on a time limit or an interrupt with a clear error (issue 20). */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileTestRunTimeTest {

    private static TestRun xdpPass() {
        Executable exe = Interpreter.INSTANCE.prepare(ProgramImage.builder(asm("mov %r0, 2", "exit"))
                .helpers(StandardHelpers.forProgramType(ProgramType.XDP)).build());
        return TestRun.of(exe, ProgramType.XDP);
    }

    @Test
    void aTimeLimitStopsAHugeRepeatLoop() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> xdpPass().withTimeLimit(Duration.ofMillis(200))
                .run(TestRunInput.ofData(new byte[64]).withRepeat(2_000_000_000)))
                .isInstanceOf(TestRunException.class)
                .hasMessageStartingWith("prog '")
                .hasMessageContaining("test run: time limit of 200 ms reached after ")
                .hasMessageEndingWith(" of 2000000000 runs")
                .satisfies(e -> assertThat(((TestRunException) e).errno()).isEqualTo(110));
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void anInterruptStopsAHugeRepeatLoopWithEintr() throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                xdpPass().run(TestRunInput.ofData(new byte[64]).withRepeat(2_000_000_000));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        Thread.sleep(200);
        t.interrupt();
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(TestRunException.class).hasMessageContaining("test run: interrupted after ");
        assertThat(((TestRunException) thrown.get()).errno()).isEqualTo(4);
    }

    @Test
    void aShortRepeatUnderTheLimitRuns() {
        assertThat(xdpPass().withTimeLimit(Duration.ofSeconds(10)).run(TestRunInput.ofData(new byte[64]).withRepeat(1000))
                .retval()).isEqualTo(2);
    }
}
