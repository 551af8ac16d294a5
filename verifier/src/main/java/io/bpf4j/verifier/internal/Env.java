package io.bpf4j.verifier.internal;

import io.bpf4j.isa.abi.ContextLayout;
import io.bpf4j.isa.abi.KernelProfile;
import io.bpf4j.verifier.Privileges;
import io.bpf4j.verifier.VerifierInput;
import io.bpf4j.verifier.internal.scalar.Scalar;

/**
 * The verifier's environment (the kernel's {@code bpf_verifier_env}): the program, the log, the
 * privileges, the current state and the counters. The check classes read and update it; the
 * explorer owns the loop.
 */
final class Env {
    final Program prog;
    final VLog log;
    final Privileges priv;
    final VerifierInput input;
    final KernelProfile profile;
    final ContextLayout ctx;
    /** BTF-typed pointers (and the context of a BTF-attached program); null without the kernel's BTF. */
    final BtfPointers btfPointers;

    VState cur;
    int insnIdx;
    int prevInsnIdx;
    int idGen;

    // statistics, as print_verification_stats reports them
    int insnProcessed;
    int totalStates;
    int peakStates;
    int maxStatesPerInsn;
    int exploredStates;
    int jmpsProcessed;
    int prevJmpsProcessed;
    int prevInsnProcessed;
    final int[] stackDepth;

    /** Per insn: the memory region its access touched on every path so far (facts). */
    final io.bpf4j.isa.facts.RegionKind[] region;
    /** Per insn: the pointer type of its memory operand on the first path (save_aux_ptr_type). */
    final String[] auxPtrType;
    /**
     * Per insn, for loaders without bypass_spec_v1: a speculative path stops here (a barrier the
     * kernel inserts where such a path failed a check), and the pointer-ALU sanitation state
     * ({@link PtrSanitation}) every path must agree on.
     */
    final boolean[] nospec;
    /** Per insn, without bypass_spec_v4: a store barrier follows it, which also ends a speculative path. */
    final boolean[] nospecResult;
    final int[] aluState;
    final int[] aluLimit;
    /** Per tail call insn: the prog array it was given, and whether another one reached it too. */
    final MapRef[] tailCallMap;
    final boolean[] tailCallPoisoned;
    /** Set by the first masked variable offset: scalars then only match equal scalars (explore_alu_limits). */
    boolean exploreAluLimits;
    int maxCtxOffset;
    /**
     * The first insn whose access passed the checks but has no rewrite in convert_ctx_accesses
     * (a u32 read of the upper half of a {@code bpf_tcp_sock} u64), or -1: the kernel then fails
     * the load after exploration with a "verifier bug" line.
     */
    int unconvertibleAccess = -1;
    final FactsRecorder facts;

    /** Whether the current insn already has a jump-history entry (flags of a second push merge into it). */
    boolean histEntThisInsn;
    /** Global functions a verified unit called (each is verified on its own afterwards). */
    final boolean[] globalCalled;
    /** callx, call tables and gotox (beyond 6.18): their checks and the targets every path proved. */
    final IndirectChecks indirect;
    /** bpf_fastcall spill/fill patterns (null until marked). */
    Fastcall fastcall;
    /** Backtracking for precision; set by the explorer. */
    Precision precision;
    /** Stack-slot liveness (liveness.c), shared by all verification units; set by the explorer. */
    StackLiveness liveness;

    // scratch marks decide which registers/slots the log prints after an instruction
    int scratchedRegs;
    long scratchedStack;

    Env(Program prog, VLog log, VerifierInput input) {
        this.prog = prog;
        this.log = log;
        this.priv = input.privileges();
        this.input = input;
        this.profile = input.profile();
        this.ctx = profile.context(input.programType(), input.expectedAttachType());
        this.btfPointers = input.btf() != null ? new BtfPointers(this) : null;
        this.stackDepth = new int[prog.subprogCount];
        this.globalCalled = new boolean[prog.subprogCount];
        this.region = new io.bpf4j.isa.facts.RegionKind[prog.len];
        this.auxPtrType = new String[prog.len];
        this.nospec = new boolean[prog.len];
        this.nospecResult = new boolean[prog.len];
        this.tailCallMap = new MapRef[prog.len];
        this.tailCallPoisoned = new boolean[prog.len];
        this.aluState = new int[prog.len];
        this.aluLimit = new int[prog.len];
        this.facts = new FactsRecorder(prog);
        this.indirect = new IndirectChecks(this);
    }

    /** push_jmp_history: records the current insn (or merges into its entry) in the current state. */
    void pushHistory(int flags, int[] linked) {
        java.util.List<VState.Hist> h = cur.hist;
        if (histEntThisInsn && !h.isEmpty()) {
            VState.Hist last = h.get(h.size() - 1);
            h.set(h.size() - 1, new VState.Hist(last.idx(), last.prevIdx(), last.flags() | flags,
                    linked != null ? linked : last.linked()));
            return;
        }
        h.add(new VState.Hist(insnIdx, prevInsnIdx, flags, linked));
        histEntThisInsn = true;
    }

    /** mark_chain_precision for a register of the current frame (no-op unless it is a scalar and we are privileged). */
    void markPrecise(int regno) {
        if (regno >= 0 && precision != null) {
            precision.markChain(cur, regno);
        }
    }

    Reject reject(String line) {
        return log.reject(line);
    }

    Reg[] regs() {
        return cur.regs();
    }

    FuncState frame() {
        return cur.cur();
    }

    void markRegScratched(int regno) {
        scratchedRegs |= 1 << regno;
    }

    void markStackScratched(int spi) {
        if (spi < 64) {
            scratchedStack |= 1L << spi;
        }
    }

    void markAllScratched() {
        scratchedRegs = -1;
        scratchedStack = -1L;
    }

    boolean scratched() {
        return scratchedRegs != 0 || scratchedStack != 0;
    }

    /** check_reg_arg(SRC_OP): the register must be initialised. */
    Reg src(int regno) {
        if (regno >= FuncState.MAX_REG) {
            throw reject("R" + regno + " is invalid");
        }
        markRegScratched(regno);
        Reg r = regs()[regno];
        if (r instanceof Reg.NotInit) {
            throw reject("R" + regno + " !read_ok");
        }
        return r;
    }

    /** check_reg_arg(DST_OP / DST_OP_NO_MARK): the register is about to be written. */
    void dst(int regno) {
        if (regno >= FuncState.MAX_REG) {
            throw reject("R" + regno + " is invalid");
        }
        markRegScratched(regno);
        if (regno == 10) {
            throw reject("frame pointer is read only");
        }
    }

    void setReg(int regno, Reg r) {
        regs()[regno] = r;
    }

    void markUnknown(int regno) {
        regs()[regno] = Reg.ScalarReg.UNKNOWN;
    }

    int newId() {
        return ++idGen;
    }

    /** is_pointer_value: a pointer the program may not treat as a number (without leak rights). */
    boolean isPointerValue(int regno) {
        return !priv.allowPtrLeaks() && regs()[regno] instanceof Reg.Ptr;
    }

    static boolean isScalar(Reg r) {
        return r instanceof Reg.ScalarReg;
    }

    static Scalar scalarOf(Reg r) {
        return ((Reg.ScalarReg) r).v();
    }

    void growStack(FuncState f, int size) {
        f.grow(size);
        int s = f.subprog;
        if (f.allocated() > stackDepth[s]) {
            stackDepth[s] = f.allocated();
        }
    }
}
