package io.bpf4j.verifier.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * 6.18's stack-slot liveness ({@code kernel/bpf/liveness.c}): which 8-byte stack slots an
 * instruction or anything after it may still read, per call chain. It only decides which slots
 * {@code clean_func_state} forgets in a fully explored checkpoint, and so which states compare
 * equal; depth-first exploration itself is unchanged.
 *
 * <p>While paths run, each (call chain, insn) collects a may-read set (union over the paths that
 * reached it) and a must-write set (intersection: slots every such path wrote whole). At the end
 * of each path and before a subprogram returns, the instances the current state touches solve
 * the backward dataflow {@code live_before = (live_after - must_write) | may_read} to a fixed
 * point in the subprogram's post-order, and a callee hands what its entry reads and what it
 * always writes of its callers' frames to its call insn in the caller's instance.
 */
final class StackLiveness {
    /** Per-insn masks of one frame's slots inside one function instance. */
    private static final class Masks {
        final long[] mayRead;
        final long[] mustWrite;
        final long[] mustWriteAcc;
        final long[] liveBefore;

        Masks(int n) {
            mayRead = new long[n];
            mustWrite = new long[n];
            mustWriteAcc = new long[n];
            liveBefore = new long[n];
        }
    }

    /** A call chain: the callsites of the outer frames, then the start of the innermost function. */
    private record Chain(int[] callsites, int[] spStarts) {
        int curframe() {
            return callsites.length - 1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Chain c && Arrays.equals(callsites, c.callsites);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(callsites);
        }

        /** fmt_callchain: {@code (callsite,...,start)}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < callsites.length; i++) {
                sb.append(i == 0 ? "" : ",").append(callsites[i]);
            }
            return sb.append(')').toString();
        }
    }

    /** One function under one call chain (the kernel's func_instance). */
    private static final class Instance {
        final Chain chain;
        final int start;
        final int sub;
        final int insnCnt;
        /** Per frame of the chain, allocated when a mark for that frame arrives. */
        final Masks[] frames;
        /** Whether must_write of an insn holds a value yet (the first commit sets, later ones intersect). */
        final boolean[] mustWriteSet;
        boolean updated;
        boolean mustWriteDropped;

        Instance(Chain chain, int sub, int start, int insnCnt) {
            this.chain = chain;
            this.sub = sub;
            this.start = start;
            this.insnCnt = insnCnt;
            this.frames = new Masks[chain.curframe() + 1];
            this.mustWriteSet = new boolean[insnCnt];
        }

        Masks alloc(int frame) {
            Masks m = frames[frame];
            if (m == null) {
                m = new Masks(insnCnt);
                frames[frame] = m;
            }
            return m;
        }

        int rel(int insn) {
            int r = insn - start;
            return r >= 0 && r < insnCnt ? r : -1;
        }
    }

    private final Env env;
    private final Program prog;
    private final Map<Chain, Instance> instances = new HashMap<>();
    /** The instance of the current state's innermost frame (null after a call or return, looked up on demand). */
    private Instance cur;
    private final long[] writeAcc = new long[8];
    private int writeInsn;
    private final int[][] succ;
    /** Insns of every subprogram in post-order, subprogram {@code s} at [poStart[s], poStart[s+1]). */
    private final int[] postorder;
    private final int[] poStart;
    // the query prepared for one checkpoint by initQuery
    private final Instance[] qInstances = new Instance[8];
    private int qCurframe;
    private int qInsn;

    StackLiveness(Env env) {
        this.env = env;
        this.prog = env.prog;
        int n = prog.len;
        succ = new int[n][];
        for (int i = 0; i < n; i++) {
            succ[i] = Liveness.successors(prog, i);
        }
        postorder = new int[n];
        poStart = new int[prog.subprogCount + 1];
        computePostorder();
    }

    /** compute_postorder: a depth-first walk from each subprogram's start, successors in order. */
    private void computePostorder() {
        int n = prog.len;
        byte[] state = new byte[n];
        int[] stack = new int[n + 1];
        int cnt = 0;
        for (int s = 0; s < prog.subprogCount; s++) {
            poStart[s] = cnt;
            int sp = 0;
            stack[sp++] = prog.subprogStart[s];
            while (sp > 0) {
                int top = stack[sp - 1];
                state[top] |= 1;
                if ((state[top] & 2) != 0) {
                    if (cnt < n) {
                        postorder[cnt++] = top;
                    }
                    sp--;
                    continue;
                }
                for (int t : succ[top]) {
                    if (t >= 0 && t < n && state[t] == 0 && sp < stack.length) {
                        stack[sp++] = t;
                        state[t] |= 1;
                    }
                }
                state[top] |= 2;
            }
        }
        poStart[prog.subprogCount] = cnt;
    }

