package io.bpf4j.loader.selftest;

/**
 * How one {@link Selftest} went.
 *
 * @param test    the test
 * @param status  passed, failed, or skipped (bpf4j cannot judge it: a flag, an architecture or
 *                a verifier feature it does not model)
 * @param message why it failed or was skipped, in test_loader's words where it has them; empty when passed
 * @param log     the verifier log of the load (empty at log level 0 for an accepted program, as the kernel's)
 * @param retval  the test run's return value, or null when the program was not run
 */
public record SelftestResult(Selftest test, Status status, String message, String log, Long retval) {
    /** The outcomes. */
    public enum Status { PASSED, FAILED, SKIPPED }

    public SelftestResult {
        message = message == null ? "" : message;
        log = log == null ? "" : log;
    }

    public boolean passed() {
        return status == Status.PASSED;
    }
}
