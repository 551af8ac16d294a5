package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Slot;
import io.bpf4j.verifier.internal.scalar.Scalar;
import io.bpf4j.verifier.KfuncSignature;

/**
 * Kernel function calls ({@code call} with {@code src_reg} = BPF_PSEUDO_KFUNC_CALL): the
 * kernel's {@code add_kfunc_call} at load time and {@code check_kfunc_call} on every path, for
 * the kfuncs {@link KfuncTable} lists (their flags and the program types that may call them):
 * open-coded iterators ({@code bpf_iter_num_*}, {@code bpf_iter_bits_*}), task, cgroup and
 * cpumask references, {@code bpf_cast_to_kern_ctx} and {@code bpf_rdonly_cast}. Prototypes and
 * parameter names come from the input's {@link KfuncSignature}s (the kernel BTF the loader
 * resolved the calls against).
 *
 * <p>Arguments ({@code check_kfunc_args}): {@code __ign} parameters are skipped, {@code __k}
 * scalars must be constants; a pointer argument is an iterator (the first argument of an
 * iterator kfunc), the program's context ({@code bpf_cast_to_kern_ctx}) or a BTF pointer whose
 * struct must match the parameter's, possibly through members at offset 0
 * ({@code btf_struct_ids_match}); {@code KF_TRUSTED_ARGS} and {@code KF_RCU} kfuncs refuse
 * possibly-NULL, untrusted and (for trusted args) RCU pointers. {@code KF_RELEASE} releases the
 * reference the argument carries; {@code KF_ACQUIRE} makes R0 a new reference and
 * {@code KF_RET_NULL} makes it nullable.
 *
 * <p>Iterators ({@code process_iter_arg}, {@code process_iter_next_call}): {@code _new} wants
 * an 8-aligned, constant-offset stack slot holding no iterator, writes it and marks it
 * STACK_ITER with a fresh reference, ACTIVE at depth 0; {@code _next} and {@code _destroy}
 * want an initialized one; {@code _destroy} releases the reference. {@code _next} on an ACTIVE
 * iterator queues the "element" continuation (R0 a non-NULL read-only pointer to the value,
 * the iterator one level deeper, scalars that changed since the previous iteration widened)
 * and continues here with the iterator DRAINED and R0 = 0. Its call is a forced checkpoint;
 * the loop converges when a later visit is RANGE_WITHIN-equal to an ancestor with the iterator
 * still ACTIVE ({@link Explorer}).
 */
final class KfuncChecks {
    private static final String ITER_PREFIX = "bpf_iter_";
    private static final int MAX_BPF_FUNC_REG_ARGS = 5;

    private final Env env;
    private final Explorer ex;

    KfuncChecks(Env env, Explorer ex) {
        this.env = env;
        this.ex = ex;
    }

    /** add_kfunc_call: the call's BTF id must name a function the input describes. */
    static void declare(Program prog, VLog log, int insn, Slot s) {
        KfuncSignature sig = prog.kfuncs.get(s.imm());
        if (sig == null) {
            throw log.reject("kernel btf_id " + Integer.toUnsignedString(s.imm()) + " is not a function");
        }
        if (KfuncTable.of(sig.name()) == null) {
            throw log.reject("bpf4j: not supported yet: kfunc " + sig.name() + " at insn " + insn);
        }
    }

    /** Whether {@code btfId} names an iterator's {@code _next} kfunc (is_iter_next_kfunc). */
    static boolean isIterNext(Program prog, int btfId) {
        KfuncSignature sig = prog.kfuncs.get(btfId);
        if (sig == null) {
            return false;
        }
        KfuncTable.Kfunc k = KfuncTable.of(sig.name());
        return k != null ? k.has(KfuncTable.KF_ITER_NEXT) : sig.name().startsWith(ITER_PREFIX) && sig.name().endsWith("_next");
    }

    /** A kfunc call as print_bpf_insn shows it (the name from the kernel BTF), or null for any other insn. */
    static String callText(Program prog, io.bpf4j.isa.Instruction insn) {
        Slot s = insn.slot();
        if (s.code() != io.bpf4j.isa.Opcodes.CODE_CALL || s.src() != io.bpf4j.isa.Opcodes.PSEUDO_KFUNC_CALL) {
            return null;
        }
        KfuncSignature sig = prog.kfuncs.get(s.imm());
        return sig == null ? null : String.format("(%02x) call %s#%d", s.code(), sig.name(), s.imm());
    }

