package io.bpf4j.verifier.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The instructions of the path the verifier was on when it rejected, rebuilt backwards from the
 * jump history of the current state and its checkpoint parents, the walk precision backtracking
 * makes ({@link Precision}): an insn with a history entry came from the entry's previous insn,
 * any other from the one before it.
 */
final class FailingPath {
    /** One executed instruction, latest first, with its history entry (stack slot of a spill or fill), if any. */
    record Step(int idx, VState.Hist hist) {
    }

    /** A path longer than this (loops the verifier unrolled a long time) is cut: the slice looks at the latest part. */
    static final int MAX_STEPS = 200_000;

    private FailingPath() {}

    /** The path ending at {@code failIdx} in {@code env.cur}, latest instruction first. */
    static List<Step> latestFirst(Env env, int failIdx) {
        List<Step> out = new ArrayList<>();
        VState st = env.cur;
        int i = failIdx;
        while (st != null && i >= 0) {
            int histEnd = st.hist.size();
            for (;;) {
                if (i < 0 || i >= env.prog.len || out.size() >= MAX_STEPS) {
                    return out;
                }
                VState.Hist h = histEnd > 0 && st.hist.get(histEnd - 1).idx() == i ? st.hist.get(histEnd - 1) : null;
                out.add(new Step(i, h));
                if (i == st.firstInsnIdx && (histEnd == 0 || histEnd == 1 && st.hist.get(0).idx() == i)) {
                    break;
                }
                if (h != null) {
                    i = h.prevIdx();
                    histEnd--;
                } else {
                    i--;
                }
            }
            st = st.parent;
            if (st != null) {
                i = st.lastInsnIdx;
            }
        }
        return out;
    }
}
