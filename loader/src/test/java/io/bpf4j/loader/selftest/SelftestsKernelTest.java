package io.bpf4j.loader.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.KernelVerifier;
import io.bpf4j.testdata.LiveKernel;
import io.bpf4j.testdata.TestData;
import io.bpf4j.testdata.UnprivilegedBpf;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The annotations of selftest_pass are facts of the running kernel, not of bpf4j: each program
 * loaded through libbpf gets the verdict its annotation expects, and the expected messages are
 * in the kernel's own log, in order (the same check bpf4j's runner makes against its log).
 */
@Tag("kernel")
class SelftestsKernelTest {
    @Test
    void theKernelAgreesWithEveryAnnotationOfSelftestPass() {
        KernelVerifier k = KernelVerifier.require();
        Path obj = TestData.selftestObject("selftest_pass.v3.el.o");
        // the @unpriv runs as nobody without capabilities, where this machine can enable unprivileged BPF
        boolean unprivileged = UnprivilegedBpf.unavailableReason() == null;
        int checked = 0;
        int checkedUnprivileged = 0;
        for (Selftest t : Selftests.read(obj)) {
            if (t.unprivileged() && !unprivileged) {
                continue;
            }
            SelftestSpec s = t.unprivileged() ? t.spec().unprivilegedView() : t.spec();
            // libbpf reloads a failed program with log level 1 when none was asked for
            int level = s.expectFailure() ? Math.max(1, s.logLevel()) : s.logLevel();
            KernelVerifier.Verdict v = (t.unprivileged()
                    ? UnprivilegedBpf.enabled(() -> k.verifyObjectUnprivileged(obj, level, s.program()))
                    : k.verifyObject(obj, level, s.progFlags(), s.program())).program(s.program()).verdict();
            assertThat(v.accepted()).as(t + ": " + v.summary()).isEqualTo(!s.expectFailure());
            assertThat(Selftests.validateMessages(v.log(), s.messages())).as(t + " in the kernel's log:\n" + v.log()).isNull();
            if (t.unprivileged()) {
                checkedUnprivileged++;
            } else {
                checked++;
            }
        }
        assertThat(checked).isEqualTo(14);
        assertThat(checkedUnprivileged).isEqualTo(unprivileged ? 2 : 0);
    }

    /** Each {@code __retval} is what the kernel's BPF_PROG_TEST_RUN returns on test_loader's input. */
    @Test
    void theKernelReturnsEveryAnnotatedRetval() {
        KernelVerifier.require();
        Path obj = TestData.selftestObject("selftest_pass.v3.el.o");
        int runs = 0;
        for (Selftest t : Selftests.read(obj)) {
            SelftestSpec s = t.spec();
            if (t.unprivileged() || !s.execute() || s.progFlags() != 0) {
                continue;
            }
            try (LiveKernel k = LiveKernel.load(obj, List.of(s.program()))) {
                assertThat(k.refused()).as(t.name()).isEmpty();
                LiveKernel.Run r = s.program().startsWith("syscall")
                        ? k.runContextOnly(s.program(), new byte[0])
                        : k.run(s.program(), new byte[SelftestSpec.TEST_DATA_LEN], null);
                assertThat(r.error()).as(t.name()).isNull();
                assertThat((int) r.retval()).as(t.name()).isEqualTo(s.retval());
                runs++;
            }
        }
        assertThat(runs).isEqualTo(4);
    }

    @Test
    void theKernelContradictsTheWrongAnnotations() {
        KernelVerifier k = KernelVerifier.require();
        Path obj = TestData.selftestObject("selftest_wrong.v3.el.o");
        KernelVerifier.ObjectVerdicts all = k.verifyObject(obj, 1);
        for (Selftest t : Selftests.read(obj)) {
            SelftestSpec s = t.spec();
            KernelVerifier.Verdict v = all.program(s.program()).verdict();
            boolean verdictHolds = v.accepted() == !s.expectFailure();
            boolean messagesHold = Selftests.validateMessages(v.log(), s.messages()) == null;
            if (s.program().equals("wrong_retval")) {
                assertThat(verdictHolds && messagesHold).as(t.name()).isTrue(); // its retval is what is wrong
            } else {
                assertThat(verdictHolds && messagesHold).as(t + ": " + v.summary()).isFalse();
            }
        }
    }
}