    /** What check_kfunc_args learns about a call (the kernel's bpf_kfunc_call_arg_meta). */
    private static final class Meta {
        int refObjId;
        int releaseRegno;
        boolean constFound;
        long constValue;
        int iterFrame = -1;
        int iterSpi = -1;
        /** The initialized dynptr argument (meta->initialized_dynptr). */
        FuncState.DynptrState dynptr;
    }

    /** check_kfunc_call. */
    void call(int idx, Slot s) {
        if (s.imm() == 0) {
            return;
        }
        KfuncSignature sig = env.prog.kfuncs.get(s.imm());
        String name = sig.name();
        KfuncTable.Kfunc k = KfuncTable.of(name);
        if (!KfuncTable.allowed(k, env.input.programType())) {
            throw env.reject("calling kernel function " + name + " is not allowed");
        }
        Meta meta = args(idx, sig, k);
        sections(name);
        Reg[] regs = env.regs();
        if (meta.releaseRegno != 0 && !ex.calls.releaseReference(meta.refObjId)) {
            throw env.reject("kfunc " + name + "#" + s.imm() + " reference has not been acquired before");
        }
        for (int r = 0; r <= 5; r++) {
            regs[r] = Reg.NotInit.INSTANCE;
            env.markRegScratched(r);
        }
        regs[0] = returned(idx, sig, k, meta);
        if (k.has(KfuncTable.KF_ITER_NEXT)) {
            iterNext(idx, meta.iterFrame, meta.iterSpi);
        }
    }

    /**
     * check_kfunc_call's RCU and preemption sections: bpf_preempt_disable nests, bpf_rcu_read_lock
     * does not (6.18; later kernels count them too); when the RCU section closes, RCU pointers
     * become untrusted (and no longer NULL).
     */
    private void sections(String name) {
        if (name.equals("bpf_rcu_read_lock")) {
            if (env.cur.rcuLocks > 0) {
                throw env.reject("nested rcu read lock (kernel function " + name + ")");
            }
            env.cur.rcuLocks = 1;
        } else if (name.equals("bpf_rcu_read_unlock")) {
            if (env.cur.rcuLocks == 0) {
                throw env.reject("unmatched rcu read unlock (kernel function " + name + ")");
            }
            env.cur.rcuLocks = 0;
            rcuPointersUntrusted();
        } else if (name.equals("bpf_preempt_disable")) {
            env.cur.preemptLocks++;
        } else if (name.equals("bpf_preempt_enable")) {
            if (env.cur.preemptLocks == 0) {
                throw env.reject("unmatched attempt to enable preemption (kernel function " + name + ")");
            }
            env.cur.preemptLocks--;
        }
    }

    /** The end of an RCU read section: MEM_RCU pointers in registers and spills become PTR_UNTRUSTED. */
    private void rcuPointersUntrusted() {
        for (int fr = 0; fr <= env.cur.curframe; fr++) {
            FuncState f = env.cur.frames[fr];
            for (int r = 0; r < FuncState.MAX_REG; r++) {
                f.regs[r] = untrustedIfRcu(f.regs[r]);
            }
            for (int spi = 0; spi < f.spilled.length; spi++) {
                if (f.isSpill(spi)) {
                    f.spilled[spi] = untrustedIfRcu(f.spilled[spi]);
                }
            }
        }
    }

    private static Reg untrustedIfRcu(Reg r) {
        if (!(r instanceof Reg.Ptr p) || p.btf() == null || !p.btf().has(BtfRef.RCU)) {
            return r;
        }
        BtfRef b = p.btf();
        return new Reg.Ptr(p.type(), false, p.rdonly(), p.ringbuf(), p.off(), p.var(), p.id(), p.refObjId(), p.map(),
                p.range(), p.memSize(), p.frameno(), p.subprog(), new BtfRef(b.typeId(), b.name(),
                        b.flags() & ~BtfRef.RCU | BtfRef.UNTRUSTED), p.dynptr());
    }

