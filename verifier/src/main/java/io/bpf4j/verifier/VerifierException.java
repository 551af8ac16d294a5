package io.bpf4j.verifier;

import io.bpf4j.isa.BpfException;
import java.util.Optional;

/**
 * A program the verifier rejected. {@link #kernelMessage()} is the error line as Linux 6.18 prints
 * it (without the newline); {@link #log()} is the whole kernel-format log at the requested level,
 * ending with the statistics line.
 */
public final class VerifierException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final int insnIndex;
    private final transient LineInfo sourceLine;
    private final String kernelMessage;
    private final String log;
    private final transient VerifierStats stats;
    private final transient Explanation explanation;

    public VerifierException(String kernelMessage, int insnIndex, LineInfo sourceLine, String log, VerifierStats stats) {
        this(kernelMessage, insnIndex, sourceLine, log, stats, null);
    }

    /** A rejection with its {@link Explanation} (null when there is none). */
    public VerifierException(String kernelMessage, int insnIndex, LineInfo sourceLine, String log, VerifierStats stats,
                             Explanation explanation) {
        super(kernelMessage);
        this.explanation = explanation;
        this.kernelMessage = kernelMessage;
        this.insnIndex = insnIndex;
        this.sourceLine = sourceLine;
        this.log = log;
        this.stats = stats;
    }

    /** The instruction (slot index) being checked when the program failed, or -1 for whole-program checks. */
    public int insnIndex() {
        return insnIndex;
    }

    /** The line_info record covering {@link #insnIndex()}, if the program has line info. */
    public Optional<LineInfo> sourceLine() {
        return Optional.ofNullable(sourceLine);
    }

    /** The kernel's error line, for example {@code R0 !read_ok}. */
    public String kernelMessage() {
        return kernelMessage;
    }

    /** The whole log as the kernel writes it at the requested level (empty at level 0). */
    public String log() {
        return log;
    }

    public VerifierStats stats() {
        return stats;
    }

    /**
     * Why: the instructions on the failing path that made the offending value what it is, with
     * their source lines, and what would make the program acceptable where the rule implies it.
     * Empty for a rejection made before the verifier walked the program (size, layout).
     */
    public Optional<Explanation> explanation() {
        return Optional.ofNullable(explanation);
    }
}
