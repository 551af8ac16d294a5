package io.bpf4j.verifier;

/**
 * A program the verifier accepted: its statistics and the log at the requested level (at level 1
 * an accepted program's log holds only the summary, as the kernel's does).
 */
public final class VerifiedProgram {
    private final VerifierStats stats;
    private final String log;

    public VerifiedProgram(VerifierStats stats, String log) {
        this.stats = stats;
        this.log = log;
    }

    public VerifierStats stats() {
        return stats;
    }

    /** The kernel-format log; empty at log level 0. */
    public String log() {
        return log;
    }
}
