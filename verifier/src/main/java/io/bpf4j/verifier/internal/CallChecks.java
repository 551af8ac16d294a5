package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Slot;
import io.bpf4j.isa.abi.ArgKind;
import io.bpf4j.isa.abi.ArgSpec;
import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.isa.abi.HelperProto;
import io.bpf4j.isa.abi.RegKind;
import io.bpf4j.isa.abi.ReturnRange;
import io.bpf4j.isa.abi.TypeFlag;
import io.bpf4j.verifier.internal.scalar.Scalar;
import java.util.List;
import java.util.Optional;

/**
 * Helper calls ({@code check_helper_call}, {@code check_func_arg}), static BPF-to-BPF calls
 * (frames), exits ({@code process_bpf_exit}, {@code check_return_code}) and reference tracking.
 */
final class CallChecks {
    static final int MAX_CALL_FRAMES = 8;

    private final Env env;
    private final Explorer ex;

    CallChecks(Env env, Explorer ex) {
        this.env = env;
        this.ex = ex;
    }

    /** Expected register types per argument kind (compatible_reg_types), with the names the log prints. */
    private record Expect(Reg.PtrType type, boolean ringbuf, String name) {
    }

    private static final List<Expect> MEM_TYPES = List.of(new Expect(Reg.PtrType.STACK, false, "fp"),
            new Expect(Reg.PtrType.PACKET, false, "pkt"), new Expect(Reg.PtrType.PACKET_META, false, "pkt_meta"),
            new Expect(Reg.PtrType.MAP_KEY, false, "map_key"), new Expect(Reg.PtrType.MAP_VALUE, false, "map_value"),
            new Expect(Reg.PtrType.MEM, false, "mem"), new Expect(Reg.PtrType.MEM, true, "ringbuf_mem"),
            new Expect(Reg.PtrType.BUF, false, "buf"), new Expect(null, false, "trusted_ptr_"));

    private static List<Expect> compatible(ArgKind k) {
        return switch (k) {
            case PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM -> MEM_TYPES;
            case CONST_SIZE, CONST_SIZE_OR_ZERO, CONST_ALLOC_SIZE_OR_ZERO, SCALAR -> List.of(new Expect(null, false, "scalar"));
            case CONST_MAP_PTR -> List.of(new Expect(Reg.PtrType.CONST_MAP, false, "map_ptr"));
            case PTR_TO_CTX -> List.of(new Expect(Reg.PtrType.CTX, false, "ctx"));
            case PTR_TO_SOCK_COMMON -> List.of(new Expect(Reg.PtrType.SOCK_COMMON, false, "sock_common"),
                    new Expect(Reg.PtrType.SOCKET, false, "sock"), new Expect(Reg.PtrType.TCP_SOCK, false, "tcp_sock"),
                    new Expect(Reg.PtrType.XDP_SOCK, false, "xdp_sock"));
            case PTR_TO_BTF_ID_SOCK_COMMON -> List.of(new Expect(Reg.PtrType.SOCK_COMMON, false, "sock_common"),
                    new Expect(Reg.PtrType.SOCKET, false, "sock"), new Expect(Reg.PtrType.TCP_SOCK, false, "tcp_sock"),
                    new Expect(Reg.PtrType.XDP_SOCK, false, "xdp_sock"), new Expect(null, false, "ptr_"),
                    new Expect(null, false, "trusted_ptr_"));
            case PTR_TO_SOCKET -> List.of(new Expect(Reg.PtrType.SOCKET, false, "sock"));
            case PTR_TO_RINGBUF_MEM -> List.of(new Expect(Reg.PtrType.MEM, true, "ringbuf_mem"));
            case PTR_TO_FUNC -> List.of(new Expect(Reg.PtrType.FUNC, false, "func"));
            case PTR_TO_STACK -> List.of(new Expect(Reg.PtrType.STACK, false, "fp"));
            case PTR_TO_DYNPTR -> List.of(new Expect(Reg.PtrType.STACK, false, "fp"),
                    new Expect(Reg.PtrType.CONST_DYNPTR, false, "dynptr_ptr"));
            case PTR_TO_CONST_STR, PTR_TO_TIMER -> List.of(new Expect(Reg.PtrType.MAP_VALUE, false, "map_value"));
            case PTR_TO_SPIN_LOCK -> List.of(new Expect(Reg.PtrType.MAP_VALUE, false, "map_value"),
                    new Expect(null, false, "ptr_"));
            default -> null;
        };
    }

    /** State collected while checking arguments (the kernel's bpf_call_arg_meta). */
    private static final class Meta {
        MapRef map;
        int releaseRegno;
        int refObjId;
        long memSize;
        int rawRegno = -1;
        int rawSize;
        long constKey = -1;
        int subprog = -1;
        long msizeMax;
        /** The dynptr argument's state (bpf_dynptr_data's slice and dynptr_write's type need it). */
        FuncState.DynptrState dynptr;
    }

    /**
     * get_constant_map_key (6.13+): a key known on the stack lets an array lookup in bounds
     * return a value pointer that cannot be NULL.
     */
    private long constantMapKey(Reg key, int keySize) {
        if (!env.priv.bpfCapable() || !(key instanceof Reg.Ptr p) || p.type() != Reg.PtrType.STACK
                || !p.var().varOff().isConst()) {
            return -1;
        }
        FuncState f = env.cur.frames[p.frameno()];
        int stackOff = (int) (p.off() + p.var().varOff().value());
        int slot = -stackOff - 1;
        int spi = slot / FuncState.REG_SIZE;
        int off = slot % FuncState.REG_SIZE;
        int zero = 0;
        for (int i = off; i >= 0 && f.type(spi, i) == FuncState.ZERO; i--) {
            zero++;
        }
        if (zero >= keySize) {
            return 0;
        }
        if (!(f.isSpill(spi) && f.spilled[spi] instanceof Reg.ScalarReg sr)) {
            return -1;
        }
        int spill = 0;
        for (int i = off; i >= 0 && f.type(spi, i) == FuncState.SPILL; i--) {
            spill++;
        }
        if (spill != keySize || !sr.v().varOff().isConst()) {
            return -1;
        }
        return sr.v().varOff().value();
    }

    static String helperName(int id) {
        HelperId h = HelperId.ofId(id);
        return h == null ? "unknown" : h.helperName();
    }

