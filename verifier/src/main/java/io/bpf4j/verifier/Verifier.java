package io.bpf4j.verifier;

import io.bpf4j.verifier.internal.Driver;

/**
 * Judges a BPF program the way the Linux 6.18 verifier does: the same verdict, the same error
 * line, the same log format and statistics, in process.
 */
public final class Verifier {
    private Verifier() {}

    /**
     * Verifies {@code input}.
     *
     * @return the accepted program with its statistics and log
     * @throws VerifierException when the kernel would reject the program (also for any feature
     *                           this verifier does not model yet: {@code bpf4j: not supported yet: ...})
     */
    public static VerifiedProgram verify(VerifierInput input) {
        return Driver.verify(input);
    }
}
