package io.bpf4j.junit;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.loader.TestRunInput;
import io.bpf4j.loader.TestRunResult;
import io.bpf4j.loader.BpfMap;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.ProgramVerification;
import io.bpf4j.loader.SourceLocation;
import java.util.Arrays;
import java.util.HexFormat;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions that read like the domain:
 *
 * <pre>{@code
 * assertThat(prog).isAccepted();
 * assertThat(prog).isRejected().withMessage("R0 invalid mem access").atLine(42);
 * assertThat(prog).whenRun(TestRunInput.ofData(packet)).returns(2).hasDataOut(expected);
 * assertThat(counts).containsEntry(key, value);
 * }</pre>
 *
 * A failure names the program, the kernel-format error line and its source place, explains a
 * rejection (the instructions that made the offending value, with source lines, and a hint) and
 * carries the verifier log.
 */
public final class BpfAssertions {
    private BpfAssertions() {
    }

    /** Assertions on a program (verdict, test runs). */
    public static ProgramAssert assertThat(BpfProgram program) {
        return new ProgramAssert(program);
    }

    /** Assertions on a loaded map's content. */
    public static MapAssert assertThat(BpfMap map) {
        return new MapAssert(map);
    }

    /**
     * What every assertion here shares: its subject, named as libbpf names it ({@code prog 'x'},
     * {@code map 'm'}), first in every failure.
     */
    abstract static class SubjectAssert {
        private final String subject;

        SubjectAssert(String kind, String name) {
            this.subject = kind + " '" + name + "'";
        }

        /** A failure whose message is the subject, then {@code detail}. */
        final AssertionFailedError failure(String detail) {
            return new AssertionFailedError(subject + detail);
        }

        /** A failure whose message is the subject, then {@code detail}, with what was expected and found. */
        final AssertionFailedError failure(String detail, Object expected, Object actual) {
            return new AssertionFailedError(subject + detail, expected, actual);
        }
    }

    /** Assertions on a program. */
    public static final class ProgramAssert extends SubjectAssert {
        private final BpfProgram program;

        ProgramAssert(BpfProgram program) {
            super("prog", program.name());
            this.program = program;
        }

        private ProgramVerification verification() {
            return program.verification().orElseGet(() -> program.verify(LoadOptions.builder().logLevel(1).build()));
        }

        /** The verifier accepts the program (as Linux 6.18 would). */
        public ProgramAssert isAccepted() {
            ProgramVerification v = verification();
            if (!v.accepted()) {
                throw failure(": expected the verifier to accept it, but it "
                        + (v.status() == ProgramVerification.Status.REJECTED ? "rejected it: " : "reported: ")
                        + v.errorLine().orElse(v.status().name()) + v.sourceLocation().map(l -> " (" + l + ")").orElse("")
                        + "\n" + v.explanation().map(e -> e.render()).orElse("") + v.log());
            }
            return this;
        }

        /** The verifier rejects the program; what follows checks how. */
        public RejectionAssert isRejected() {
            ProgramVerification v = program.verify(LoadOptions.builder().logLevel(1).build());
            if (v.status() != ProgramVerification.Status.REJECTED) {
                throw failure(": expected the verifier to reject it, but it "
                        + (v.accepted() ? "accepted it" : "reported " + v.status() + ": " + v.errorLine().orElse("")));
            }
            return new RejectionAssert(program.name(), v);
        }

        /** Test-runs the loaded program on {@code input}; what follows checks the result. */
        public RunAssert whenRun(TestRunInput input) {
            return new RunAssert(program.name(), program.testRun(input));
        }

        /**
         * Test-runs the loaded program on {@code input}, stopping a long repeat loop once
         * {@code timeLimit} has passed (the run then fails with the loader's time-limit error).
         */
        public RunAssert whenRun(TestRunInput input, java.time.Duration timeLimit) {
            return new RunAssert(program.name(), program.testRun(input, timeLimit));
        }
    }

    /** Assertions on a rejection. */
    public static final class RejectionAssert extends SubjectAssert {
        private final ProgramVerification verification;

        RejectionAssert(String program, ProgramVerification verification) {
            super("prog", program);
            this.verification = verification;
        }

        /** The kernel-format error line contains {@code text}. */
        public RejectionAssert withMessage(String text) {
            String line = verification.errorLine().orElse("");
            if (!line.contains(text)) {
                throw failure(": expected the rejection to say '" + text
                        + "', but it says '" + line + "'", text, line);
            }
            return this;
        }