    /** check_kfunc_args. */
    private Meta args(int idx, KfuncSignature sig, KfuncTable.Kfunc k) {
        String name = sig.name();
        Meta meta = new Meta();
        Reg[] regs = env.regs();
        int nargs = sig.params().size();
        if (nargs > MAX_BPF_FUNC_REG_ARGS) {
            throw env.reject("Function " + name + " has " + nargs + " > " + MAX_BPF_FUNC_REG_ARGS + " args");
        }
        boolean trustedOrRcu = trustedArgs(k) || k.has(KfuncTable.KF_RCU);
        boolean iterKfunc = k.has(KfuncTable.KF_ITER_NEW | KfuncTable.KF_ITER_NEXT | KfuncTable.KF_ITER_DESTROY);
        for (int i = 0; i < nargs; i++) {
            int regno = i + 1;
            KfuncSignature.Type t = sig.params().get(i);
            String pname = sig.paramName(i);
            Reg reg = regs[regno];
            if (pname.endsWith("__ign")) {
                continue;
            }
            if (t.kind() == KfuncSignature.Kind.SCALAR) {
                if (!(reg instanceof Reg.ScalarReg sr)) {
                    throw env.reject("R" + regno + " is not a scalar");
                }
                if (pname.endsWith("__k")) {
                    if (!sr.v().varOff().isConst()) {
                        throw env.reject("R" + regno + " must be a known constant");
                    }
                    env.markPrecise(regno);
                    meta.constFound = true;
                    meta.constValue = sr.v().varOff().value();
                }
                continue;
            }
            if (t.kind() == KfuncSignature.Kind.OTHER || t.kind() == KfuncSignature.Kind.VOID) {
                throw env.reject("bpf4j: not supported yet: argument " + i + " of kfunc " + name);
            }
            boolean isNull = reg instanceof Reg.ScalarReg z && z.v().isConst() && z.v().constValue() == 0;
            boolean nullable = pname.endsWith("__nullable");
            if (trustedOrRcu && (isNull || reg instanceof Reg.Ptr p0 && p0.maybeNull()) && !nullable) {
                throw env.reject("Possibly NULL pointer passed to trusted arg" + i);
            }
            if (reg instanceof Reg.Ptr rp && rp.refObjId() != 0) {
                meta.refObjId = rp.refObjId();
                if (k.has(KfuncTable.KF_RELEASE)) {
                    meta.releaseRegno = regno;
                }
            }
            if (name.equals("bpf_cast_to_kern_ctx") || isCtxParam(t)) {
                ctxArg(i, regno, reg);
                continue;
            }
            if (nullable && isNull) {
                continue;
            }
            if (iterKfunc && i == 0) {
                if (t.kind() != KfuncSignature.Kind.PTR_TO_STRUCT || !t.name().startsWith(ITER_PREFIX)) {
                    throw env.reject("bpf4j: not supported yet: iterator kfunc " + name + " whose first argument is not an iterator");
                }
                int[] at = iterArg(idx, regno, k, t);
                meta.iterFrame = at[0];
                meta.iterSpi = at[1];
                if (at[2] != 0) {
                    meta.refObjId = at[2];
                }
                continue;
            }
            if (t.kind() == KfuncSignature.Kind.PTR_TO_STRUCT && t.name().equals("bpf_dynptr")) {
                dynptrArg(idx, regno, pname, name, meta);
                continue;
            }
            if (i + 1 < nargs && (sig.paramName(i + 1).endsWith("__sz") || sig.paramName(i + 1).endsWith("__szk"))
                    && (t.kind() == KfuncSignature.Kind.PTR_TO_VOID || t.kind() == KfuncSignature.Kind.PTR_TO_SCALAR)) {
                memSizeArg(i, regno, pname, sig.paramName(i + 1), meta);
                i++;
                continue;
            }
            if (reg instanceof Reg.Ptr p && p.type() == Reg.PtrType.BTF_ID && p.btf() != null) {
                if (t.kind() == KfuncSignature.Kind.PTR_TO_STRUCT && (t.name().equals("__sk_buff") || t.name().equals("xdp_md"))) {
                    // btf_is_prog_ctx_type's mapping of a uapi context to its kernel struct is not modelled
                    throw env.reject("bpf4j: not supported yet: a BTF pointer as the " + t.name() + " argument of kfunc " + name);
                }
                if (t.kind() != KfuncSignature.Kind.PTR_TO_STRUCT) {
                    throw env.reject("bpf4j: not supported yet: argument " + i + " of kfunc " + name
                            + " (a BTF pointer for a parameter that is not a struct pointer)");
                }
                btfIdArg(i, regno, p, t, sig, k);
                continue;
            }
            throw env.reject("bpf4j: not supported yet: argument " + i + " of kfunc " + name + " from a "
                    + (reg instanceof Reg.Ptr p ? p.typeName() : reg instanceof Reg.ScalarReg ? "scalar" : "uninitialized register"));
        }
        if (k.has(KfuncTable.KF_RELEASE) && meta.releaseRegno == 0) {
            throw env.reject("release kernel function " + name + " expects refcounted PTR_TO_BTF_ID");
        }
        return meta;
    }

