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

    public VerifiedProgram(ProgramFacts facts, VerifierStats stats, String log) {
        this.facts = facts;
        this.stats = stats;
        this.log = log;
    }

    /** What the verifier proved per instruction (memory regions, bounds, constants), by slot index. */
    public ProgramFacts facts() {
        return facts;
    }

    public VerifierStats stats() {
        return stats;
    }

    /** The kernel-format log; empty at log level 0. */
    public String log() {
        return log;
    }
}
