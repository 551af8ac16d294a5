package io.bpf4j.verifier;

/**
 * The complexity limits of the verifier and the size of its log. {@link #KERNEL} holds Linux
 * 6.18's constants and libbpf's default log buffer; smaller values are useful in tests and in the
 * fuzzer.
 *
 * @param maxProcessedInsns  BPF_COMPLEXITY_LIMIT_INSNS: instructions simulated over all paths
 * @param maxPendingBranches BPF_COMPLEXITY_LIMIT_JMP_SEQ: branch states waiting on the stack
 * @param logSize            the log buffer's {@code log_size} in bytes, its terminating NUL included: a
 *                           longer log keeps its last {@code logSize - 1} bytes, as the kernel's rotating
 *                           log does (a level-2 log of a long loop grows by about a kilobyte a step, so
 *                           without a bound it could outgrow the heap)
 */
public record VerifierLimits(int maxProcessedInsns, int maxPendingBranches, int logSize) {
    /** libbpf's {@code BPF_LOG_BUF_SIZE} ({@code UINT32_MAX >> 8}), the buffer libbpf and veristat start with. */
    public static final int DEFAULT_LOG_SIZE = (int) (0xFFFF_FFFFL >> 8);

    /** The largest {@code log_size} the kernel takes ({@code UINT_MAX >> 2}). */
    public static final int MAX_LOG_SIZE = (int) (0xFFFF_FFFFL >> 2);

    public static final VerifierLimits KERNEL = new VerifierLimits(1_000_000, 8192, DEFAULT_LOG_SIZE);

    public VerifierLimits {
        if (maxProcessedInsns <= 0 || maxPendingBranches <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (logSize < 1 || logSize > MAX_LOG_SIZE) {
            throw new IllegalArgumentException("log size " + logSize + " is outside 1.." + MAX_LOG_SIZE);
        }
    }

    /** The given complexity limits with the default log size. */
    public VerifierLimits(int maxProcessedInsns, int maxPendingBranches) {
        this(maxProcessedInsns, maxPendingBranches, DEFAULT_LOG_SIZE);
    }

    /** These limits with another log size. */
    public VerifierLimits withLogSize(int size) {
        return new VerifierLimits(maxProcessedInsns, maxPendingBranches, size);
    }
}