    void helperCall(int idx, Slot s) {
        int func = s.imm();
        String name = helperName(func);
        if (HelperId.ofId(func) == null) {
            throw env.reject("invalid func " + name + "#" + func);
        }
        Optional<HelperProto> proto = env.profile.helper(env.input.programType(), env.input.expectedAttachType(), func);
        if (proto.isEmpty() || !env.priv.bpfCapable() && HelperTraits.needsCapBpf(func)
                || !env.priv.allowPtrLeaks() && HelperTraits.needsPerfmon(func)) {
            throw env.reject("program of this type cannot use helper " + name + "#" + func);
        }
        HelperProto fn = proto.get();
        if (fn.mightSleep()) {
            if (!sleepableProg()) {
                throw env.reject("helper call might sleep in a non-sleepable prog");
            }
            if (env.cur.rcuLocks > 0) {
                throw env.reject("sleepable helper " + name + "#" + func + " in rcu_read_lock region");
            }
            if (env.cur.preemptLocks > 0) {
                throw env.reject("sleepable helper " + name + "#" + func + " in non-preemptible region");
            }
            if (callsNonSleepableSectionKfuncs()) {
                // in_sleepable: IRQ sections, where sleeping is refused, are not tracked
                throw env.reject("bpf4j: not supported yet: sleepable helper " + name
                        + " in a program with IRQ sections");
            }
        }
        boolean supportedCallback = func == HelperId.LOOP.id() || func == HelperId.FOR_EACH_MAP_ELEM.id()
                || func == HelperId.USER_RINGBUF_DRAIN.id();
        if (!supportedCallback && (HelperTraits.callsSyncCallback(func) || HelperTraits.callsAsyncCallback(func))) {
            throw env.reject("bpf4j: not supported yet: helpers with callbacks (" + name + ")");
        }
        Meta meta = new Meta();
        msizeMax = 0;
        for (int i = 0; i < 5; i++) {
            checkArg(i, fn, meta, idx);
        }
        recordFuncMap(func, meta);
        if (func == HelperId.TAIL_CALL.id() && (meta.map == null || meta.map.type() != io.bpf4j.isa.abi.MapType.PROG_ARRAY)) {
            // record_func_key words this one without a newline
            env.log.errorNoNewline("expected prog array map for tail call");
            throw new Reject();
        }
        if (meta.rawRegno >= 0) {
            // the helper writes this memory: check it as byte stores
            for (int i = 0; i < meta.rawSize; i++) {
                ex.mem.access(idx, meta.rawRegno, i, 1, MemChecks.WRITE, -1, false, false);
            }
        }
        Reg[] regs = env.regs();
        if (meta.releaseRegno > 0) {
            boolean ok;
            if (fn.arg(meta.releaseRegno - 1).kind() == ArgKind.PTR_TO_DYNPTR) {
                ok = ex.dynptrs.release(meta.releaseRegno);
            } else if (meta.refObjId != 0) {
                ok = releaseReference(meta.refObjId);
            } else {
                ok = regs[meta.releaseRegno] instanceof Reg.ScalarReg z && z.v().isConst() && z.v().constValue() == 0;
            }
            if (!ok) {
                throw env.reject("func " + name + "#" + func + " reference has not been acquired before");
            }
        }
        if (func == HelperId.DYNPTR_FROM_MEM.id() && !(regs[1] instanceof Reg.Ptr dp && dp.type() == Reg.PtrType.MAP_VALUE)) {
            throw env.reject("Unsupported reg type " + typeName(regs[1]) + " for bpf_dynptr_from_mem data");
        }
        boolean changesData = HelperTraits.changesPacketData(func);
        if (func == HelperId.DYNPTR_WRITE.id() && meta.dynptr.kind() == FuncState.DynptrKind.SKB) {
            // writing an skb dynptr may move the packet: its slices and packet pointers die
            changesData = true;
        }
        if (func == HelperId.TAIL_CALL.id()) {
            checkResourceLeak(env, false, true, "tail_call");
            // record_func_key: a constant in-range index is relied upon exactly
            if (regs[3] instanceof Reg.ScalarReg k && k.v().isConst()
                    && Long.compareUnsigned(k.v().constValue(), Integer.toUnsignedLong(meta.map.maxEntries())) < 0) {
                env.markPrecise(3);
            }
        }
        if (func == HelperId.GET_LOCAL_STORAGE.id()) {
            if (!(regs[2] instanceof Reg.ScalarReg fl && fl.v().isConst() && fl.v().constValue() == 0)) {
                throw env.reject("get_local_storage() doesn't support non-zero flags");
            }
            env.markPrecise(2);
        }
        if (func == HelperId.LOOP.id()) {
            updateLoopInlineState(idx, meta.subprog);
            // the iteration count decides when the loop ends
            env.markPrecise(1);
            FuncState f = env.frame();
            Reg n = regs[1];
            long max = n instanceof Reg.ScalarReg ns ? ns.v().umax() : 0;
            if (Long.compareUnsigned(f.callbackDepth, max) < 0) {
                pushCallback(idx, meta, false);
            } else {
                f.callbackDepth = 0;
                if (env.log.level2()) {
                    env.log.verbose("frame" + env.cur.curframe + " bpf_loop iteration limit reached\n");
                }
            }
        } else if (func == HelperId.FOR_EACH_MAP_ELEM.id()) {
            pushCallback(idx, meta, true);
        } else if (func == HelperId.USER_RINGBUF_DRAIN.id()) {
            pushCallback(idx, meta, false);
        }
        for (int r = 0; r <= 5; r++) {
            regs[r] = Reg.NotInit.INSTANCE;
            env.markRegScratched(r);
        }
        RegKind rk = fn.ret().regKind();
        boolean nullable = rk.maybeNull();
        switch (fn.ret()) {
            case INTEGER -> regs[0] = Reg.ScalarReg.UNKNOWN;
            case VOID -> regs[0] = Reg.NotInit.INSTANCE;
            case PTR_TO_MAP_VALUE, PTR_TO_MAP_VALUE_OR_NULL -> {
                if (meta.map == null) {
                    throw env.reject("kernel subsystem misconfigured verifier");
                }
                if (func == HelperId.MAP_LOOKUP_ELEM.id() && meta.constKey >= 0
                        && meta.constKey < Integer.toUnsignedLong(meta.map.maxEntries())
                        && (meta.map.type() == io.bpf4j.isa.abi.MapType.ARRAY
                                || meta.map.type() == io.bpf4j.isa.abi.MapType.PERCPU_ARRAY)) {
                    nullable = false;
                }
                int id = !nullable && meta.map.hasSpinLock() ? env.newId() : 0;
                io.bpf4j.isa.abi.MapType mt = meta.map.type();
                if (meta.map.inner() != null) {
                    // a map-in-map lookup gives the inner map (6.18 types it so before the NULL check)
                    regs[0] = Reg.Ptr.map(Reg.PtrType.CONST_MAP, meta.map.inner(), 0, 0, nullable);
                } else if (mt == io.bpf4j.isa.abi.MapType.XSKMAP || mt == io.bpf4j.isa.abi.MapType.SOCKMAP
                        || mt == io.bpf4j.isa.abi.MapType.SOCKHASH) {
                    // 6.18 types the lookup by what these maps hold, NULL check or not
                    Reg.PtrType held = mt == io.bpf4j.isa.abi.MapType.XSKMAP ? Reg.PtrType.XDP_SOCK : Reg.PtrType.SOCKET;
                    regs[0] = Reg.Ptr.of(held).withType(held, nullable);
                } else {
                    regs[0] = Reg.Ptr.map(Reg.PtrType.MAP_VALUE, meta.map, 0, id, nullable);
                }
            }
            case PTR_TO_MEM, PTR_TO_RINGBUF_MEM_OR_NULL, PTR_TO_DYNPTR_MEM_OR_NULL -> {
                boolean ringbuf = fn.retFlags().contains(TypeFlag.MEM_RINGBUF) || fn.ret() == io.bpf4j.isa.abi.RetKind.PTR_TO_RINGBUF_MEM_OR_NULL;
                boolean rdonly = fn.retFlags().contains(TypeFlag.MEM_RDONLY);
                regs[0] = new Reg.Ptr(Reg.PtrType.MEM, nullable, rdonly, ringbuf, 0, Scalar.constant(0), 0, 0, null, 0,
                        (int) meta.memSize, 0, 0);
            }
            case PTR_TO_SOCKET, PTR_TO_SOCKET_OR_NULL, PTR_TO_TCP_SOCK, PTR_TO_TCP_SOCK_OR_NULL, PTR_TO_SOCK_COMMON,
                    PTR_TO_SOCK_COMMON_OR_NULL -> regs[0] = Reg.Ptr.of(MemChecks.ptrTypeOf(rk.base())).withType(
                            MemChecks.ptrTypeOf(rk.base()), nullable);
            case PTR_TO_BTF_ID, PTR_TO_BTF_ID_OR_NULL, PTR_TO_BTF_ID_TRUSTED -> {
                Reg r0 = env.btfPointers == null ? null : env.btfPointers.helperReturn(fn.retBtfType(), nullable,
                        fn.ret() == io.bpf4j.isa.abi.RetKind.PTR_TO_BTF_ID_TRUSTED);
                if (r0 == null) {
                    throw env.reject("bpf4j: not supported yet: helper return kind " + fn.ret() + " (" + name
                            + ") without the kernel's BTF");
                }
                if (name.startsWith("bpf_skc_to_") && meta.refObjId != 0) {
                    // is_ptr_cast_function: the cast shares its argument's reference
                    r0 = ((Reg.Ptr) r0).withRefObjId(meta.refObjId);
                }
                regs[0] = r0;
            }
            default -> throw env.reject("bpf4j: not supported yet: helper return kind " + fn.ret() + " (" + name + ")");
        }
        if (regs[0] instanceof Reg.Ptr p && p.maybeNull()) {
            regs[0] = p.withId(env.newId());
        }
        if (func == HelperId.DYNPTR_DATA.id() && regs[0] instanceof Reg.Ptr p) {
            // is_dynptr_ref_function: the slice dies with its dynptr (and its reference)
            regs[0] = p.withDynptr(new Reg.DynptrRef(meta.dynptr.id(), null)).withRefObjId(meta.dynptr.refObjId());
        } else if (HelperTraits.isPtrCast(func)) {
            if (regs[0] instanceof Reg.Ptr p) {
                regs[0] = p.withRefObjId(meta.refObjId);
            }
        } else if (regs[0] instanceof Reg.Ptr p && fn.acquiresRef(meta.map == null ? null : meta.map.type())) {
            int id = env.newId();
            env.cur.refs.add(new VState.Ref(id, idx));
            regs[0] = p.withId(id).withRefObjId(id);
        }
        regs[0] = refineRetval(func, regs[0]);
        if (meta.map != null && !MapFuncCompat.compatible(meta.map, func, env.input.programType(),
                env.input.expectedAttachType(), env.log)) {
            throw env.reject("cannot pass map_type " + meta.map.type().id() + " into func " + name + "#" + func);
        }
        if (changesData) {
            clearPacketPointers();
        }
    }

