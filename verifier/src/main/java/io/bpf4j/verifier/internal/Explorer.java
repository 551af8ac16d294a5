package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Load;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.PacketLoad;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.Store;
import io.bpf4j.isa.text.BpftoolSyntax;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's {@code do_check}: simulates one path at a time, depth first, keeping the current
 * state, a LIFO stack of pending branch states and, per prune point, checkpoints that end a
 * path whose state they subsume. No joins at merge points, no fixpoint: this is what makes the
 * verdicts, the log and the statistics those of the kernel.
 */
final class Explorer {
    /** A pending branch: the state to resume, where, and the log position at push time. */
    private record Pending(VState st, int insnIdx, int prevInsnIdx, long logPos) {
    }

    /** A checkpoint in its bucket, with the hit/miss counts the eviction heuristic uses. */
    private static final class Checkpoint {
        final VState st;
        int hits;
        int misses;

        Checkpoint(VState st) {
            this.st = st;
        }
    }

    private final Env env;
    private final ArrayDeque<Pending> stack = new ArrayDeque<>();
    private final List<Checkpoint>[] buckets;
    private int freeListSize;
    /**
     * Loop (SCC) visits keyed by call chain, the kernel's bpf_scc_visit: the checkpoint that
     * entered the loop and the back-edges (states that matched a checkpoint inside it before
     * all its paths were explored), whose precision is propagated again when the loop is left.
     */
    private final java.util.Map<String, SccVisit> sccVisits = new java.util.HashMap<>();
    private int numBackedges;

    private static final class SccVisit {
        VState entry;
        final List<VState> backedges = new ArrayList<>();
    }
    private final Equivalence eq;
    private final BpftoolSyntax syntax = BpftoolSyntax.defaults();
    final AluChecks alu;
    final MemChecks mem;
    final JumpChecks jmp;
    final CallChecks calls;
    final KfuncChecks kfuncs;
    final Dynptrs dynptrs;
    /** Set by a check that ends the path (exit of the main frame). */
    boolean pathEnded;
    /** The next instruction chosen by a jump (or -1 to fall through). */
    int nextInsn = -1;
    boolean doPrintState;

    @SuppressWarnings("unchecked")
    Explorer(Env env) {
        this.env = env;
        this.buckets = new List[Math.max(env.prog.len, 1)];
        this.eq = new Equivalence(env);
        this.alu = new AluChecks(env, this);
        this.mem = new MemChecks(env);
        this.jmp = new JumpChecks(env, this);
        this.calls = new CallChecks(env, this);
        this.kfuncs = new KfuncChecks(env, this);
        this.dynptrs = new Dynptrs(env, this);
        env.precision = new Precision(env, this);
        if (env.liveness == null) {
            env.liveness = new StackLiveness(env);
        }
    }

    /** do_check_common for the main program: R1 = ctx, R10 = fp. */
    void verifyMain() {
        Program prog = env.prog;
        prog.scc = Liveness.scc(prog);
        prog.liveRegs = Liveness.liveRegs(prog, env.profile, env.input.programType(), env.input.expectedAttachType());
        if (env.log.level2()) {
            StringBuilder sb = new StringBuilder("Live regs before insn:\n");
            for (int i = 0; i < prog.len; i++) {
                sb.append(prog.scc[i] != 0 ? String.format("%3d ", prog.scc[i]) : "    ");
                sb.append(String.format("%3d: ", i));
                for (int r = 0; r < 10; r++) {
                    sb.append((prog.liveRegs[i] & (1 << r)) != 0 ? (char) ('0' + r) : '.');
                }
                sb.append(' ').append(insnText(i)).append('\n');
                if (prog.isLdImm64(i)) {
                    i++;
                }
            }
            env.log.verbose(sb.toString());
        }
        VState st = new VState();
        st.frames[0] = new FuncState(0, -1, 0);
        st.frames[0].regs[1] = Reg.Ptr.of(Reg.PtrType.CTX);
        st.branches = 1;
        env.cur = st;
        env.liveness.resetCallchain();
        env.insnIdx = 0;
        env.log.prevLinfo = null;
        env.markAllScratched();
        doCheck();
        if (!env.log.level2()) {
            // a successful unit leaves nothing of its trace at level 1
            env.log.reset(0);
        }
    }

