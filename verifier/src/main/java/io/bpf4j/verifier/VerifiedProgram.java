package io.bpf4j.verifier;

import io.bpf4j.isa.facts.ProgramFacts;

/**
 * A program the verifier accepted: per-instruction facts, its statistics and the log at the requested level (at level 1
 * an accepted program's log holds only the summary, as the kernel's does).
 */
public final class VerifiedProgram {
    private final ProgramFacts facts;
    private final VerifierStats stats;
    private final String log;
    private final long logTrueSize;

    public VerifiedProgram(ProgramFacts facts, VerifierStats stats, String log) {
        this(facts, stats, log, log.isEmpty() ? 0 : log.length() + 1L);
    }

    /**
     * @param logTrueSize the buffer the log needed at its longest, NUL included ({@link #logTrueSize()})
     */
    public VerifiedProgram(ProgramFacts facts, VerifierStats stats, String log, long logTrueSize) {
        this.facts = facts;
        this.stats = stats;
        this.log = log;
        this.logTrueSize = logTrueSize;
    }

    /** What the verifier proved per instruction (memory regions, bounds, constants), by slot index. */
    public ProgramFacts facts() {
        return facts;
    }

    public VerifierStats stats() {
        return stats;
    }

    /**
     * The kernel-format log; empty at log level 0. When the log outgrew {@link VerifierLimits#logSize()}
     * this is its end, as the kernel's rotating log keeps it ({@code bpf_prog_load} then fails with
     * ENOSPC although the program is safe; libbpf retries with a larger buffer).
     */
    public String log() {
        return log;
    }

    /**
     * The buffer the log needed at its longest, its terminating NUL included (the kernel's
     * {@code log_true_size}; level 1 rewinds the log, so this can exceed the final log): more than
     * {@link VerifierLimits#logSize()} means the log was cut.
     */
    public long logTrueSize() {
        return logTrueSize;
    }

}
