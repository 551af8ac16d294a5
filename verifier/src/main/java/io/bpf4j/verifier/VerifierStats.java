package io.bpf4j.verifier;

import java.time.Duration;
import java.util.Arrays;

/**
 * The kernel's verification statistics ({@code print_verification_stats}).
 *
 * @param processedInsns   instructions simulated over all paths (the kernel's {@code insn_processed})
 * @param totalStates      checkpoints ever created
 * @param peakStates       most checkpoints alive at once
 * @param maxStatesPerInsn longest checkpoint list seen at one prune point
 * @param markRead         always 0 on 6.18 (kept for the stats line)
 * @param stackDepths      per subprogram, the stack bytes it uses (multiples of 8)
 * @param verificationTime wall time of the verification
 */
public record VerifierStats(int processedInsns, int totalStates, int peakStates, int maxStatesPerInsn, int markRead,
                            int[] stackDepths, Duration verificationTime) {
    public VerifierStats {
        stackDepths = stackDepths.clone();
    }

    @Override
    public int[] stackDepths() {
        return stackDepths.clone();
    }

    /** The kernel's final log line. */
    public String processedLine() {
        return String.format("processed %d insns (limit 1000000) max_states_per_insn %d total_states %d peak_states %d mark_read %d",
                processedInsns, maxStatesPerInsn, totalStates, peakStates, markRead);
    }

    /** The kernel's {@code stack depth 8+0} line (log level 4). */
    public String stackDepthLine() {
        StringBuilder sb = new StringBuilder("stack depth ");
        for (int i = 0; i < stackDepths.length; i++) {
            sb.append(i == 0 ? "" : "+").append(stackDepths[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifierStats s && processedInsns == s.processedInsns && totalStates == s.totalStates
                && peakStates == s.peakStates && maxStatesPerInsn == s.maxStatesPerInsn && markRead == s.markRead
                && Arrays.equals(stackDepths, s.stackDepths) && verificationTime.equals(s.verificationTime);
    }

    @Override
    public int hashCode() {
        return processedInsns * 31 + totalStates * 17 + Arrays.hashCode(stackDepths);
    }

    @Override
    public String toString() {
        return processedLine() + " " + stackDepthLine() + " time " + verificationTime.toNanos() / 1000 + "us";
    }
}