    /**
     * do_check_common for a global function, verified once on its own: its arguments are what
     * its BTF prototype promises (any scalar, the context, memory of the pointee's size that
     * may be NULL, a trusted pointer to a kernel struct), R10 = fp.
     */
    void verifyGlobal(int sub, io.bpf4j.verifier.FuncSignature sig) {
        VState st = new VState();
        FuncState f = new FuncState(0, -1, sub);
        st.frames[0] = f;
        for (int i = 0; i < sig.args().size() && i < 5; i++) {
            io.bpf4j.verifier.FuncSignature.Arg a = sig.args().get(i);
            f.regs[i + 1] = switch (a.kind()) {
                case SCALAR -> Reg.ScalarReg.UNKNOWN;
                case CTX -> Reg.Ptr.of(Reg.PtrType.CTX);
                case MEM -> new Reg.Ptr(Reg.PtrType.MEM, a.nullable(), false, false, 0,
                        io.bpf4j.verifier.internal.scalar.Scalar.constant(0), a.nullable() ? env.newId() : 0, 0, null, 0,
                        a.memSize(), 0, 0);
                // a trusted BTF pointer with a fresh id, maybe NULL when nullable
                case TRUSTED -> Reg.Ptr.btf(new BtfRef(kfuncs.kernelStruct(a.detail()), a.detail(), BtfRef.TRUSTED),
                        a.nullable(), env.newId());
                case UNSUPPORTED -> throw new NotSupported("global function argument " + a.detail());
            };
        }
        st.branches = 1;
        st.firstInsnIdx = env.prog.subprogStart[sub];
        env.cur = st;
        env.liveness.resetCallchain();
        env.insnIdx = env.prog.subprogStart[sub];
        env.log.prevLinfo = null;
        env.markAllScratched();
        doCheck();
        if (!env.log.level2()) {
            env.log.reset(0);
        }
    }

    private void doCheck() {
        Program prog = env.prog;
        VLog log = env.log;
        int prevInsnIdx = -1;
        doPrintState = false;
        for (;;) {
            env.prevInsnIdx = prevInsnIdx;
            int idx = env.insnIdx;
            if (idx >= prog.len || idx < 0) {
                throw env.reject("invalid insn idx " + idx + " insn_cnt " + prog.len);
            }
            if (++env.insnProcessed > env.input.limits().maxProcessedInsns()) {
                throw env.log.rejectFatal("BPF program is too large. Processed " + env.insnProcessed + " insn");
            }
            env.histEntThisInsn = false;
            env.cur.lastInsnIdx = env.prevInsnIdx;
            env.cur.insnIdx = idx;
            if (prog.prunePoint[idx] && isStateVisited(idx)) {
                if (log.level1()) {
                    if (doPrintState) {
                        log.verbose("\nfrom " + env.prevInsnIdx + " to " + idx
                                + (env.cur.speculative ? " (speculative execution)" : "") + ": safe\n");
                    } else {
                        log.verbose(idx + ": safe\n");
                    }
                }
                if (!endPath()) {
                    return;
                }
                prevInsnIdx = env.prevInsnIdx;
                continue;
            }
            if (prog.jmpPoint[idx]) {
                env.pushHistory(0, null);
            }
            if (log.level2() && doPrintState) {
                log.verbose("\nfrom " + env.prevInsnIdx + " to " + idx
                        + (env.cur.speculative ? " (speculative execution)" : "") + ":");
                log.verbose(StatePrinter.frame(env.cur, env.frame(), true, 0, 0));
                doPrintState = false;
            }
            if (log.level1()) {
                if (env.scratched()) {
                    printInsnState();
                }
                Linfo.print(log, prog, idx, "; ");
                log.prevLogPos = log.pos();
                log.verbose(idx + ": " + insnText(idx) + "\n");
                log.prevInsnPrintPos = (int) (log.pos() - log.prevLogPos);
                log.prevLogPos = log.pos();
            }
            prevInsnIdx = idx;
            pathEnded = false;
            nextInsn = -1;
            env.facts.visit(idx);
            int frameBefore = env.cur.curframe;
            env.liveness.resetWrites(idx);
            if (env.cur.speculative && env.nospec[idx]) {
                // a barrier stops this speculative path before the insn
                pathEnded = true;
            } else {
                try {
                    step(idx);
                    if (env.cur.speculative && env.nospecResult[idx]) {
                        pathEnded = true;
                    }
                } catch (Reject r) {
                    if (!env.cur.speculative || r.fatal) {
                        throw r;
                    }
                    // 6.17+: a check failed only under speculation gets a barrier instead of a rejection
                    env.nospec[idx] = true;
                    env.aluState[idx] = 0;
                    pathEnded = true;
                }
            }
            env.liveness.commitWrites();
            if (!pathEnded) {
                env.facts.afterInsn(idx, env.cur, frameBefore);
            }
            if (pathEnded) {
                if (!endPath()) {
                    return;
                }
                prevInsnIdx = env.prevInsnIdx;
                continue;
            }
            env.insnIdx = nextInsn >= 0 ? nextInsn : idx + prog.insns[idx].slots();
        }
    }