    /** Per bpf_loop call insn: 0 unseen, 1 fit for inlining (flags zero, same callback), 2 not. */
    private int[] loopInline;
    private int[] loopCallback;

    /** update_loop_inline_state: a zero flags argument is relied upon while the call stays inlinable. */
    private void updateLoopInlineState(int idx, int subprog) {
        if (loopInline == null) {
            loopInline = new int[env.prog.len];
            loopCallback = new int[env.prog.len];
        }
        if (loopInline[idx] == 2) {
            return;
        }
        boolean zero = env.regs()[4] instanceof Reg.ScalarReg f && f.v().isConst() && f.v().constValue() == 0;
        if (zero) {
            env.markPrecise(4);
        }
        boolean fit = zero && (loopInline[idx] == 0 || loopCallback[idx] == subprog);
        loopInline[idx] = fit ? 1 : 2;
        loopCallback[idx] = subprog;
    }

    /** record_func_map: map helpers need a map, and may not change a map read-only to programs. */
    private void recordFuncMap(int func, Meta meta) {
        boolean mapFunc = switch (func) {
            case 12, 1, 2, 3, 87, 88, 89, 164, 51, 195 -> true;
            default -> false;
        };
        if (!mapFunc) {
            return;
        }
        if (meta.map == null) {
            throw env.reject("kernel subsystem misconfigured verifier");
        }
        if (func == HelperId.TAIL_CALL.id()) {
            // bpf_map_ptr_store: a second map at the same call poisons it
            MapRef seen = env.tailCallMap[env.insnIdx];
            if (seen == null) {
                env.tailCallMap[env.insnIdx] = meta.map;
            } else if (seen.index() != meta.map.index() || !java.util.Objects.equals(seen.name(), meta.map.name())) {
                env.tailCallPoisoned[env.insnIdx] = true;
            }
        }
        if ((meta.map.flags() & io.bpf4j.isa.abi.MapShape.F_RDONLY_PROG) != 0 && (func == 3 || func == 2 || func == 87 || func == 88)) {
            throw env.reject("write into map forbidden");
        }
    }

