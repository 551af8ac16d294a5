package io.bpf4j.loader;

import io.bpf4j.verifier.VerifierException;
import io.bpf4j.verifier.VerifierStats;
import java.util.Optional;

/**
 * How a program fared with bpf4j's verifier: accepted (with the kernel's statistics), rejected
 * (the kernel would refuse it: {@link #rejection()} says why), unsupported (the verifier does
 * not model a feature the program uses yet, so it ran unverified), or not verified at all.
 *
 * @param program the program name
 * @param status  the outcome
 * @param stats   the verifier's statistics (null when not verified)
 * @param log     the kernel-format log at the requested level (empty at level 0 or when not verified)
 * @param rejection the verifier's exception for {@link Status#REJECTED} and {@link Status#UNSUPPORTED}, else null
 * @param maxContextOffset the end of the highest context access the verifier saw (the kernel's
 *                         {@code max_ctx_offset}: how many context bytes the program reads), or -1
 *                         when the program was not accepted
 * @param indirectTargets  for an accepted program, each {@code callx} and {@code gotox} by instruction slot with
 *                         the sorted slots the verifier proved it may go to (a callee's first slot, a jump
 *                         target); empty otherwise
 */
public record ProgramVerification(String program, Status status, VerifierStats stats, String log,
                                  VerifierException rejection, int maxContextOffset,
                                  java.util.SortedMap<Integer, java.util.List<Integer>> indirectTargets) {
    /** The message prefix of a feature the verifier does not model yet. */
    public static final String NOT_SUPPORTED = "bpf4j: not supported yet";

    /** The outcomes. */
    public enum Status { ACCEPTED, REJECTED, UNSUPPORTED, OFF }

    /** An empty log stands for none. */
    public ProgramVerification {
        log = log == null ? "" : log;
        indirectTargets = indirectTargets == null ? java.util.Collections.emptySortedMap()
                : java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(indirectTargets));
    }

    /** A verification without indirect targets (no callx, no gotox). */
    public ProgramVerification(String program, Status status, VerifierStats stats, String log,
                               VerifierException rejection, int maxContextOffset) {
        this(program, status, stats, log, rejection, maxContextOffset, null);
    }

    /** The verifier's statistics as a loader type; empty when the program was not verified. */
    public Optional<VerificationStats> statistics() {
        return stats == null ? Optional.empty() : Optional.of(VerificationStats.of(stats));
    }

    /** Whether the verifier accepted the program. */
    public boolean accepted() {
        return status == Status.ACCEPTED;
    }

    /**
     * Where in the C source the verifier stopped with a rejection (from the program's line info),
     * if the rejection has a place and the object carries line info.
     */
    public Optional<SourceLocation> sourceLocation() {
        return rejection == null ? Optional.empty() : rejection.sourceLine()
                .map(l -> new SourceLocation(l.fileName(), l.line(), l.sourceText()));
    }

    /**
     * Why the verifier rejected the program: the slice of the failing path that made the offending
     * value, with source lines, and a hint ({@link RejectionExplanation}); empty when accepted, not
     * verified, or rejected as a whole (layout).
     */
    public Optional<RejectionExplanation> explanation() {
        return rejection == null ? Optional.empty() : rejection.explanation().map(RejectionExplanation::of);
    }

    /** The kernel's error line of a rejection (or the feature bpf4j lacks), if any. */
    public Optional<String> errorLine() {
        return rejection == null ? Optional.empty() : Optional.of(rejection.kernelMessage());
    }
}