    /** btf_is_prog_ctx_type: the parameter points to the program type's uapi context struct. */
    private boolean isCtxParam(KfuncSignature.Type t) {
        return t.kind() == KfuncSignature.Kind.PTR_TO_STRUCT && env.ctx != null && t.name().equals(env.ctx.structName());
    }

    /** KF_ARG_PTR_TO_DYNPTR: process_dynptr_func with the type a constructor or clone gives. */
    private void dynptrArg(int idx, int regno, String pname, String kfunc, Meta meta) {
        boolean uninit = pname.endsWith("__uninit");
        FuncState.DynptrKind kind = null;
        int cloneRef = 0;
        if (kfunc.equals("bpf_dynptr_from_skb")) {
            kind = FuncState.DynptrKind.SKB;
        } else if (kfunc.equals("bpf_dynptr_from_xdp")) {
            kind = FuncState.DynptrKind.XDP;
        } else if (kfunc.equals("bpf_dynptr_clone") && uninit && meta.dynptr != null) {
            kind = meta.dynptr.kind();
            cloneRef = meta.dynptr.refObjId();
        }
        if (uninit && kind == null) {
            throw env.reject("bpf4j: not supported yet: kfunc " + kfunc + " making a dynptr");
        }
        // a callback's dynptr is passed read-only
        boolean rdonly = env.regs()[regno] instanceof Reg.Ptr c && c.type() == Reg.PtrType.CONST_DYNPTR;
        ex.dynptrs.process(idx, regno, new Dynptrs.Arg(uninit, rdonly, kind, cloneRef));
        if (!uninit) {
            meta.dynptr = ex.dynptrs.state((Reg.Ptr) env.regs()[regno]);
        }
    }

    /**
     * KF_ARG_PTR_TO_MEM_SIZE: memory and its size in the next argument (check_kfunc_mem_size_reg:
     * readable and writable at the size's maximum); an {@code __opt} buffer may be NULL, a
     * {@code __szk} size must be a constant (the size of what the call returns).
     */
    private void memSizeArg(int i, int regno, String pname, String sizeName, Meta meta) {
        Reg buf = env.regs()[regno];
        Reg size = env.regs()[regno + 1];
        boolean isNull = buf instanceof Reg.ScalarReg z && z.v().isConst() && z.v().constValue() == 0;
        if (!isNull || !pname.endsWith("__opt")) {
            if (!(size instanceof Reg.ScalarReg sr)) {
                throw env.reject("R" + (regno + 1) + " is not a scalar");
            }
            try {
                ex.calls.kfuncMemSize(regno, sr);
            } catch (Reject r) {
                throw env.reject("arg#" + i + " arg#" + (i + 1) + " memory, len pair leads to invalid memory access");
            }
        }
        if (sizeName.endsWith("__szk")) {
            if (!(size instanceof Reg.ScalarReg sr) || !sr.v().varOff().isConst()) {
                throw env.reject("R" + (regno + 1) + " must be a known constant");
            }
            meta.constFound = true;
            meta.constValue = sr.v().varOff().value();
        }
    }

    /** KF_ARG_PTR_TO_CTX: bpf_cast_to_kern_ctx's argument must be the context. */
    private void ctxArg(int i, int regno, Reg reg) {
        if (!(reg instanceof Reg.Ptr p) || p.type() != Reg.PtrType.CTX || p.maybeNull()) {
            throw env.reject("arg#" + i + " expected pointer to ctx, but got " + regTypeStr(reg));
        }
        ex.mem.checkPtrOffReg(p, regno, false);
    }