    private String[] insnTexts;

    /** The insn as print_bpf_insn shows it (cached: level-2 logs print the same insns many times). */
    String insnText(int idx) {
        if (insnTexts == null) {
            insnTexts = new String[env.prog.len];
        }
        String t = insnTexts[idx];
        if (t == null) {
            t = formatInsn(idx);
            insnTexts[idx] = t;
        }
        return t;
    }

    private String formatInsn(int idx) {
        return formatInsn(env.prog, idx);
    }

    private static final BpftoolSyntax SYNTAX = BpftoolSyntax.defaults();

    /** print_bpf_insn's text of insn {@code idx} (also what explanations show). */
    static String formatInsn(Program prog, int idx) {
        BpftoolSyntax syntax = SYNTAX;
        Instruction insn = prog.insns[idx];
        if (insn instanceof LoadImm64 ld && ld.slot().src() == Opcodes.PSEUDO_FUNC) {
            return String.format("(%02x) r%d = 0x%x", ld.code(), ld.dstReg(), ld.value());
        }
        if (insn instanceof LoadImm64 ld && ld.slot().src() != 0) {
            // the kernel prints the map's address here; there is none in process
            return String.format("(%02x) r%d = 0x0", ld.code(), ld.dstReg());
        }
        String kfunc = KfuncChecks.callText(prog, insn);
        return kfunc != null ? kfunc : syntax.format(idx, insn);
    }

    /** print_insn_state: the scratched part of the state, appended to the last insn line when possible. */
    void printInsnState() {
        VLog log = env.log;
        if (log.prevLogPos != 0 && log.prevLogPos == log.pos()) {
            log.reset(log.prevLogPos - 1);
            int pos = log.prevInsnPrintPos;
            int width = (Math.max(pos + 4, 40) + 7) / 8 * 8 - pos - 1;
            log.verbose(" ".repeat(Math.max(width, 1)) + ";");
        } else {
            log.verbose(env.insnIdx + ":");
        }
        log.verbose(StatePrinter.frame(env.cur, env.frame(), false, env.scratchedRegs, env.scratchedStack));
        env.scratchedRegs = 0;
        env.scratchedStack = 0;
    }

    private void step(int idx) {
        Instruction insn = env.prog.insns[idx];
        Slot s = insn.slot();
        int cls = s.instructionClass();
        switch (cls) {
            case Opcodes.ALU, Opcodes.ALU64 -> alu.check(insn);
            case Opcodes.LDX -> mem.load(idx, (Load) insn);
            case Opcodes.STX -> {
                if ((s.code() & Opcodes.MODE_MASK) == Opcodes.ATOMIC) {
                    mem.atomic(idx, s);
                    return;
                }
                if ((s.code() & Opcodes.MODE_MASK) != Opcodes.MEM || s.imm() != 0) {
                    throw env.reject("BPF_STX uses reserved fields");
                }
                mem.storeReg(idx, (Store) insn);
            }
            case Opcodes.ST -> {
                if ((s.code() & Opcodes.MODE_MASK) != Opcodes.MEM || s.src() != 0) {
                    throw env.reject("BPF_ST uses reserved fields");
                }
                mem.storeImm(idx, (Store) insn);
            }
            case Opcodes.JMP, Opcodes.JMP32 -> jmp.check(idx, insn);
            default -> { // LD
                int mode = s.code() & Opcodes.MODE_MASK;
                if (mode == Opcodes.ABS || mode == Opcodes.IND) {
                    mem.ldAbs(idx, (PacketLoad) insn);
                    if (env.cur.curframe > 0) {
                        ldAbsEarlyExit(idx);
                    }
                } else if (mode == Opcodes.IMM) {
                    mem.ldImm64(idx, (LoadImm64) insn);
                } else {
                    throw env.reject("invalid BPF_LD mode");
                }
            }
        }
    }