        /** The log (at level 1) contains {@code text}. */
        public RejectionAssert withLogContaining(String text) {
            if (!verification.log().contains(text)) {
                throw failure(": expected the verifier log to contain '" + text
                        + "'\n" + verification.log());
            }
            return this;
        }

        /** The verifier stopped at this source line (of any file). */
        public RejectionAssert atLine(int line) {
            SourceLocation at = location();
            if (at.line() != line) {
                throw failure(": expected the rejection at line " + line
                        + ", but it is at " + at + ": " + at.text(), line, at.line());
            }
            return this;
        }

        /** The verifier stopped at {@code file:line} ({@code file} without directories). */
        public RejectionAssert at(String file, int line) {
            SourceLocation at = location();
            if (at.line() != line || !at.file().equals(file)) {
                throw failure(": expected the rejection at " + file + ":" + line
                        + ", but it is at " + at, file + ":" + line, at.toString());
            }
            return this;
        }

        private SourceLocation location() {
            return verification.sourceLocation().orElseThrow(() -> failure(
                    ": the rejection has no source line (the object has no line info, or the error has no instruction)"));
        }

        /** The verification, for anything else. */
        public ProgramVerification verification() {
            return verification;
        }
    }

    /** Assertions on a test run's result. */
    public static final class RunAssert extends SubjectAssert {
        private final TestRunResult result;

        RunAssert(String program, TestRunResult result) {
            super("prog", program);
            this.result = result;
        }

        /** The return value ({@code retval}, compared as the kernel's 32-bit value when {@code expected} fits in 32 bits). */
        public RunAssert returns(long expected) {
            long got = result.retval();
            boolean same = got == expected || expected == (int) expected && (int) got == (int) expected
                    || expected >= 0 && expected <= 0xffffffffL && (got & 0xffffffffL) == expected;
            if (!same) {
                throw failure(": expected retval " + expected + ", got " + got,
                        expected, got);
            }
            return this;
        }

        /** The packet after the run ({@code data_out}) is exactly {@code expected}. */
        public RunAssert hasDataOut(byte[] expected) {
            return bytes("data_out", result.dataOut(), expected);
        }

        /** The context after the run ({@code ctx_out}) is exactly {@code expected}. */
        public RunAssert hasCtxOut(byte[] expected) {
            return bytes("ctx_out", result.ctxOut(), expected);
        }

        private RunAssert bytes(String what, byte[] got, byte[] expected) {
            if (!Arrays.equals(got, expected)) {
                HexFormat hex = HexFormat.of();
                throw failure(": " + what + " differs",
                        hex.formatHex(expected), got == null ? "null" : hex.formatHex(got));
            }
            return this;
        }

        /** The result, for anything else. */
        public TestRunResult result() {
            return result;
        }
    }

    /** Assertions on a map's content (after load). */
    public static final class MapAssert extends SubjectAssert {
        private final BpfMap map;

        MapAssert(BpfMap map) {
            super("map", map.name());
            this.map = map;
        }

        private BpfMap created() {
            if (!map.isCreated()) {
                throw failure(" has no content: the object is not loaded or the map was not created");
            }
            return map;
        }

        /** The map holds {@code value} under {@code key} (bytes in the map's memory order). */
        public MapAssert containsEntry(byte[] key, byte[] value) {
            byte[] got;
            try {
                got = created().lookup(key).orElse(null);
            } catch (RuntimeException e) {
                throw failure(": no value under key " + HexFormat.of().formatHex(key) + " (" + e.getMessage() + ")");
            }
            if (got == null) {
                throw failure(": no value under key " + HexFormat.of().formatHex(key));
            }
            if (!Arrays.equals(got, value)) {
                throw failure(": value under key " + HexFormat.of().formatHex(key) + " differs", HexFormat.of().formatHex(value), HexFormat.of().formatHex(got));
            }
            return this;
        }

        /** The map holds the little-endian {@code value} (of the map's value size) under the little-endian u32 {@code key}. */
        public MapAssert containsEntry(int key, long value) {
            return containsEntry(LittleEndian.u32(key), LittleEndian.of(value, created().valueSize()));
        }

        /** The map has exactly {@code n} keys. */
        public MapAssert hasSize(int n) {
            int got = created().keys().size();
            if (got != n) {
                throw failure(": expected " + n + " entries, has " + got, n, got);
            }
            return this;
        }
    }
}