    private void checkArg(int arg, HelperProto fn, Meta meta, int idx) {
        int regno = arg + 1;
        ArgSpec spec = fn.arg(arg);
        ArgKind kind = spec.kind();
        if (kind == ArgKind.DONTCARE) {
            return;
        }
        Reg reg = env.src(regno);
        if (kind == ArgKind.ANYTHING) {
            if (env.isPointerValue(regno)) {
                throw env.reject("R" + regno + " leaks addr into helper function");
            }
            return;
        }
        if (reg instanceof Reg.Ptr rp && rp.isPacket() && !fn.pktAccess()) {
            throw env.reject("helper access to the packet is not allowed");
        }
        if (kind == ArgKind.PTR_TO_MAP_VALUE) {
            kind = resolveMapArgKind(spec, meta);
        }
        if (kind == ArgKind.PTR_TO_BTF_ID && !spec.btfType().isEmpty() && !spec.btfType().equals("*") && !spec.releases()
                && spec.flags().stream().allMatch(f -> f == TypeFlag.PTR_MAYBE_NULL)) {
            // check_reg_type for a helper taking a pointer to one kernel struct (no release)
            boolean isNull = reg instanceof Reg.ScalarReg z && z.v().isConst() && z.v().constValue() == 0;
            if (!(isNull && spec.maybeNull())) {
                btfStructArg(regno, reg, ex.kfuncs.kernelStruct(spec.btfType()), spec.btfType(), spec.maybeNull());
            }
            if (reg instanceof Reg.Ptr rp && rp.refObjId() != 0) {
                meta.refObjId = rp.refObjId();
            }
            return;
        }
        if (reg instanceof Reg.Ptr bp && bp.type() == Reg.PtrType.BTF_ID) {
            // check_reg_type's BTF id matching (btf_struct_ids_match, trusted/rcu rules) is not modelled
            throw env.reject("bpf4j: not supported yet: BTF-typed pointer " + typeName(reg) + " as an argument of "
                    + fn.helperName());
        }
        boolean isNull = reg instanceof Reg.ScalarReg z && z.v().isConst() && z.v().constValue() == 0;
        if (isNull && spec.maybeNull()) {
            // NULL is accepted only because it is exactly zero
            env.markPrecise(regno);
        }
        if (!(isNull && spec.maybeNull())) {
            List<Expect> compat = compatible(kind);
            if (compat == null) {
                throw env.reject("bpf4j: not supported yet: helper argument kind " + kind + " (" + fn.helperName() + ")");
            }
            if (!matches(reg, compat, spec)) {
                StringBuilder sb = new StringBuilder("R" + regno + " type=" + typeName(reg) + " expected=");
                for (int j = 0; j < compat.size(); j++) {
                    sb.append(j == 0 ? "" : ", ").append(compat.get(j).name());
                }
                throw env.reject(sb.toString());
            }
            if (reg instanceof Reg.Ptr rp) {
                argRegOff(rp, regno, spec);
            }
        }
        if (spec.releases() && kind == ArgKind.PTR_TO_DYNPTR) {
            ex.dynptrs.checkReleasable(regno);
            meta.releaseRegno = regno;
        } else if (spec.releases()) {
            if (!(reg instanceof Reg.Ptr rp && rp.refObjId() != 0) && !isNull) {
                throw env.reject("R" + regno + " must be referenced when passed to release function");
            }
            meta.releaseRegno = regno;
        }
        if (reg instanceof Reg.Ptr rp && rp.refObjId() != 0) {
            meta.refObjId = rp.refObjId();
        }
        boolean write = spec.has(TypeFlag.MEM_WRITE);
        switch (kind) {
            case CONST_MAP_PTR -> meta.map = ((Reg.Ptr) reg).map();
            case PTR_TO_FUNC -> meta.subprog = env.indirect.callbackSubprog(regno, (Reg.Ptr) reg);
            case PTR_TO_MAP_KEY -> {
                if (meta.map == null) {
                    throw env.reject("invalid map_ptr to access map->key");
                }
                helperMemAccess(regno, meta.map.keySize(), false, false, null);
                if (meta.map.type() == io.bpf4j.isa.abi.MapType.ARRAY
                        || meta.map.type() == io.bpf4j.isa.abi.MapType.PERCPU_ARRAY) {
                    meta.constKey = constantMapKey(reg, meta.map.keySize());
                }
            }
            case PTR_TO_MAP_VALUE -> {
                if (spec.maybeNull() && isNull) {
                    return;
                }
                if (meta.map == null) {
                    throw env.reject("invalid map_ptr to access map->value");
                }
                helperMemAccess(regno, meta.map.valueSize(), write, false, spec.has(TypeFlag.MEM_UNINIT) ? meta : null);
            }
            case PTR_TO_MEM -> {
                if (spec.has(TypeFlag.MEM_FIXED_SIZE)) {
                    helperMemAccess(regno, spec.fixedSize(), write, false, spec.has(TypeFlag.MEM_UNINIT) ? meta : null);
                    if (spec.has(TypeFlag.MEM_ALIGNED) && env.regs()[regno] instanceof Reg.Ptr mp) {
                        // the helper stores a whole u64 there: the kernel wants it aligned, whatever the arch
                        ex.mem.checkAlignment(mp, 0, spec.fixedSize(), true);
                    }
                }
            }
            case CONST_SIZE, CONST_SIZE_OR_ZERO -> {
                ArgSpec prev = fn.arg(arg - 1);
                memSizeReg((Reg.ScalarReg) reg, regno, prev.has(TypeFlag.MEM_WRITE), kind == ArgKind.CONST_SIZE_OR_ZERO,
                        prev.has(TypeFlag.MEM_UNINIT) ? meta : null);
            }
            case PTR_TO_SPIN_LOCK -> spinLock(regno, (Reg.Ptr) reg, func(fn) == HelperId.SPIN_LOCK.id(), idx);
            case PTR_TO_DYNPTR -> {
                ex.dynptrs.process(idx, regno, new Dynptrs.Arg(spec.has(TypeFlag.MEM_UNINIT), spec.has(TypeFlag.MEM_RDONLY),
                        dynptrKind(spec), 0));
                if (!spec.has(TypeFlag.MEM_UNINIT)) {
                    meta.dynptr = ex.dynptrs.state((Reg.Ptr) reg);
                }
            }
            case CONST_ALLOC_SIZE_OR_ZERO -> {
                Scalar v = ((Reg.ScalarReg) reg).v();
                if (!v.isConst()) {
                    throw env.reject("R" + regno + " is not a known constant'");
                }
                meta.memSize = v.constValue();
                env.markPrecise(regno);
            }
            default -> {
            }
        }
    }

    /**
     * resolve_map_arg_type: a sockmap or sockhash stores sockets, so the "value" a helper passes
     * to it is a socket pointer; other forms of value argument are refused for them.
     */
    private ArgKind resolveMapArgKind(ArgSpec spec, Meta meta) {
        if (meta.map == null) {
            throw env.reject("invalid map_ptr to access map->type");
        }
        io.bpf4j.isa.abi.MapType t = meta.map.type();
        if (t != io.bpf4j.isa.abi.MapType.SOCKMAP && t != io.bpf4j.isa.abi.MapType.SOCKHASH) {
            return ArgKind.PTR_TO_MAP_VALUE;
        }
        if (!spec.flags().isEmpty()) {
            throw env.reject("invalid arg_type for sockmap/sockhash");
        }
        return ArgKind.PTR_TO_BTF_ID_SOCK_COMMON;
    }

    private static int func(HelperProto fn) {
        return fn.id();
    }

    /** process_spin_lock: one bpf_spin_lock at a time, at the map value's lock field. */
    private void spinLock(int regno, Reg.Ptr reg, boolean lock, int idx) {
        if (!reg.var().varOff().isConst()) {
            throw env.reject("R" + regno + " doesn't have constant offset. bpf_spin_lock has to be at the constant offset");
        }
        MapRef map = reg.map();
        if (map.specialFields() == 0) {
            // a shape without special fields stands for a map created without value BTF
            throw env.reject("map '" + map.name() + "' has to have BTF in order to use bpf_spin_lock");
        }
        if (!map.hasSpinLock()) {
            throw env.reject("map '" + map.name() + "' has no valid bpf_spin_lock");
        }
        long off = reg.var().varOff().value() + reg.off();
        if (map.spinLockOff() != off) {
            throw env.reject("off " + off + " doesn't point to 'struct bpf_spin_lock' that is at " + map.spinLockOff());
        }
        VState st = env.cur;
        if (lock) {
            if (st.activeLocks() > 0) {
                throw env.reject("Locking two bpf_spin_locks are not allowed");
            }
            st.refs.add(new VState.Ref(reg.id(), idx, true, map));
            return;
        }
        if (st.activeLocks() == 0) {
            throw env.reject("bpf_spin_unlock without taking a lock");
        }
        boolean released = false;
        for (int i = st.refs.size() - 1; i >= 0; i--) {
            VState.Ref r = st.refs.get(i);
            if (r.lock() && r.id() == reg.id() && r.lockMap() == map) {
                st.refs.remove(i);
                released = true;
                break;
            }
        }
        if (!released) {
            throw env.reject("bpf_spin_unlock of different lock");
        }
    }

    /** arg_to_dynptr_type: the dynptr type an argument wants or makes, null for any. */
    private static FuncState.DynptrKind dynptrKind(ArgSpec spec) {
        if (spec.has(TypeFlag.DYNPTR_TYPE_LOCAL)) {
            return FuncState.DynptrKind.LOCAL;
        }
        if (spec.has(TypeFlag.DYNPTR_TYPE_RINGBUF)) {
            return FuncState.DynptrKind.RINGBUF;
        }
        if (spec.has(TypeFlag.DYNPTR_TYPE_SKB)) {
            return FuncState.DynptrKind.SKB;
        }
        return spec.has(TypeFlag.DYNPTR_TYPE_XDP) ? FuncState.DynptrKind.XDP : null;
    }