    /** KF_ARG_PTR_TO_BTF_ID: trust rules, offsets, then process_kf_arg_ptr_to_btf_id's type match. */
    private void btfIdArg(int i, int regno, Reg.Ptr p, KfuncSignature.Type t, KfuncSignature sig, KfuncTable.Kfunc k) {
        BtfRef ref = p.btf();
        boolean trusted = isTrusted(p);
        boolean rcu = ref.has(BtfRef.RCU);
        if (trustedArgs(k) || k.has(KfuncTable.KF_RCU)) {
            if (!trusted) {
                if (!k.has(KfuncTable.KF_RCU)) {
                    throw env.reject("R" + regno + " must be referenced or trusted");
                }
                if (!rcu) {
                    throw env.reject("R" + regno + " must be a rcu pointer");
                }
            }
        }
        // check_func_arg_reg_off
        boolean releasing = k.has(KfuncTable.KF_RELEASE) && p.refObjId() != 0;
        if (releasing && p.off() != 0) {
            throw env.reject("R" + regno + " must have zero offset when passed to release func or trusted arg to kfunc");
        }
        ex.mem.checkPtrOffReg(p, regno, !releasing);
        boolean unsafe = ref.has(BtfRef.UNTRUSTED) || ref.has(BtfRef.USER) || ref.has(BtfRef.PERCPU) || ref.has(BtfRef.RCU);
        if (unsafe && !rcu) {
            int keep = ref.flags() & (BtfRef.TRUSTED | BtfRef.RCU);
            throw env.reject("arg#" + i + " is " + p.typeName() + " expected " + new BtfRef(0, "", keep).flagPrefix()
                    + Reg.PtrType.BTF_ID.kernelName + " or socket");
        }
        boolean strict = releasing;
        if (!structIdsMatch(ref.typeId(), p.off(), t, strict)) {
            throw env.reject("kernel function " + sig.name() + " args#" + i + " expected pointer to STRUCT " + t.name()
                    + " but R" + regno + " has a pointer to STRUCT " + ref.name());
        }
    }

    /** is_kfunc_trusted_args: KF_TRUSTED_ARGS, which release kfuncs imply. */
    private static boolean trustedArgs(KfuncTable.Kfunc k) {
        return k.has(KfuncTable.KF_TRUSTED_ARGS) || k.has(KfuncTable.KF_RELEASE);
    }

    /** is_trusted_reg for a BTF pointer: referenced, or trusted with no unsafe modifier. */
    static boolean isTrusted(Reg.Ptr p) {
        if (p.refObjId() != 0) {
            return true;
        }
        BtfRef ref = p.btf();
        return ref.has(BtfRef.TRUSTED) && !ref.has(BtfRef.UNTRUSTED) && !ref.has(BtfRef.RCU)
                && !ref.has(BtfRef.USER) && !ref.has(BtfRef.PERCPU) && !p.maybeNull();
    }

    /**
     * btf_struct_ids_match: the register's struct is the parameter's or, unless strict, holds
     * it as a struct member at the register's offset (followed through nested first members).
     */
    private boolean structIdsMatch(int regTypeId, int off, KfuncSignature.Type t, boolean strict) {
        return structIdsMatch(regTypeId, off, t.btfId(), t.name(), strict);
    }

    /** btf_struct_ids_match against the kernel BTF's struct {@code targetId}. */
    boolean structIdsMatch(int regTypeId, int off, int targetId, boolean strict) {
        return structIdsMatch(regTypeId, off, targetId, "", strict);
    }

    /**
     * The kernel BTF id of the struct {@code name} an {@code arg:trusted} global function argument
     * points to (btf_get_ptr_to_btf_id); the load fails when the kernel has no such struct.
     */
    int kernelStruct(String name) {
        io.bpf4j.verifier.BtfView btf = env.input.btf();
        if (btf == null) {
            throw env.reject("bpf4j: not supported yet: global function argument tagged arg:trusted without the kernel BTF");
        }
        var id = btf.findStruct(name);
        if (id.isEmpty()) {
            throw env.reject("bpf4j: not supported yet: arg:trusted pointer to struct " + name
                    + ", which the kernel BTF does not have");
        }
        return id.getAsInt();
    }

