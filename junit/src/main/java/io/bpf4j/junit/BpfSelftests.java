package io.bpf4j.junit;

import io.bpf4j.loader.selftest.Selftest;
import io.bpf4j.loader.selftest.SelftestResult;
import io.bpf4j.loader.selftest.Selftests;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The kernel's verifier selftests convention as JUnit dynamic tests: one test per program of an
 * object annotated with bpf_misc.h's decl tags ({@code __success}, {@code __failure},
 * {@code __msg}, {@code __retval}, {@code __description}, ...), run as {@code test_loader.c}
 * runs it ({@link Selftests}). A failed expectation fails the test with test_loader's reason and
 * the verifier log; the {@code @unpriv} run is judged with the unprivileged rules; what bpf4j
 * cannot judge (a flag it does not model, another architecture) is skipped with the reason.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> verifierSelftests() {
 *     return BpfSelftests.dynamicTests(Path.of("target/classes/bpf/verifier_demo.bpf.o"));
 * }
 * }</pre>
 */
public final class BpfSelftests {
    private BpfSelftests() {
    }

    /** One dynamic test per program of {@code object}, named after the program (and its description). */
    public static Stream<DynamicTest> dynamicTests(Path object) {
        return Selftests.read(object).stream()
                .map(t -> DynamicTest.dynamicTest(t.name(), object.toUri(), () -> execute(t)));
    }

    /** Runs one selftest, throwing as JUnit expects: a failure, an abort (skip), or nothing. */
    static void execute(Selftest test) {
        SelftestResult r = Selftests.run(test);
        switch (r.status()) {
            case PASSED:
                return;
            case SKIPPED:
                throw new TestAbortedException(test + ": skipped: " + r.message());
            default:
                throw new AssertionFailedError(test + ": " + r.message()
                        + (r.log().isEmpty() ? "" : "\nVERIFIER LOG:\n=============\n" + r.log() + "============="));
        }
    }
}
