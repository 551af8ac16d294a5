package io.bpf4j.verifier.internal.scalar;

/**
 * The oracle kernel (6.18 stable, maybe_fork_scalars) splits an AND/OR with a constant when the
 * destination is known to be -1 or 0 (the LLVM idiom {@code x s>>= 31; x &= K}): verification
 * continues with the destination {@code -1} ({@link #continued}), and a state with the
 * destination {@code 0} ({@link #pushed}) is pushed to re-execute the same instruction
 * (logged as {@code from N to N:}). Each state then applies the operation itself.
 */
public record ScalarFork(Scalar continued, Scalar pushed) {
}