    private static String typeName(Reg r) {
        return r instanceof Reg.Ptr p ? p.typeName() : r instanceof Reg.ScalarReg ? "scalar" : "?";
    }

    private static boolean matches(Reg reg, List<Expect> compat, ArgSpec spec) {
        for (Expect e : compat) {
            if (e.type() == null) {
                if (e.name().equals("scalar") && reg instanceof Reg.ScalarReg) {
                    return true;
                }
                continue;
            }
            if (reg instanceof Reg.Ptr p && p.type() == e.type() && p.ringbuf() == e.ringbuf()
                    && (!p.rdonly() || spec.has(TypeFlag.MEM_RDONLY)) && (!p.maybeNull() || spec.maybeNull())) {
                return true;
            }
        }
        return false;
    }

    /** The largest size argument of the call being checked (the kernel's meta->msize_max_value). */
    private long msizeMax;

    /** do_refine_retval_range: helpers whose result is known to lie in a range. */
    private Reg refineRetval(int func, Reg r0) {
        if (!(r0 instanceof Reg.ScalarReg)) {
            return r0;
        }
        switch (func) {
            case 67, 141, 45, 115, 114 -> { // get_stack, get_task_stack, probe_read_str, probe_read_kernel_str, probe_read_user_str
                Scalar v = Scalar.of(io.bpf4j.verifier.internal.scalar.Tnum.unknown(), -4095, msizeMax, 0, -1L,
                        -4095, (int) msizeMax, 0, -1).sync();
                return Reg.ScalarReg.of(v);
            }
            case 8 -> { // get_smp_processor_id
                long max = env.input.nrCpuIds() - 1L;
                Scalar v = Scalar.of(io.bpf4j.verifier.internal.scalar.Tnum.unknown(), 0, max, 0, max, 0, (int) max, 0,
                        (int) max).sync();
                return Reg.ScalarReg.of(v);
            }
            default -> {
                return r0;
            }
        }
    }

    /** check_func_arg_reg_off. */
    private void argRegOff(Reg.Ptr p, int regno, ArgSpec spec) {
        if (spec != null && spec.releases() && spec.kind() == ArgKind.PTR_TO_DYNPTR && p.type() == Reg.PtrType.STACK) {
            // the dynptr, not the pointer to it, holds the reference: any stack offset
            return;
        }
        if (spec != null && spec.releases()) {
            if (p.off() != 0) {
                throw env.reject("R" + regno + " must have zero offset when passed to release func or trusted arg to kfunc");
            }
            ex.mem.checkPtrOffReg(p, regno, false);
            return;
        }
        switch (p.type()) {
            case STACK, PACKET, PACKET_META, MAP_KEY, MAP_VALUE, MEM, BUF -> {
            }
            default -> ex.mem.checkPtrOffReg(p, regno, false);
        }
    }

    /**
     * check_kfunc_mem_size_reg: the memory in {@code memRegno} (taken as non-NULL) must be
     * readable, then writable as a helper's raw output, at the maximum of the size after it.
     */
    void kfuncMemSize(int memRegno, Reg.ScalarReg size) {
        Reg saved = env.regs()[memRegno];
        if (saved instanceof Reg.Ptr p && p.maybeNull()) {
            env.regs()[memRegno] = p.withType(p.type(), false);
        }
        try {
            memSizeReg(size, memRegno + 1, false, true, null);
            memSizeReg(size, memRegno + 1, true, true, new Meta());
        } finally {
            env.regs()[memRegno] = saved;
        }
    }

    /** check_mem_size_reg: the size register must be bounded; the memory before it is checked at its max. */
    private void memSizeReg(Reg.ScalarReg sizeReg, int regno, boolean write, boolean zeroOk, Meta meta) {
        Scalar v = sizeReg.v();
        msizeMax = v.umax();
        if (!v.varOff().isConst()) {
            meta = null;
        }
        if (v.smin() < 0) {
            throw env.reject("R" + regno + " min value is negative, either use unsigned or 'var &= const'");
        }
        if (v.umin() == 0 && !zeroOk) {
            throw env.reject("R" + regno + " invalid zero-sized read: u64=[" + v.umin() + "," + v.umax() + "]");
        }
        if (Long.compareUnsigned(v.umax(), 1L << 29) >= 0) {
            throw env.reject("R" + regno + " unbounded memory access, use 'var &= const' or 'if (var < const)'");
        }
        helperMemAccess(regno - 1, (int) v.umax(), write, zeroOk, meta);
        env.markPrecise(regno);
    }

    /** check_helper_mem_access. */
    private void helperMemAccess(int regno, int size, boolean write, boolean zeroOk, Meta meta) {
        Reg r = env.regs()[regno];
        if (r instanceof Reg.Ptr p) {
            switch (p.type()) {
                case PACKET, PACKET_META -> {
                    ex.mem.packetAccess(regno, p, p.off(), size, zeroOk);
                    return;
                }
                case MAP_KEY -> {
                    if (write) {
                        throw env.reject("R" + regno + " cannot write into " + p.typeName());
                    }
                    ex.mem.memRegion(regno, p, p.off(), size, p.map().keySize(), false);
                    return;
                }
                case MAP_VALUE -> {
                    MapRef m = p.map();
                    if (write && m.readOnly()) {
                        throw env.reject("write into map forbidden, value_size=" + m.valueSize() + " off=" + p.off() + " size=" + size);
                    }
                    if (!write && m.writeOnly()) {
                        throw env.reject("read from map forbidden, value_size=" + m.valueSize() + " off=" + p.off() + " size=" + size);
                    }
                    ex.mem.memRegion(regno, p, p.off(), size, m.valueSize(), zeroOk);
                    return;
                }
                case MEM -> {
                    if (p.rdonly() && write) {
                        throw env.reject("R" + regno + " cannot write into " + p.typeName());
                    }
                    ex.mem.memRegion(regno, p, p.off(), size, p.memSize(), zeroOk);
                    return;
                }
                case STACK -> {
                    stackRange(regno, p, size, write, zeroOk, meta);
                    return;
                }
                default -> {
                }
            }
        }
        if (zeroOk && size == 0 && r instanceof Reg.ScalarReg z && z.v().isConst() && z.v().constValue() == 0) {
            return;
        }
        throw env.reject("R" + regno + " type=" + typeName(r) + " expected=fp");
    }

