package io.bpf4j.verifier;

/**
 * The complexity limits of the verifier. {@link #KERNEL} holds Linux 6.18's constants; smaller
 * values are useful in tests and in the fuzzer.
 *
 * @param maxProcessedInsns  BPF_COMPLEXITY_LIMIT_INSNS: instructions simulated over all paths
 * @param maxPendingBranches BPF_COMPLEXITY_LIMIT_JMP_SEQ: branch states waiting on the stack
 */
public record VerifierLimits(int maxProcessedInsns, int maxPendingBranches) {
    public static final VerifierLimits KERNEL = new VerifierLimits(1_000_000, 8192);

    public VerifierLimits {
        if (maxProcessedInsns <= 0 || maxPendingBranches <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