    private boolean structIdsMatch(int regTypeId, int off, int targetId, String targetName, boolean strict) {
        io.bpf4j.verifier.BtfView btf = env.input.btf();
        int id = regTypeId;
        int at = off;
        for (int depth = 0; depth < 32; depth++) {
            io.bpf4j.verifier.BtfNode n = btf == null ? null : btf.type(btf.skipModifiers(id));
            boolean same = targetId != 0 ? btf != null && btf.skipModifiers(id) == targetId
                    : n != null && n.name().equals(targetName);
            if (same && at == 0) {
                return true;
            }
            if (strict || !(n instanceof io.bpf4j.verifier.BtfNode.Composite c) || c.members().isEmpty()) {
                return false;
            }
            io.bpf4j.verifier.BtfNode.Member found = null;
            for (io.bpf4j.verifier.BtfNode.Member m : c.members()) {
                long byteOff = m.bitOffset() / 8;
                if (m.bitfieldSize() == 0 && m.bitOffset() % 8 == 0 && byteOff <= at
                        && btf.type(btf.skipModifiers(m.type())) instanceof io.bpf4j.verifier.BtfNode.Composite mc
                        && at < byteOff + Math.max(1, mc.size())) {
                    found = m;
                    break;
                }
            }
            if (found == null) {
                return false;
            }
            at -= (int) (found.bitOffset() / 8);
            id = found.type();
        }
        return false;
    }

    /** R0 after the call (check_kfunc_call's return-type part). */
    private Reg returned(int idx, KfuncSignature sig, KfuncTable.Kfunc k, Meta meta) {
        String name = sig.name();
        KfuncSignature.Type ret = sig.ret();
        if (k.has(KfuncTable.KF_ACQUIRE) && ret.kind() != KfuncSignature.Kind.PTR_TO_STRUCT) {
            throw env.reject("acquire kernel function does not return PTR_TO_BTF_ID");
        }
        Reg.Ptr r0;
        switch (ret.kind()) {
            case VOID -> {
                return Reg.NotInit.INSTANCE;
            }
            case SCALAR -> {
                return Reg.ScalarReg.UNKNOWN;
            }
            case PTR_TO_VOID -> {
                if (name.equals("bpf_cast_to_kern_ctx")) {
                    return btfReturn(KfuncTable.kernCtx(env.input.programType()), BtfRef.TRUSTED, name);
                }
                if (name.equals("bpf_rdonly_cast")) {
                    return rdonlyCast(meta);
                }
                if (name.equals("bpf_dynptr_slice")) {
                    r0 = dynptrSlice(meta);
                    break;
                }
                // a kfunc returning 'void *' returns a scalar
                return Reg.ScalarReg.UNKNOWN;
            }
            case PTR_TO_SCALAR -> r0 = new Reg.Ptr(Reg.PtrType.MEM, false, true, false, 0, Scalar.constant(0),
                    0, meta.refObjId, null, 0, ret.size(), 0, 0);
            case PTR_TO_STRUCT -> {
                if (env.input.btf() == null) {
                    throw env.reject("bpf4j: not supported yet: kfunc " + name + " returning a BTF pointer without the kernel BTF");
                }
                int typeId = ret.btfId() != 0 ? ret.btfId() : env.input.btf().findStruct(ret.name()).orElse(0);
                if (typeId == 0) {
                    throw env.reject("bpf4j: not supported yet: kfunc " + name + " returning struct " + ret.name()
                            + " the kernel BTF does not have");
                }
                // an iterator's _next returns a trusted pointer (process_iter_next_call's callers)
                int flags = k.has(KfuncTable.KF_ITER_NEXT) ? BtfRef.TRUSTED : 0;
                r0 = Reg.Ptr.btf(new BtfRef(typeId, ret.name(), flags), false, 0);
            }
            default -> throw env.reject("bpf4j: not supported yet: return type of kfunc " + name);
        }
        if (k.has(KfuncTable.KF_RET_NULL)) {
            r0 = r0.withType(r0.type(), true).withId(env.newId());
        }
        if (k.has(KfuncTable.KF_ACQUIRE)) {
            int id = env.newId();
            env.cur.refs.add(new VState.Ref(id, idx));
            if (k.has(KfuncTable.KF_RET_NULL)) {
                r0 = r0.withId(id);
            }
            r0 = r0.withRefObjId(id);
        }
        return r0;
    }