    /** check_stack_range_initialized for a helper's memory argument on the stack. */
    private void stackRange(int regno, Reg.Ptr p, int size, boolean write, boolean zeroOk, Meta meta) {
        ex.mem.stack.within(regno, p, p.off(), size, write ? " write to" : " read from", write);
        if (size == 0 && !zeroOk) {
            throw env.reject("invalid zero-sized read");
        }
        if (!env.priv.bypassSpecV1() && !p.var().varOff().isConst()) {
            throw env.reject("R" + regno + " variable offset stack access prohibited for !root, var_off="
                    + StatePrinter.tnum(p.var().varOff()));
        }
        if (meta != null) {
            if (p.var().varOff().isConst()) {
                Dynptrs.checkRawWrite(env, env.cur.frames[p.frameno()], (int) p.var().varOff().value() + p.off(), size);
            }
            meta.rawRegno = regno;
            meta.rawSize = size;
            return;
        }
        int minOff = (int) (p.var().varOff().isConst() ? p.var().varOff().value() : p.var().smin()) + p.off();
        int maxOff = (int) (p.var().varOff().isConst() ? p.var().varOff().value() : p.var().smax()) + p.off();
        ex.mem.stack.rangeInitialized(env.cur.frames[p.frameno()], regno, minOff, maxOff - minOff + size, false, !write, "");
    }

    /** release_reference: drop the reference and invalidate every pointer carrying it. */
    boolean releaseReference(int id) {
        boolean had = env.cur.refs.removeIf(r -> r.id() == id);
        if (!had) {
            return false;
        }
        for (int f = 0; f <= env.cur.curframe; f++) {
            FuncState fr = env.cur.frames[f];
            for (int r = 0; r < FuncState.MAX_REG; r++) {
                if (fr.regs[r] instanceof Reg.Ptr p && p.refObjId() == id) {
                    fr.regs[r] = invalidated();
                }
            }
            for (int spi = 0; spi < fr.spilled.length; spi++) {
                if (fr.isSpill(spi) && fr.spilled[spi] instanceof Reg.Ptr p && p.refObjId() == id) {
                    fr.spilled[spi] = invalidated();
                }
            }
        }
        return true;
    }

    /** mark_reg_invalid: unknown for loaders that may see pointers, unreadable otherwise. */
    private Reg invalidated() {
        return invalidated(env);
    }

    static Reg invalidated(Env env) {
        return env.priv.allowPtrLeaks() ? Reg.ScalarReg.UNKNOWN : Reg.NotInit.INSTANCE;
    }

    private void clearPacketPointers() {
        for (int f = 0; f <= env.cur.curframe; f++) {
            FuncState fr = env.cur.frames[f];
            for (int r = 0; r < FuncState.MAX_REG; r++) {
                if (fr.regs[r] instanceof Reg.Ptr p && (p.isPacket() || p.type() == Reg.PtrType.PACKET_END || p.isPacketSlice())) {
                    fr.regs[r] = invalidated();
                }
            }
            for (int spi = 0; spi < fr.spilled.length; spi++) {
                if (fr.isSpill(spi) && fr.spilled[spi] instanceof Reg.Ptr p
                        && (p.isPacket() || p.type() == Reg.PtrType.PACKET_END || p.isPacketSlice())) {
                    fr.spilled[spi] = invalidated();
                }
            }
        }
    }

    /** check_resource_leak (6.18): locks and references that must not outlive an exit or tail call. */
    static void checkResourceLeak(Env env, boolean exceptionExit, boolean checkLock, String prefix) {
        if (checkLock && env.cur.activeLocks() > 0) {
            throw env.reject(prefix + " cannot be used inside bpf_spin_lock-ed region");
        }
        // check_reference_leak: references are checked where the program ends
        if (exceptionExit || env.frame().frameno == 0) {
            boolean leak = false;
            for (VState.Ref r : env.cur.refs) {
                if (r.lock()) {
                    continue;
                }
                env.log.error("Unreleased reference id=" + r.id() + " alloc_insn=" + r.insnIdx());
                leak = true;
            }
            if (leak) {
                throw env.reject(prefix + " would lead to reference leak");
            }
        }
        if (checkLock && env.cur.rcuLocks > 0) {
            throw env.reject(prefix + " cannot be used inside bpf_rcu_read_lock-ed region");
        }
        if (checkLock && env.cur.preemptLocks > 0) {
            throw env.reject(prefix + " cannot be used inside bpf_preempt_disable-ed region");
        }
    }

    /**
     * push_callback_call: a pending path enters the callback once more (it returns to this
     * call insn, which runs again), while the current path goes on as if it was not called.
     */
    private void pushCallback(int idx, Meta meta, boolean mapElem) {
        int sub = meta.subprog;
        VState cb = ex.push(env.prog.subprogStart[sub], idx, false);
        if (cb.curframe + 1 >= MAX_CALL_FRAMES) {
            throw env.reject("the call stack of " + (cb.curframe + 2) + " frames is too deep");
        }
        FuncState caller = cb.cur();
        FuncState callee = new FuncState(cb.curframe + 1, idx, sub);
        callee.inCallback = true;
        if (mapElem) {
            MapRef m = meta.map;
            callee.regs[1] = caller.regs[1];
            callee.regs[2] = Reg.Ptr.map(Reg.PtrType.MAP_KEY, m, 0, 0, false);
            callee.regs[3] = Reg.Ptr.map(Reg.PtrType.MAP_VALUE, m, 0, 0, false);
            callee.regs[4] = caller.regs[3];
        } else if (env.prog.insns[idx].imm() == HelperId.USER_RINGBUF_DRAIN.id()) {
            // set_user_ringbuf_callback_state: the sample as a read-only local dynptr, then the context
            callee.regs[1] = ex.dynptrs.callbackArg(FuncState.DynptrKind.LOCAL);
            callee.regs[2] = caller.regs[3];
        } else {
            callee.regs[1] = Reg.ScalarReg.UNKNOWN;
            callee.regs[2] = caller.regs[3];
        }
        cb.frames[cb.curframe + 1] = callee;
        cb.curframe++;
        cb.callbackUnrollDepth++;
        caller.callbackDepth++;
        env.frame().callbackDepth = 0;
    }

    // ---- bpf-to-bpf calls ----

    void subprogCall(int idx, Slot s) {
        int target = idx + s.imm() + 1;
        int sub = env.prog.findSubprog(target);
        VState st = env.cur;
        if (st.curframe + 1 >= MAX_CALL_FRAMES) {
            throw env.reject("the call stack of " + (st.curframe + 2) + " frames is too deep");
        }
        if (!env.input.funcInfo().isEmpty() && env.input.funcInfo().get(sub).global()) {
            globalCall(idx, sub);
            return;
        }
        FuncState caller = st.cur();
        FuncState callee = new FuncState(st.curframe + 1, idx, sub);
        for (int r = 1; r <= 5; r++) {
            callee.regs[r] = caller.regs[r];
        }
        st.frames[st.curframe + 1] = callee;
        st.curframe++;
        env.liveness.resetCallchain();
        for (int r = 0; r <= 5; r++) {
            caller.regs[r] = Reg.NotInit.INSTANCE;
        }
        env.markAllScratched();
        ex.nextInsn = env.prog.subprogStart[sub];
        if (env.log.level1()) {
            env.log.verbose("caller:\n" + StatePrinter.frame(st, caller, true, 0, 0));
            env.log.verbose("callee:\n" + StatePrinter.frame(st, callee, true, 0, 0));
        }
    }

