package io.bpf4j.verifier.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole verifier state (the kernel's {@code bpf_verifier_state}): the call frames, acquired
 * references, and the bookkeeping exploration needs (checkpoint parent, pending branches).
 */
final class VState {
    /** An acquired reference (ringbuf record, socket...): its id and where it was acquired. */
    record Ref(int id, int insnIdx) {
    }

    final FuncState[] frames = new FuncState[8];
    int curframe;
    List<Ref> refs = new ArrayList<>();
    boolean speculative;
    /** For checkpoints: the insn it was saved at. */
    int insnIdx;
    /** The checkpoint this path continues from (null before the first). */
    VState parent;
    /** For checkpoints: paths still being explored from here (0 = fully explored). */
    int branches;
    /** Activity counters used for the "add a checkpoint?" heuristic, copied along. */
    int firstInsnIdx;

    VState() {
    }

    VState copy() {
        VState c = new VState();
        for (int i = 0; i <= curframe; i++) {
            c.frames[i] = frames[i].copy();
        }
        c.curframe = curframe;
        c.refs = new ArrayList<>(refs);
        c.speculative = speculative;
        c.insnIdx = insnIdx;
        c.parent = parent;
        c.firstInsnIdx = firstInsnIdx;
        return c;
    }

    FuncState cur() {
        return frames[curframe];
    }

    Reg[] regs() {
        return frames[curframe].regs;
    }
}
