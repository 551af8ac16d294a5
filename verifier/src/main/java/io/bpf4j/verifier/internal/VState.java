package io.bpf4j.verifier.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole verifier state (the kernel's {@code bpf_verifier_state}): the call frames, acquired
 * references, and the bookkeeping exploration needs (checkpoint parent, pending branches).
 */
final class VState {
    /**
     * An acquired reference (ringbuf record, socket...) or, with {@code lock}, a held
     * bpf_spin_lock (6.18 keeps both in one list): its id, where it was acquired, and for locks
     * the map whose value holds the lock.
     */
    record Ref(int id, int insnIdx, boolean lock, MapRef lockMap) {
        Ref(int id, int insnIdx) {
            this(id, insnIdx, false, null);
        }
    }

    int activeLocks() {
        int n = 0;
        for (Ref r : refs) {
            n += r.lock() ? 1 : 0;
        }
        return n;
    }

    final FuncState[] frames = new FuncState[8];
    int curframe;
    List<Ref> refs = new ArrayList<>();
    boolean speculative;
    /** Callback iterations entered on this path (the kernel's callback_unroll_depth). */
    int callbackUnrollDepth;
    /** For checkpoints: the insn it was saved at. */
    int insnIdx;
    /** The checkpoint this path continues from (null before the first). */
    VState parent;
    /** For checkpoints: paths still being explored from here (0 = fully explored). */
    int branches;
    /** An evicted checkpoint still referenced by pending paths (freed when its branches reach 0). */
    boolean inFreeList;
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
        c.callbackUnrollDepth = callbackUnrollDepth;
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
