package io.bpf4j.jit.testrun;

import static io.bpf4j.jit.TestPrograms.asm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.helpers.StandardHelpers;
import org.junit.jupiter.api.Test;

/** Input checks and layouts of the in-process test run, without the kernel. */
class TestRunTest {
    private static Executable prog(ProgramType type, String... lines) {
        return Interpreter.INSTANCE.prepare(ProgramImage.builder(asm(lines)).helpers(StandardHelpers.forProgramType(type)).build());
    }

    @Test
    void xdpSeesDataAndDataEndAndReportsThemBack() {
        // r0 = data_end - data
        Executable p = prog(ProgramType.XDP, "ldxw %r2, [%r1+0]", "ldxw %r3, [%r1+4]", "mov %r0, %r3", "sub %r0, %r2", "exit");
        TestRunResult r = TestRun.of(p, ProgramType.XDP).run(TestRunInput.ofData(new byte[60]));
        assertThat(r.retval()).isEqualTo(60);
        assertThat(r.dataOut()).hasSize(60);
        assertThat(r.ctxOut()).hasSize(24);
    }

    @Test
    void refusalsCarryTheKernelsErrno() {
        Executable p = prog(ProgramType.XDP, "mov %r0, 2", "exit");
        assertThat(catchThrowableOfType(TestRunException.class, () -> TestRun.of(p, ProgramType.XDP).run(TestRunInput.ofData(new byte[13])))
                .errno()).isEqualTo(22);
        byte[] ctx = new byte[32];
        ctx[28] = 1;
        assertThat(catchThrowableOfType(TestRunException.class,
                () -> TestRun.of(p, ProgramType.XDP).run(TestRunInput.ofData(new byte[20]).withCtx(ctx))).errno()).isEqualTo(7);
        assertThat(catchThrowableOfType(TestRunException.class, () -> TestRun.of(p, ProgramType.CGROUP_SKB).run(TestRunInput.ofData(new byte[20])))
                .errno()).isEqualTo(524);
        assertThat(catchThrowableOfType(TestRunException.class,
                () -> TestRun.of(p, ProgramType.SOCKET_FILTER).run(TestRunInput.ofData(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0x45})))
                .errno()).isEqualTo(22);
    }

    @Test
    void socketFilterSkbLenIsFourteenLessAndTheLinkHeaderComesBackZeroed() {
        Executable p = prog(ProgramType.SOCKET_FILTER, "ldxw %r0, [%r1+0]", "exit");
        byte[] frame = new byte[60];
        frame[0] = (byte) 0xaa;
        frame[12] = 0x08;
        frame[13] = 0x06;
        TestRunResult r = TestRun.of(p, ProgramType.SOCKET_FILTER).run(TestRunInput.ofData(frame));
        assertThat(r.retval()).isEqualTo(46);
        assertThat(r.dataOut()[0]).isZero();
        assertThat(r.dataOut()).hasSize(60);
    }

    @Test
    void syscallContextIsWrittenBack() {
        Executable p = prog(ProgramType.SYSCALL, "ldxw %r2, [%r1+0]", "add %r2, 1", "stxw [%r1+0], %r2", "mov %r0, %r2", "exit");
        TestRunResult r = TestRun.of(p, ProgramType.SYSCALL).run(TestRunInput.ofContext(new byte[] {41, 0, 0, 0}));
        assertThat(r.retval()).isEqualTo(42);
        assertThat(r.ctxOut()[0]).isEqualTo((byte) 42);
    }

    @Test
    void warmupRunsOnAFreshCopySoTheResultIsThatOfTheCountedRepeats() {
        // data[0] += 1 on every run; r0 = the new value
        Executable p = prog(ProgramType.XDP, "ldxw %r2, [%r1+0]", "ldxb %r0, [%r2+0]", "add %r0, 1", "stxb [%r2+0], %r0", "exit");
        TestRunResult r = TestRun.of(p, ProgramType.XDP).run(TestRunInput.ofData(new byte[60]).withRepeat(3).withWarmup(50));
        assertThat(r.retval()).isEqualTo(3);
        assertThat(r.dataOut()[0]).isEqualTo((byte) 3);
        assertThat(TestRun.of(p, ProgramType.XDP).run(TestRunInput.ofData(new byte[60]).withRepeat(3)).dataOut()[0]).isEqualTo((byte) 3);
    }

    @Test
    void aNegativeWarmupIsRefused() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> TestRunInput.ofData(new byte[60]).withWarmup(-1))).isNotNull();
    }
}