    /**
     * A call to a global function: only the arguments are checked against its prototype (it is
     * verified once on its own later); R0 becomes an unknown scalar, R1-R5 are clobbered.
     */
    private void globalCall(int idx, int sub) {
        io.bpf4j.verifier.FuncInfo fi = env.input.funcInfo().get(sub);
        io.bpf4j.verifier.FuncSignature sig = fi.signature();
        if (sig == null) {
            throw env.reject("bpf4j: not supported yet: calls to global functions without a BTF prototype");
        }
        if (env.cur.activeLocks() > 0) {
            env.log.verbose("global function calls are not allowed while holding a lock,\n");
            throw env.reject("use static function instead");
        }
        subprogEffects();
        if (mightSleep[sub] && (env.cur.rcuLocks > 0 || env.cur.preemptLocks > 0 || !sleepableProg())) {
            env.log.verbose("global functions that may sleep are not allowed in non-sleepable context,\n");
            env.log.verbose("i.e., in a RCU/IRQ/preempt-disabled section, or in\n");
            throw env.reject("a non-sleepable BPF program context");
        }
        String caller = "Caller passes invalid args into func#" + sub + " ('" + fi.name() + "')";
        if (!sig.returnsScalar()) {
            env.log.verbose("Global function " + fi.name() + "() doesn't return scalar. Only those are supported.\n");
            throw env.reject(caller);
        }
        if (sig.args().size() > 5) {
            env.log.verbose("Global function " + fi.name() + "() with " + sig.args().size() + " > 5 args. Buggy compiler.\n");
            throw env.reject(caller);
        }
        Reg[] regs = env.regs();
        for (int i = 0; i < sig.args().size(); i++) {
            io.bpf4j.verifier.FuncSignature.Arg a = sig.args().get(i);
            int regno = i + 1;
            Reg reg = regs[regno];
            switch (a.kind()) {
                case UNSUPPORTED -> throw env.reject("bpf4j: not supported yet: global function argument " + a.detail());
                case SCALAR -> {
                    if (!(reg instanceof Reg.ScalarReg)) {
                        env.log.verbose("R" + regno + " is not a scalar\n");
                        throw env.reject(caller);
                    }
                }
                case CTX -> {
                    try {
                        if (reg instanceof Reg.Ptr p) {
                            argRegOff(p, regno, null);
                        }
                    } catch (Reject r) {
                        throw env.reject(caller);
                    }
                    if (!(reg instanceof Reg.Ptr p) || p.type() != Reg.PtrType.CTX) {
                        env.log.verbose("arg#" + i + " expects pointer to ctx\n");
                        throw env.reject(caller);
                    }
                }
                case MEM -> {
                    try {
                        if (reg instanceof Reg.Ptr p) {
                            argRegOff(p, regno, null);
                        }
                        boolean isNull = reg instanceof Reg.ScalarReg z && z.v().isConst() && z.v().constValue() == 0;
                        if (!isNull) {
                            // check_mem_reg: read and write access to the whole pointee, as if not NULL
                            boolean maybeNull = reg instanceof Reg.Ptr p && p.maybeNull();
                            if (maybeNull) {
                                regs[regno] = ((Reg.Ptr) reg).withType(((Reg.Ptr) reg).type(), false);
                            }
                            try {
                                helperMemAccess(regno, a.memSize(), false, true, null);
                                helperMemAccess(regno, a.memSize(), true, true, null);
                            } finally {
                                regs[regno] = reg;
                            }
                        }
                    } catch (Reject r) {
                        throw env.reject(caller);
                    }
                    if (!a.nullable() && reg instanceof Reg.Ptr p && p.maybeNull()) {
                        env.log.verbose("arg#" + i + " is expected to be non-NULL\n");
                        throw env.reject(caller);
                    }
                }
                case TRUSTED -> {
                    boolean isNull = reg instanceof Reg.ScalarReg z && z.v().isConst() && z.v().constValue() == 0;
                    if (!(isNull && a.nullable())) {
                        try {
                            trustedGlobalArg(regno, reg, a);
                        } catch (Reject r) {
                            throw env.reject(caller);
                        }
                    }
                }
                default -> {
                }
            }
        }
        if (env.log.level1()) {
            env.log.verbose("Func#" + sub + " ('" + fi.name() + "') is global and assumed valid.\n");
        }
        if (changesPacketData()[sub]) {
            clearPacketPointers();
        }
        env.globalCalled[sub] = true;
        for (int r = 0; r <= 5; r++) {
            regs[r] = Reg.NotInit.INSTANCE;
            env.markRegScratched(r);
        }
        regs[0] = Reg.ScalarReg.UNKNOWN;
    }

    /**
     * btf_check_func_arg_match for an {@code arg:trusted} argument (ARG_PTR_TO_BTF_ID | PTR_TRUSTED,
     * with PTR_MAYBE_NULL when nullable), NULL already let through when allowed: check_reg_type takes
     * a plain, trusted or RCU BTF pointer (maybe-NULL only when the argument is nullable) to the
     * struct or to one holding it at the register's offset, then check_func_arg_reg_off.
     */
    private void trustedGlobalArg(int regno, Reg reg, io.bpf4j.verifier.FuncSignature.Arg a) {
        btfStructArg(regno, reg, ex.kfuncs.kernelStruct(a.detail()), a.detail(), a.nullable());
    }

    /**
     * check_reg_type against btf_ptr_types (a plain, trusted or RCU BTF pointer; maybe-NULL only
     * when {@code nullable}) and btf_struct_ids_match with the kernel struct {@code target}, then
     * check_func_arg_reg_off (a fixed offset is fine).
     */
    private void btfStructArg(int regno, Reg reg, int target, String targetName, boolean nullable) {
        boolean compatible = reg instanceof Reg.Ptr p && p.type() == Reg.PtrType.BTF_ID && p.btf() != null && !p.rdonly()
                && (p.btf().flags() == 0 || p.btf().flags() == BtfRef.TRUSTED || p.btf().flags() == BtfRef.RCU)
                && (!p.maybeNull() || nullable);
        if (!compatible) {
            throw env.reject("R" + regno + " type=" + typeName(reg) + " expected=ptr_, trusted_ptr_, rcu_ptr_");
        }
        Reg.Ptr p = (Reg.Ptr) reg;
        if (!ex.kfuncs.structIdsMatch(p.btf().typeId(), p.off(), target, false)) {
            throw env.reject("R" + regno + " is of type " + p.btf().name() + " but " + targetName + " is expected");
        }
        ex.mem.checkPtrOffReg(p, regno, true);
    }

    /** in_sleepable: the program may sleep (a sleepable section, or a sleepable attach target). */
    private boolean sleepableProg() {
        return env.input.sleepable() || env.input.attachTarget() != null && env.input.attachTarget().sleepable();
    }

    private boolean callsNonSleepableSectionKfuncs() {
        for (io.bpf4j.verifier.KfuncSignature k : env.input.kfuncs().values()) {
            String n = k.name();
            if (n.equals("bpf_local_irq_save")) {
                return true;
            }
        }
        return false;
    }

    private boolean[] changesPkt;
    private boolean[] mightSleep;

    /**
     * Per subprogram: whether it (or anything it calls) may change packet data, by a helper that
     * does or by a tail call (the kernel's changes_pkt_data): calling such a global function
     * invalidates the caller's packet pointers.
     */
    private boolean[] changesPacketData() {
        subprogEffects();
        return changesPkt;
    }