    /** bpf_dynptr_slice: read-only memory of the constant size, tied to the dynptr. */
    private Reg.Ptr dynptrSlice(Meta meta) {
        // packet slices hold no reference (dynptr_type_refcounted): they die when the packet changes
        return new Reg.Ptr(Reg.PtrType.MEM, false, true, false, 0, Scalar.constant(0), 0, 0, null, 0,
                (int) meta.constValue, 0, 0).withDynptr(new Reg.DynptrRef(meta.dynptr.id(), meta.dynptr.kind()));
    }

    /** A trusted or untrusted PTR_TO_BTF_ID to the kernel struct {@code struct}. */
    private Reg btfReturn(String struct, int flags, String kfunc) {
        io.bpf4j.verifier.BtfView btf = env.input.btf();
        var id = struct == null || btf == null ? java.util.OptionalInt.empty() : btf.findStruct(struct);
        if (id.isEmpty()) {
            throw env.reject("bpf4j: not supported yet: kfunc " + kfunc + " for program type "
                    + env.input.programType() + (btf == null ? " without the kernel BTF" : ""));
        }
        return Reg.Ptr.btf(new BtfRef(id.getAsInt(), struct, flags), false, 0);
    }

    /** bpf_rdonly_cast: an untrusted pointer to the struct (or union) whose kernel BTF id is the constant argument. */
    private Reg rdonlyCast(Meta meta) {
        io.bpf4j.verifier.BtfView btf = env.input.btf();
        if (btf == null) {
            throw env.reject("bpf4j: not supported yet: kfunc bpf_rdonly_cast without the kernel BTF");
        }
        long v = meta.constValue;
        io.bpf4j.verifier.BtfNode n = v <= 0 || v > Integer.MAX_VALUE ? io.bpf4j.verifier.BtfNode.Void.INSTANCE : btf.type((int) v);
        if (!(n instanceof io.bpf4j.verifier.BtfNode.Composite c)) {
            throw env.reject("kfunc bpf_rdonly_cast type ID argument must be of a struct");
        }
        return Reg.Ptr.btf(new BtfRef((int) v, c.name(), BtfRef.UNTRUSTED), false, 0);
    }

    /** reg_type_str of any register, for messages. */
    private static String regTypeStr(Reg reg) {
        if (reg instanceof Reg.Ptr p) {
            return p.typeName();
        }
        return reg instanceof Reg.ScalarReg ? "scalar" : "?";
    }

    /** process_iter_arg: returns {frame, spi, ref_obj_id}. */
    private int[] iterArg(int idx, int regno, KfuncTable.Kfunc k, KfuncSignature.Type t) {
        Reg reg = env.regs()[regno];
        if (!(reg instanceof Reg.Ptr p) || p.type() != Reg.PtrType.STACK || p.maybeNull()) {
            throw env.reject("arg#" + (regno - 1) + " expected pointer to an iterator on stack");
        }
        String type = t.name().substring(ITER_PREFIX.length());
        int nrSlots = t.size() / FuncState.REG_SIZE;
        FuncState f = env.cur.frames[p.frameno()];
        if (k.has(KfuncTable.KF_ITER_NEW)) {
            int spi = spi(p, nrSlots);
            if (spi >= 0) {
                for (int i = 0; i < nrSlots; i++) {
                    for (int b = 0; b < FuncState.REG_SIZE; b++) {
                        if (f.type(spi - i, b) == FuncState.ITER) {
                            throw env.reject("expected uninitialized iter_" + type + " as arg #" + (regno - 1));
                        }
                    }
                }
            }
            for (int i = 0; i < nrSlots * 8; i += FuncState.REG_SIZE) {
                ex.mem.access(idx, regno, i, 8, MemChecks.WRITE, -1, false, false);
            }
            spi = spi(p, nrSlots);
            int id = env.newId();
            env.cur.refs.add(new VState.Ref(id, idx));
            for (int i = 0; i < nrSlots; i++) {
                for (int b = 0; b < FuncState.REG_SIZE; b++) {
                    f.setType(spi - i, b, FuncState.ITER);
                }
                f.spilled[spi - i] = null;
                f.iters[spi - i] = new FuncState.IterState(type, t.size(), i == 0 ? id : 0, true, 0);
                env.liveness.markWrite(p.frameno(), 1L << (spi - i));
                env.markStackScratched(spi - i);
            }
            return new int[] {p.frameno(), spi, 0};
        }
        int spi = spi(p, nrSlots);
        boolean valid = spi >= 0;
        for (int i = 0; valid && i < nrSlots; i++) {
            FuncState.IterState it = f.iters[spi - i];
            valid = f.isIter(spi - i) && it.type().equals(type) && (i == 0) == (it.refObjId() != 0);
            for (int b = 0; valid && b < FuncState.REG_SIZE; b++) {
                valid = f.type(spi - i, b) == FuncState.ITER;
            }
        }
        if (!valid) {
            throw env.reject("expected an initialized iter_" + type + " as arg #" + (regno - 1));
        }
        int ref = f.iters[spi].refObjId();
        for (int i = 0; i < nrSlots; i++) {
            // mark_iter_read
            env.liveness.markRead(p.frameno(), env.insnIdx, 1L << (spi - i));
            env.markStackScratched(spi - i);
        }
        if (k.has(KfuncTable.KF_ITER_DESTROY)) {
            ex.calls.releaseReference(ref);
            for (int i = 0; i < nrSlots; i++) {
                for (int b = 0; b < FuncState.REG_SIZE; b++) {
                    f.setType(spi - i, b, FuncState.INVALID);
                }
                f.iters[spi - i] = null;
                f.spilled[spi - i] = null;
                env.liveness.markWrite(p.frameno(), 1L << (spi - i));
                env.markStackScratched(spi - i);
            }
        }
        return new int[] {p.frameno(), spi, ref};
    }

