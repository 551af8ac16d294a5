package io.bpf4j.loader;

import java.time.Duration;
import java.util.List;

/**
 * The verifier's statistics of one program, as the kernel's log ends with them and veristat
 * prints them.
 *
 * @param processedInsns   instructions processed ({@code processed N insns})
 * @param totalStates      states created
 * @param peakStates       the most states alive at once
 * @param maxStatesPerInsn the most states kept at one instruction
 * @param markRead         the longest read-mark chain ({@code mark_read})
 * @param stackDepths      the stack depth of each function, main program first
 * @param verificationTime how long verification took
 */
public record VerificationStats(int processedInsns, int totalStates, int peakStates, int maxStatesPerInsn, int markRead,
                                List<Integer> stackDepths, Duration verificationTime) {
    /** Copies the list. */
    public VerificationStats {
        stackDepths = List.copyOf(stackDepths);
    }

    /** The sum of the stack depths (veristat's total). */
    public long totalStackDepth() {
        long n = 0;
        for (int d : stackDepths) {
            n += d;
        }
        return n;
    }

    static VerificationStats of(io.bpf4j.verifier.VerifierStats s) {
        List<Integer> depths = new java.util.ArrayList<>();
        for (int d : s.stackDepths()) {
            depths.add(d);
        }
        return new VerificationStats(s.processedInsns(), s.totalStates(), s.peakStates(), s.maxStatesPerInsn(), s.markRead(),
                depths, s.verificationTime());
    }
}