    /**
     * In a subprogram, a failed LD_ABS/LD_IND returns 0 from it at once (the hidden exit the
     * kernel's rewrite emits): the load's continuation is pushed, and this path returns to the
     * caller with R0 = 0.
     */
    private void ldAbsEarlyExit(int idx) {
        env.markRegScratched(0);
        push(idx + 1, idx, false);
        env.setReg(0, Reg.ScalarReg.constant(0));
        calls.exit(idx);
    }

    // ---- branches ----

    /** push_stack: a copy of the current state to resume at {@code insn} later. */
    VState push(int insn, int prevInsn, boolean speculative) {
        VState c = env.cur.copy();
        c.speculative |= speculative;
        stack.push(new Pending(c, insn, prevInsn, env.log.pos()));
        if (stack.size() > env.input.limits().maxPendingBranches()) {
            throw env.log.rejectFatal("The sequence of " + stack.size() + " jumps is too complex.");
        }
        if (c.parent != null) {
            c.parent.branches++;
        }
        return c;
    }

    /** The end of a path: count it done, resume the latest pending branch. False when none is left. */
    private boolean endPath() {
        env.markAllScratched();
        for (VState p = env.cur.parent; p != null; p = p.parent) {
            if (--p.branches > 0) {
                break;
            }
            maybeExitScc(p);
            if (p.inFreeList) {
                p.inFreeList = false;
                freeListSize--;
            }
        }
        env.liveness.update(env.cur);
        Pending next = stack.poll();
        if (next == null) {
            return false;
        }
        env.cur = next.st();
        if (!env.log.level2()) {
            env.log.reset(next.logPos());
        }
        env.insnIdx = next.insnIdx();
        env.prevInsnIdx = next.prevInsnIdx();
        doPrintState = true;
        return true;
    }

    // ---- checkpoints ----

    private int bucketOf(int insn) {
        long callsite = env.cur.cur().callsite;
        long key = ((insn ^ callsite) & 0xffffffffL);
        return (int) (key % env.prog.len);
    }

    /**
     * clean_live_states: fully explored checkpoints at this insn forget the registers no later
     * insn reads and the stack slots stack liveness reports dead ({@link StackLiveness}).
     */
    private void cleanLiveStates(List<Checkpoint> bucket, int insn) {
        if (bucket == null) {
            return;
        }
        for (Checkpoint cp : bucket) {
            VState st = cp.st;
            if (st.branches != 0 || st.insnIdx != insn || st.cleaned || !sameCallsites(st, env.cur)
                    || incompleteReadMarks(st)) {
                continue;
            }
            st.cleaned = true;
            env.liveness.initQuery(st);
            for (int i = 0; i <= st.curframe; i++) {
                int at = i == st.curframe ? st.insnIdx : st.frames[i + 1].callsite;
                int live = env.prog.liveRegs[at];
                FuncState f = st.frames[i];
                Reg[] regs = f.regs;
                for (int r = 0; r < 10; r++) {
                    if ((live & 1 << r) == 0) {
                        regs[r] = Reg.NotInit.INSTANCE;
                    }
                }
                // clean_func_state: slots no later insn may read become STACK_INVALID
                for (int spi = 0; spi < f.allocated() / FuncState.REG_SIZE; spi++) {
                    if (!env.liveness.alive(f.frameno, spi)) {
                        java.util.Arrays.fill(f.slotType, spi * FuncState.REG_SIZE, (spi + 1) * FuncState.REG_SIZE,
                                FuncState.INVALID);
                        f.spilled[spi] = null;
                        f.iters[spi] = null;
                        f.dynptrs[spi] = null;
                    }
                }
            }
        }
    }

    private static boolean sameCallsites(VState a, VState b) {
        if (a.curframe != b.curframe) {
            return false;
        }
        for (int i = 0; i <= a.curframe; i++) {
            if (a.frames[i].callsite != b.frames[i].callsite) {
                return false;
            }
        }
        return true;
    }

