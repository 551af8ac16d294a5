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

    /**
     * One entry of the jump history (the kernel's {@code bpf_jmp_history_entry}): an insn reached
     * from somewhere other than its predecessor, or one whose effect backtracking must know
     * (a spill or fill of a stack slot, a comparison with a stack pointer, linked scalars).
     * {@code flags}: bits 0-2 frame, 3-8 slot index, then {@link #STACK_ACCESS},
     * {@link #SRC_REG_STACK}, {@link #DST_REG_STACK}; {@code linked}: packed linked registers
     * (frame | reg-or-slot << 3 | is-reg << 9), or null.
     */
    record Hist(int idx, int prevIdx, int flags, int[] linked) {
    }

    static final int STACK_ACCESS = 1 << 9;
    static final int SRC_REG_STACK = 1 << 10;
    static final int DST_REG_STACK = 1 << 11;

    static int stackAccessFlags(int frameno, int spi) {
        return frameno | spi << 3 | STACK_ACCESS;
    }

    final FuncState[] frames = new FuncState[8];
    int curframe;
    List<Ref> refs = new ArrayList<>();
    boolean speculative;
    /** bpf_preempt_disable calls not yet matched by bpf_preempt_enable (active_preempt_locks). */
    int preemptLocks;
    /** 1 inside a bpf_rcu_read_lock section (active_rcu_lock; 6.18 does not nest them). */
    int rcuLocks;
    /** may_goto iterations taken on this path (the kernel's may_goto_depth). */
    int mayGotoDepth;
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
    /** For checkpoints: dead registers were already reset (clean_verifier_state). */
    boolean cleaned;
    /** Activity counters used for the "add a checkpoint?" heuristic, copied along. */
    int firstInsnIdx;
    /** The insn before the current one on this path (set every step; kept by checkpoints). */
    int lastInsnIdx = -1;
    /** For a loop back-edge copy: the checkpoint it matched. */
    VState equalState;
    /** For checkpoints: the loop call chain Explorer computed once (null outside loops), and whether it did. */
    String sccChain;
    boolean sccChainKnown;
    /** The jump history since the parent checkpoint. */
    List<Hist> hist = new ArrayList<>();

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
        c.preemptLocks = preemptLocks;
        c.rcuLocks = rcuLocks;
        c.callbackUnrollDepth = callbackUnrollDepth;
        c.mayGotoDepth = mayGotoDepth;
        c.insnIdx = insnIdx;
        c.parent = parent;
        c.firstInsnIdx = firstInsnIdx;
        c.lastInsnIdx = lastInsnIdx;
        c.hist = new ArrayList<>(hist);
        return c;
    }

    FuncState cur() {
        return frames[curframe];
    }

    Reg[] regs() {
        return frames[curframe].regs;
    }
}