    /**
     * What each subprogram may do through the calls it makes, directly or through the static and
     * global functions it calls (check_cfg's mark_subprog_changes_pkt_data,
     * mark_subprog_might_sleep and merge_callee_effects): change packet data, sleep.
     */
    private void subprogEffects() {
        if (changesPkt != null) {
            return;
        }
        Program prog = env.prog;
        int n = prog.subprogCount;
        boolean[] ch = new boolean[n];
        boolean[] sl = new boolean[n];
        java.util.List<int[]> edges = new java.util.ArrayList<>();
        for (int sub = 0; sub < n; sub++) {
            for (int i = prog.subprogStart[sub]; i < prog.subprogStart[sub + 1]; i++) {
                Slot s = prog.insns[i].slot();
                if (s.code() != io.bpf4j.isa.Opcodes.CODE_CALL) {
                    continue;
                }
                if (s.src() == 0) {
                    ch[sub] |= HelperTraits.changesPacketData(s.imm()) || s.imm() == HelperId.TAIL_CALL.id();
                    sl[sub] |= env.profile.helper(env.input.programType(), env.input.expectedAttachType(), s.imm())
                            .map(HelperProto::mightSleep).orElse(false);
                } else if (s.src() == io.bpf4j.isa.Opcodes.PSEUDO_KFUNC_CALL) {
                    io.bpf4j.verifier.KfuncSignature k = prog.kfuncs.get(s.imm());
                    KfuncTable.Kfunc kf = k == null ? null : KfuncTable.of(k.name());
                    sl[sub] |= kf != null && kf.has(KfuncTable.KF_SLEEPABLE);
                } else if (s.src() == io.bpf4j.isa.Opcodes.PSEUDO_CALL) {
                    int callee = prog.findSubprog(i + s.imm() + 1);
                    if (callee >= 0) {
                        edges.add(new int[] {sub, callee});
                    }
                }
            }
        }
        for (boolean again = true; again;) {
            again = false;
            for (int[] e : edges) {
                if (ch[e[1]] && !ch[e[0]] || sl[e[1]] && !sl[e[0]]) {
                    ch[e[0]] |= ch[e[1]];
                    sl[e[0]] |= sl[e[1]];
                    again = true;
                }
            }
        }
        changesPkt = ch;
        mightSleep = sl;
    }

    void exit(int idx) {
        VState st = env.cur;
        checkResourceLeak(env, false, st.curframe == 0, "BPF_EXIT instruction in main prog");
        if (st.curframe > 0) {
            env.liveness.update(st);
            FuncState callee = st.cur();
            Reg r0 = callee.regs[0];
            if (r0 instanceof Reg.Ptr p && p.type() == Reg.PtrType.STACK) {
                throw env.reject("cannot return stack pointer to the caller");
            }
            FuncState caller = st.frames[st.curframe - 1];
            if (callee.inCallback) {
                if (!(r0 instanceof Reg.ScalarReg cr)) {
                    throw env.reject("R0 not a scalar value");
                }
                env.markPrecise(0);
                Scalar v = cr.v();
                if (v.smin() < 0 || v.smax() > 1) {
                    throw env.reject(invalidScalar("At callback return", v, 0, 1));
                }
            } else {
                caller.regs[0] = r0;
            }
            if (env.log.level1()) {
                env.log.verbose("returning from callee:\n" + StatePrinter.frame(st, callee, true, 0, 0));
                env.log.verbose("to caller at " + (callee.callsite + 1) + ":\n" + StatePrinter.frame(st, caller, true, 0, 0));
            }
            st.frames[st.curframe] = null;
            st.curframe--;
            if (callee.inCallback) {
                VState prev = findPrevEntry(st.parent, st, callee.callsite);
                if (prev != null) {
                    widen(prev, st);
                }
            }
            // a callback goes back to its call insn, which decides whether to iterate again
            ex.nextInsn = callee.inCallback ? callee.callsite : callee.callsite + 1;
            ex.doPrintState = true;
            return;
        }
        checkReturnCode();
        ex.pathEnded = true;
    }

    private void checkReturnCode() {
        if (env.btfPointers != null && env.btfPointers.attached() && env.frame().subprog == 0
                && env.btfPointers.checkReturn()) {
            return;
        }
        Reg r0 = env.src(0);
        if (env.isPointerValue(0)) {
            throw env.reject("R0 leaks addr as return value");
        }
        if (env.frame().subprog != 0) {
            // a global function verified on its own returns a number
            if (!(r0 instanceof Reg.ScalarReg)) {
                throw env.reject("At subprogram exit the register R0 is not a scalar value (" + typeName(r0) + ")");
            }
            return;
        }
        Optional<ReturnRange> range = env.ctx.returnRange();
        if (range.isEmpty()) {
            return;
        }
        if (!(r0 instanceof Reg.ScalarReg sr)) {
            throw env.reject("At program exit the register R0 is not a known value (" + typeName(r0) + ")");
        }
        env.markPrecise(0);
        ReturnRange rr = range.get();
        Scalar v = sr.v();
        if (rr.min() <= v.smin() && v.smax() <= rr.max()) {
            return;
        }
        throw env.reject(invalidScalar("At program exit", v, rr.min(), rr.max()));
    }

    /**
     * find_prev_entry: the checkpoint at {@code insn} on the current path (an ancestor still
     * being explored), searching from {@code from} upwards; {@code cur} gives the call sites.
     */
    static VState findPrevEntry(VState from, VState cur, int insn) {
        for (VState p = from; p != null; p = p.parent) {
            if (p.insnIdx == insn && p.branches > 0 && sameCallsites(p, cur)) {
                return p;
            }
        }
        return null;
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

    /**
     * widen_imprecise_scalars: scalars that changed since the previous iteration become unknown,
     * so that callback iterations converge. The kernel widens only scalars no check has needed
     * exactly (imprecise in both the previous iteration's checkpoint and now).
     */
    static void widen(VState old, VState cur) {
        for (int f = old.curframe; f >= 0; f--) {
            FuncState fo = old.frames[f];
            FuncState fc = cur.frames[f];
            for (int r = 0; r < FuncState.MAX_REG; r++) {
                fc.regs[r] = widened(fo.regs[r], fc.regs[r]);
            }
            int slots = Math.min(fo.allocated(), fc.allocated()) / FuncState.REG_SIZE;
            for (int spi = 0; spi < slots; spi++) {
                if (fo.isSpill(spi) && fc.isSpill(spi)) {
                    fc.spilled[spi] = widened(fo.spilled[spi], fc.spilled[spi]);
                }
            }
        }
    }

    private static Reg widened(Reg old, Reg cur) {
        if (old instanceof Reg.ScalarReg os && cur instanceof Reg.ScalarReg cs && !os.precise() && !cs.precise()
                && !(os.v().equals(cs.v()) && os.addConst() == cs.addConst() && os.delta() == cs.delta())) {
            return Reg.ScalarReg.UNKNOWN;
        }
        return cur;
    }

    /** verbose_invalid_scalar. */
    static String invalidScalar(String ctx, Scalar v, long min, long max) {
        StringBuilder sb = new StringBuilder(ctx + " the register R0 has");
        boolean unknown = true;
        if (v.smin() > Long.MIN_VALUE) {
            sb.append(" smin=").append(v.smin());
            unknown = false;
        }
        if (v.smax() < Long.MAX_VALUE) {
            sb.append(" smax=").append(v.smax());
            unknown = false;
        }
        if (unknown) {
            sb.append(" unknown scalar value");
        }
        return sb.append(" should have been in [").append(min).append(", ").append(max).append("]").toString();
    }
}