    /** A prune: what the checkpoint needed precise, this path needs precise too. */
    private void hit(Checkpoint cp, int insn, boolean loop) {
        cp.hits++;
        if (env.prog.jmpPoint[insn]) {
            env.pushHistory(0, null);
        }
        env.precision.propagate(cp.st, env.cur);
        if (loop) {
            // inside a loop not fully explored: remember the match, propagate again on exit
            VState be = env.cur.copy();
            be.equalState = cp.st;
            be.insnIdx = insn;
            String chain = callchain(cp.st);
            SccVisit v = chain == null ? null : sccVisits.get(chain);
            if (v != null) {
                if (env.log.level2()) {
                    env.log.verbose("SCC backedge " + chain + "\n");
                }
                v.backedges.add(be);
                numBackedges++;
                env.peakStates = Math.max(env.peakStates, env.exploredStates + freeListSize + numBackedges);
            }
        }
    }

    /**
     * compute_scc_callchain + format_callchain: "(callsite,...,scc)", or null outside loops.
     * Only asked of checkpoints, whose insn and frames never change: computed once per checkpoint.
     */
    private String callchain(VState st) {
        if (!st.sccChainKnown) {
            st.sccChain = computeCallchain(st);
            st.sccChainKnown = true;
        }
        return st.sccChain;
    }