    private Chain chainOf(VState st, int frameno) {
        int[] cs = new int[frameno + 1];
        int[] starts = new int[frameno + 1];
        for (int i = 0; i <= frameno; i++) {
            starts[i] = prog.subprogStart[st.frames[i].subprog];
            cs[i] = i < frameno ? st.frames[i + 1].callsite : starts[i];
        }
        return new Chain(cs, starts);
    }

    private Instance lookup(Chain c) {
        Instance inst = instances.get(c);
        if (inst == null) {
            int start = c.spStarts()[c.curframe()];
            int sub = prog.subprogOf(start);
            inst = new Instance(c, sub, start, prog.subprogStart[sub + 1] - start);
            instances.put(c, inst);
        }
        return inst;
    }

    private Instance lookup(VState st, int frameno) {
        return lookup(chainOf(st, frameno));
    }

    /** bpf_reset_live_stack_callchain: the current state's call chain changed (a call). */
    void resetCallchain() {
        cur = null;
    }

    private Instance ensureCur() {
        if (cur == null) {
            cur = lookup(env.cur, env.cur.curframe);
        }
        return cur;
    }

    /** bpf_mark_stack_read: insn {@code insn} of the current function reads slots {@code mask} of frame {@code frame}. */
    void markRead(int frame, int insn, long mask) {
        markRead(ensureCur(), frame, insn, mask);
    }

    private void markRead(Instance inst, int frame, int insn, long mask) {
        int r = inst.rel(insn);
        if (r < 0 || frame >= inst.frames.length) {
            return;
        }
        Masks m = inst.alloc(frame);
        long now = m.mayRead[r] | mask;
        if (now != m.mayRead[r] && (now | m.liveBefore[r]) != m.liveBefore[r]) {
            inst.updated = true;
        }
        m.mayRead[r] = now;
    }

    /** bpf_reset_stack_write_marks: the writes of insn {@code insn} start accumulating. */
    void resetWrites(int insn) {
        resetWrites(ensureCur(), insn);
    }

    private void resetWrites(Instance inst, int insn) {
        writeInsn = insn;
        Arrays.fill(writeAcc, 0, inst.chain.curframe() + 1, 0L);
    }

    /** bpf_mark_stack_write: the current insn writes slots {@code mask} of frame {@code frame} whole. */
    void markWrite(int frame, long mask) {
        if (frame >= 0 && frame < writeAcc.length) {
            writeAcc[frame] |= mask;
        }
    }

    /** bpf_commit_stack_write_marks: merges the insn's writes into the current instance (none after a call or return). */
    void commitWrites() {
        if (cur != null) {
            commitWrites(cur);
        }
    }

    private void commitWrites(Instance inst) {
        int r = inst.rel(writeInsn);
        if (r < 0) {
            return;
        }
        for (int frame = 0; frame <= inst.chain.curframe(); frame++) {
            long mask = writeAcc[frame];
            if (mask == 0 && !inst.mustWriteSet[r]) {
                continue;
            }
            Masks m = inst.alloc(frame);
            long old = m.mustWrite[r];
            if (inst.mustWriteSet[r]) {
                mask &= old;
            }
            if (old != mask) {
                m.mustWrite[r] = mask;
                inst.updated = true;
            }
            if ((old & ~mask) != 0) {
                inst.mustWriteDropped = true;
            }
        }
        inst.mustWriteSet[r] = true;
        writeInsn = 0;
    }

    /**
     * bpf_update_live_stack: brings every instance of the state's call chain, innermost first,
     * to its fixed point (at the end of a path and before a subprogram returns).
     */
    void update(VState st) {
        cur = null;
        for (int frame = st.curframe; frame >= 0; frame--) {
            Instance inst = lookup(st, frame);
            if (inst.updated) {
                updateInstance(inst);
                inst.updated = false;
                inst.mustWriteDropped = false;
            }
        }
    }

    private void updateInstance(Instance inst) {
        int cf = inst.chain.curframe();
        if (inst.mustWriteDropped) {
            for (Masks m : inst.frames) {
                if (m != null) {
                    Arrays.fill(m.mustWriteAcc, 0L);
                }
            }
        }
        int from = poStart[inst.sub];
        int to = poStart[inst.sub + 1];
        int iterations = 0;
        boolean changed;
        do {
            iterations++;
            changed = false;
            for (int frame = 0; frame <= cf; frame++) {
                if (inst.frames[frame] == null) {
                    continue;
                }
                for (int i = from; i < to; i++) {
                    changed |= updateInsn(inst, frame, postorder[i]);
                }
            }
        } while (changed);
        if (env.log.level2()) {
            env.log.verbose(inst.chain + " live stack update done in " + iterations + " iterations\n");
        }
        if (cf > 0) {
            propagateToOuter(inst);
        }
    }