    /** iter_get_spi. */
    private int spi(Reg.Ptr p, int nrSlots) {
        return Dynptrs.stackSlotObjSpi(env, p, "iter", nrSlots);
    }

    /** process_iter_next_call. */
    private void iterNext(int idx, int frame, int spi) {
        VState cur = env.cur;
        FuncState.IterState it = cur.frames[frame].iters[spi];
        if (it.active()) {
            VState parent = cur.parent;
            VState prev = parent == null ? null : CallChecks.findPrevEntry(parent.parent, cur, idx);
            VState queued = ex.push(idx + 1, idx, false);
            FuncState qf = queued.frames[frame];
            qf.iters[spi] = qf.iters[spi].withActive(true).deeper();
            if (prev != null) {
                CallChecks.widen(prev, queued);
            }
            Reg[] qr = queued.frames[queued.curframe].regs;
            if (qr[0] instanceof Reg.Ptr p) {
                qr[0] = p.withType(p.type(), false);
            }
        }
        cur.frames[frame].iters[spi] = it.withActive(false);
        cur.frames[cur.curframe].regs[0] = Reg.ScalarReg.constant(0);
    }

    /**
     * The iterator whose {@code _next} is called at an iter_next insn in {@code st}: R1 points
     * at its first slot (btf_check_iter_kfuncs makes the iterator the first argument); whether
     * it is ACTIVE.
     */
    static boolean iterActiveAtNext(VState st) {
        Reg r1 = st.regs()[1];
        if (!(r1 instanceof Reg.Ptr p) || p.type() != Reg.PtrType.STACK || !p.var().varOff().isConst()) {
            return false;
        }
        int off = (int) (p.off() + p.var().varOff().value());
        int spi = (-off - 1) / FuncState.REG_SIZE;
        FuncState f = st.frames[p.frameno()];
        return spi >= 0 && spi < f.iters.length && f.isIter(spi) && f.iters[spi].active();
    }

    /** iter_active_depths_differ: an ACTIVE iterator of {@code old} is at another depth in {@code cur}. */
    static boolean activeDepthsDiffer(VState old, VState cur) {
        for (int fr = old.curframe; fr >= 0; fr--) {
            FuncState o = old.frames[fr];
            FuncState c = cur.frames[fr];
            for (int spi = 0; spi < o.allocated() / FuncState.REG_SIZE; spi++) {
                if (o.type(spi, 0) != FuncState.ITER || o.iters[spi] == null || !o.iters[spi].active()) {
                    continue;
                }
                FuncState.IterState ci = c != null && spi < c.iters.length ? c.iters[spi] : null;
                if (ci == null || ci.depth() != o.iters[spi].depth()) {
                    return true;
                }
            }
        }
        return false;
    }
}