    private String computeCallchain(VState st) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i <= st.curframe; i++) {
            int at = i == st.curframe ? st.insnIdx : st.frames[i + 1].callsite;
            int scc = env.prog.scc[at];
            if (scc != 0) {
                return sb.append(scc).append(')').toString();
            }
            if (i == st.curframe) {
                return null;
            }
            if (at == 0) {
                // the kernel's zero-terminated call-site list stops here
                continue;
            }
            sb.append(at).append(',');
        }
        return null;
    }

    private void maybeEnterScc(VState st) {
        String chain = callchain(st);
        if (chain == null) {
            return;
        }
        SccVisit v = sccVisits.computeIfAbsent(chain, k -> new SccVisit());
        if (v.entry == null) {
            v.entry = st;
            if (env.log.level2()) {
                env.log.verbose("SCC enter " + chain + "\n");
            }
        }
    }

    private void maybeExitScc(VState st) {
        String chain = callchain(st);
        SccVisit v = chain == null ? null : sccVisits.get(chain);
        if (v == null || v.entry != st) {
            return;
        }
        if (env.log.level2()) {
            env.log.verbose("SCC exit " + chain + "\n");
        }
        v.entry = null;
        // propagate_backedges: to a fixed point, at most 64 rounds
        int i = 0;
        boolean changed;
        do {
            if (i++ > 64) {
                if (env.log.level2()) {
                    env.log.verbose("propagate_backedges: too many iterations\n");
                }
                for (VState be : v.backedges) {
                    env.precision.markAllPrecise(be);
                }
                break;
            }
            env.precision.changed = false;
            for (VState be : v.backedges) {
                env.precision.propagate(be.equalState, be);
            }
            changed = env.precision.changed;
        } while (changed);
        numBackedges -= v.backedges.size();
        v.backedges.clear();
    }

    /** incomplete_read_marks: the checkpoint is in a loop whose paths are not all explored. */
    private boolean incompleteReadMarks(VState st) {
        String chain = callchain(st);
        SccVisit v = chain == null ? null : sccVisits.get(chain);
        return v != null && !v.backedges.isEmpty();
    }

    /** is_state_visited: true when a checkpoint subsumes the current state (prune). */
    private boolean isStateVisited(int insn) {
        // a long jump history forces a checkpoint (backtracking walks it)
        boolean forceNew = env.prog.forceCheckpoint[insn] || env.cur.hist.size() > 40;
        boolean addNew = forceNew
                || env.jmpsProcessed - env.prevJmpsProcessed >= 2 && env.insnProcessed - env.prevInsnProcessed >= 8;
        int b = bucketOf(insn);
        List<Checkpoint> bucket = buckets[b];
        int statesCnt = 0;
        cleanLiveStates(bucket, insn);
        if (bucket != null) {
            for (int i = 0; i < bucket.size(); i++) {
                Checkpoint cp = bucket.get(i);
                statesCnt++;
                if (cp.st.insnIdx != insn) {
                    continue;
                }
                boolean miss;
                boolean loop = false;
                if (cp.st.branches > 0) {
                    boolean loopCheck = true;
                    if (env.prog.iterNext[insn]) {
                        // an open-coded iterator loop converged: this iteration starts where an
                        // earlier one did, with the iterator still active
                        if (eq.statesEqual(cp.st, env.cur, Equivalence.Mode.RANGE_WITHIN)
                                && KfuncChecks.iterActiveAtNext(env.cur)) {
                            hit(cp, insn, true);
                            return true;
                        }
                        loopCheck = false;
                    }
                    if (loopCheck && env.prog.insns[insn].code() == io.bpf4j.isa.Opcodes.CODE_MAY_GOTO
                            && cp.st.mayGotoDepth != env.cur.mayGotoDepth
                            && eq.statesEqual(cp.st, env.cur, Equivalence.Mode.RANGE_WITHIN)) {
                        // the may_goto loop converged
                        hit(cp, insn, true);
                        return true;
                    }
                    if (env.prog.callsCallback[insn]) {
                        // a callback loop converged: this iteration starts where an earlier one did
                        if (eq.statesEqual(cp.st, env.cur, Equivalence.Mode.RANGE_WITHIN)) {
                            // a loop back-edge as well (the call insn is its own SCC)
                            hit(cp, insn, true);
                            return true;
                        }
                        loopCheck = false;
                    }
                    if (loopCheck && Equivalence.maybeLooping(cp.st, env.cur)
                            && cp.st.callbackUnrollDepth == env.cur.callbackUnrollDepth
                            && !KfuncChecks.activeDepthsDiffer(cp.st, env.cur)
                            && cp.st.mayGotoDepth == env.cur.mayGotoDepth
                            && eq.statesEqual(cp.st, env.cur, Equivalence.Mode.EXACT)) {
                        Linfo.print(env.log, env.prog, insn, "; ");
                        env.log.error("infinite loop detected at insn " + insn);
                        env.log.verbose("cur state:" + StatePrinter.frame(env.cur, env.frame(), true, 0, 0));
                        // the old state is the log's last line, so it is what the kernel's error line reads
                        String old = StatePrinter.frame(cp.st, cp.st.frames[env.cur.curframe], true, 0, 0);
                        env.log.error("old state:" + old.substring(0, old.length() - 1));
                        throw new Reject();
                    }
                    if (!forceNew && env.jmpsProcessed - env.prevJmpsProcessed < 20
                            && env.insnProcessed - env.prevInsnProcessed < 100) {
                        addNew = false;
                    }
                    miss = true;
                } else {
                    loop = incompleteReadMarks(cp.st);
                    miss = !eq.statesEqual(cp.st, env.cur, loop ? Equivalence.Mode.RANGE_WITHIN : Equivalence.Mode.NOT_EXACT);
                }
                if (!miss) {
                    // a hit returns before max_states_per_insn is updated, as in the kernel
                    hit(cp, insn, loop);
                    return true;
                }
                if (addNew) {
                    cp.misses++;
                }
                int n = forceNew && cp.st.branches > 0 ? 64 : 3;
                if (cp.misses > cp.hits * n + n) {
                    // evicted: freed when fully explored, else parked (still counted in peak)
                    bucket.remove(i--);
                    env.exploredStates--;
                    if (cp.st.branches > 0) {
                        cp.st.inFreeList = true;
                        freeListSize++;
                    }
                }
            }
        }
        if (env.maxStatesPerInsn < statesCnt) {
            env.maxStatesPerInsn = statesCnt;
        }
        if (!env.priv.bpfCapable() && statesCnt > 64) {
            return false;
        }
        if (!addNew) {
            return false;
        }
        env.totalStates++;
        env.exploredStates++;
        env.peakStates = Math.max(env.peakStates, env.exploredStates + freeListSize + numBackedges);
        env.prevJmpsProcessed = env.jmpsProcessed;
        env.prevInsnProcessed = env.insnProcessed;
        if (env.priv.bpfCapable()) {
            // forget inherited precision: children mark what they need
            Precision.markAllImprecise(env.cur);
        }
        VState cp = env.cur.copy();
        cp.insnIdx = insn;
        cp.branches = 1;
        env.cur.parent = cp;
        env.cur.firstInsnIdx = insn;
        env.cur.hist = new ArrayList<>();
        maybeEnterScc(cp);
        if (bucket == null) {
            bucket = new ArrayList<>(2);
            buckets[b] = bucket;
        }
        bucket.add(0, new Checkpoint(cp));
        return false;
    }
}