    private boolean updateInsn(Instance inst, int frame, int insn) {
        int[] ss = succ[insn];
        if (ss.length == 0) {
            return false;
        }
        Masks m = inst.frames[frame];
        int r = insn - inst.start;
        long after = 0;
        long acc = -1L;
        for (int s : ss) {
            int sr = inst.rel(s);
            if (sr < 0) {
                continue;
            }
            after |= m.liveBefore[sr];
            acc &= m.mustWriteAcc[sr];
        }
        acc |= m.mustWrite[r];
        long before = after & ~m.mustWrite[r] | m.mayRead[r];
        boolean changed = before != m.liveBefore[r] || acc != m.mustWriteAcc[r];
        if (env.log.level2() && (m.mayRead[r] != 0 || m.mustWrite[r] != 0 || insn == inst.start
                || prog.prunePoint[insn])) {
            logChange(inst, "live", frame, insn, m.liveBefore[r], before);
            logChange(inst, "written", frame, insn, m.mustWriteAcc[r], acc);
        }
        m.liveBefore[r] = before;
        m.mustWriteAcc[r] = acc;
        return changed;
    }

    /** log_mask_change: {@code (chain) frame F insn I +live -8,-16 -live -24}. */
    private void logChange(Instance inst, String what, int frame, int insn, long old, long now) {
        long diff = old ^ now;
        if (diff == 0) {
            return;
        }
        StringBuilder sb = new StringBuilder().append(inst.chain).append(" frame ").append(frame)
                .append(" insn ").append(insn).append(' ');
        if ((now & diff) != 0) {
            sb.append('+').append(what).append(' ').append(Precision.stackMask(now & diff)).append(' ');
        }
        if ((~now & diff) != 0) {
            sb.append('-').append(what).append(' ').append(Precision.stackMask(~now & diff));
        }
        env.log.verbose(sb.append('\n').toString());
    }

    /**
     * propagate_to_outer_instance: what the callee's entry may read of its callers' frames, and
     * what it always writes there, become marks of the call insn in the caller's instance.
     */
    private void propagateToOuter(Instance inst) {
        Chain c = inst.chain;
        int cf = c.curframe();
        int[] cs = Arrays.copyOf(c.callsites(), cf);
        int[] starts = Arrays.copyOf(c.spStarts(), cf);
        int callsite = cs[cf - 1];
        cs[cf - 1] = starts[cf - 1];
        Instance outer = lookup(new Chain(cs, starts));
        resetWrites(outer, callsite);
        for (int frame = 0; frame < cf; frame++) {
            Masks m = inst.frames[frame];
            if (m == null) {
                continue;
            }
            markWrite(frame, m.mustWriteAcc[0]);
            markRead(outer, frame, callsite, m.liveBefore[0]);
        }
        commitWrites(outer);
    }

    /** bpf_live_stack_query_init: prepares {@link #alive} for checkpoint {@code st}. */
    void initQuery(VState st) {
        for (int frame = 0; frame <= st.curframe; frame++) {
            qInstances[frame] = lookup(st, frame);
        }
        qCurframe = st.curframe;
        qInsn = st.insnIdx;
    }

    /**
     * bpf_stack_slot_alive: the slot may be read after the queried insn in its own function, or
     * after the return to (for a callback: at) some outer frame's call insn.
     */
    boolean alive(int frameno, int spi) {
        Instance inner = qInstances[qCurframe];
        if (liveBefore(inner, qInsn, frameno, spi)) {
            return true;
        }
        for (int i = frameno; i < qCurframe; i++) {
            int callsite = inner.chain.callsites()[i];
            int at = prog.callsCallback[callsite] ? callsite : callsite + 1;
            if (liveBefore(qInstances[i], at, frameno, spi)) {
                return true;
            }
        }
        return false;
    }

    private static boolean liveBefore(Instance inst, int insn, int frame, int spi) {
        if (frame >= inst.frames.length || inst.frames[frame] == null) {
            return false;
        }
        int r = inst.rel(insn);
        return r >= 0 && (inst.frames[frame].liveBefore[r] & 1L << spi) != 0;
    }
}
