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
            case PTR_TO_SOCKET -> List.of(new Expect(Reg.PtrType.SOCKET, false, "sock"));
            case PTR_TO_RINGBUF_MEM -> List.of(new Expect(Reg.PtrType.MEM, true, "ringbuf_mem"));
            case PTR_TO_FUNC -> List.of(new Expect(Reg.PtrType.FUNC, false, "func"));
            case PTR_TO_STACK -> List.of(new Expect(Reg.PtrType.STACK, false, "fp"));
            case PTR_TO_CONST_STR, PTR_TO_TIMER -> List.of(new Expect(Reg.PtrType.MAP_VALUE, false, "map_value"));
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
        if (proto.isEmpty()) {
            throw env.reject("program of this type cannot use helper " + name + "#" + func);
        }
        HelperProto fn = proto.get();
        if (fn.mightSleep()) {
            throw env.reject("helper call might sleep in a non-sleepable prog");
        }
        if (HelperTraits.callsSyncCallback(func) || HelperTraits.callsAsyncCallback(func)) {
            throw env.reject("bpf4j: not supported yet: helpers with callbacks (" + name + ")");
        }
        if (func == HelperId.SPIN_LOCK.id() || func == HelperId.SPIN_UNLOCK.id()) {
            throw env.reject("bpf4j: not supported yet: " + name);
        }
        Meta meta = new Meta();
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
            if (meta.refObjId != 0) {
                ok = releaseReference(meta.refObjId);
            } else {
                ok = regs[meta.releaseRegno] instanceof Reg.ScalarReg z && z.v().isConst() && z.v().constValue() == 0;
            }
            if (!ok) {
                throw env.reject("func " + name + "#" + func + " reference has not been acquired before");
            }
        }
        if (func == HelperId.TAIL_CALL.id()) {
            checkResourceLeak(env, false, true, "tail_call");
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
                regs[0] = Reg.Ptr.map(Reg.PtrType.MAP_VALUE, meta.map, 0, id, nullable);
            }
            case PTR_TO_MEM, PTR_TO_RINGBUF_MEM_OR_NULL -> {
                boolean ringbuf = fn.retFlags().contains(TypeFlag.MEM_RINGBUF) || fn.ret() == io.bpf4j.isa.abi.RetKind.PTR_TO_RINGBUF_MEM_OR_NULL;
                boolean rdonly = fn.retFlags().contains(TypeFlag.MEM_RDONLY);
                regs[0] = new Reg.Ptr(Reg.PtrType.MEM, nullable, rdonly, ringbuf, 0, Scalar.constant(0), 0, 0, null, 0,
                        (int) meta.memSize, 0, 0);
            }
            case PTR_TO_SOCKET, PTR_TO_SOCKET_OR_NULL, PTR_TO_TCP_SOCK, PTR_TO_TCP_SOCK_OR_NULL, PTR_TO_SOCK_COMMON,
                    PTR_TO_SOCK_COMMON_OR_NULL -> regs[0] = Reg.Ptr.of(MemChecks.ptrTypeOf(rk.base())).withType(
                            MemChecks.ptrTypeOf(rk.base()), nullable);
            default -> throw env.reject("bpf4j: not supported yet: helper return kind " + fn.ret() + " (" + name + ")");
        }
        if (regs[0] instanceof Reg.Ptr p && p.maybeNull()) {
            regs[0] = p.withId(env.newId());
        }
        if (regs[0] instanceof Reg.Ptr p && fn.acquiresRef(meta.map == null ? null : meta.map.type())) {
            int id = env.newId();
            env.cur.refs.add(new VState.Ref(id, idx));
            regs[0] = p.withId(id).withRefObjId(id);
        }
        if (meta.map != null && !MapFuncCompat.compatible(meta.map, func, env.input.programType())) {
            throw env.reject("cannot pass map_type " + meta.map.type().id() + " into func " + name + "#" + func);
        }
        if (HelperTraits.changesPacketData(func)) {
            clearPacketPointers();
        }
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
        boolean isNull = reg instanceof Reg.ScalarReg z && z.v().isConst() && z.v().constValue() == 0;
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
        if (spec.releases()) {
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
                }
            }
            case CONST_SIZE, CONST_SIZE_OR_ZERO -> {
                ArgSpec prev = fn.arg(arg - 1);
                memSizeReg((Reg.ScalarReg) reg, regno, prev.has(TypeFlag.MEM_WRITE), kind == ArgKind.CONST_SIZE_OR_ZERO,
                        prev.has(TypeFlag.MEM_UNINIT) ? meta : null);
            }
            case CONST_ALLOC_SIZE_OR_ZERO -> {
                Scalar v = ((Reg.ScalarReg) reg).v();
                if (!v.isConst()) {
                    throw env.reject("R" + regno + " is not a known constant'");
                }
                meta.memSize = v.constValue();
            }
            default -> {
            }
        }
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

    /** check_func_arg_reg_off. */
    private void argRegOff(Reg.Ptr p, int regno, ArgSpec spec) {
        if (spec.releases()) {
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

    /** check_mem_size_reg: the size register must be bounded; the memory before it is checked at its max. */
    private void memSizeReg(Reg.ScalarReg sizeReg, int regno, boolean write, boolean zeroOk, Meta meta) {
        Scalar v = sizeReg.v();
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
            meta.rawRegno = regno;
            meta.rawSize = size;
            return;
        }
        int minOff = (int) (p.var().varOff().isConst() ? p.var().varOff().value() : p.var().smin()) + p.off();
        int maxOff = (int) (p.var().varOff().isConst() ? p.var().varOff().value() : p.var().smax()) + p.off();
        ex.mem.stack.rangeInitialized(env.cur.frames[p.frameno()], regno, minOff, maxOff - minOff + size, false, !write, "");
    }

    /** release_reference: drop the reference and invalidate every pointer carrying it. */
    private boolean releaseReference(int id) {
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
        return env.priv.allowPtrLeaks() ? Reg.ScalarReg.UNKNOWN : Reg.NotInit.INSTANCE;
    }

    private void clearPacketPointers() {
        for (int f = 0; f <= env.cur.curframe; f++) {
            FuncState fr = env.cur.frames[f];
            for (int r = 0; r < FuncState.MAX_REG; r++) {
                if (fr.regs[r] instanceof Reg.Ptr p && (p.isPacket() || p.type() == Reg.PtrType.PACKET_END)) {
                    fr.regs[r] = invalidated();
                }
            }
            for (int spi = 0; spi < fr.spilled.length; spi++) {
                if (fr.isSpill(spi) && fr.spilled[spi] instanceof Reg.Ptr p
                        && (p.isPacket() || p.type() == Reg.PtrType.PACKET_END)) {
                    fr.spilled[spi] = invalidated();
                }
            }
        }
    }

    /** check_resource_leak (6.18): locks and references that must not outlive an exit or tail call. */
    static void checkResourceLeak(Env env, boolean exceptionExit, boolean checkLock, String prefix) {
        if (!exceptionExit && env.frame().frameno != 0) {
            return;
        }
        boolean leak = false;
        for (VState.Ref r : env.cur.refs) {
            env.log.error("Unreleased reference id=" + r.id() + " alloc_insn=" + r.insnIdx());
            leak = true;
        }
        if (leak) {
            throw env.reject(prefix + " would lead to reference leak");
        }
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
            throw env.reject("bpf4j: not supported yet: calls to global functions");
        }
        FuncState caller = st.cur();
        FuncState callee = new FuncState(st.curframe + 1, idx, sub);
        for (int r = 1; r <= 5; r++) {
            callee.regs[r] = caller.regs[r];
        }
        st.frames[st.curframe + 1] = callee;
        st.curframe++;
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

    void exit(int idx) {
        VState st = env.cur;
        checkResourceLeak(env, false, st.curframe == 0, "BPF_EXIT instruction in main prog");
        if (st.curframe > 0) {
            FuncState callee = st.cur();
            Reg r0 = callee.regs[0];
            if (r0 instanceof Reg.Ptr p && p.type() == Reg.PtrType.STACK) {
                throw env.reject("cannot return stack pointer to the caller");
            }
            FuncState caller = st.frames[st.curframe - 1];
            caller.regs[0] = r0;
            if (env.log.level1()) {
                env.log.verbose("returning from callee:\n" + StatePrinter.frame(st, callee, true, 0, 0));
                env.log.verbose("to caller at " + (callee.callsite + 1) + ":\n" + StatePrinter.frame(st, caller, true, 0, 0));
            }
            st.frames[st.curframe] = null;
            st.curframe--;
            ex.nextInsn = callee.callsite + 1;
            ex.doPrintState = true;
            return;
        }
        checkReturnCode();
        ex.pathEnded = true;
    }

    private void checkReturnCode() {
        Reg r0 = env.src(0);
        if (env.isPointerValue(0)) {
            throw env.reject("R0 leaks addr as return value");
        }
        Optional<ReturnRange> range = env.ctx.returnRange();
        if (range.isEmpty()) {
            return;
        }
        if (!(r0 instanceof Reg.ScalarReg sr)) {
            throw env.reject("At program exit the register R0 is not a known value (" + typeName(r0) + ")");
        }
        ReturnRange rr = range.get();
        Scalar v = sr.v();
        if (rr.min() <= v.smin() && v.smax() <= rr.max()) {
            return;
        }
        StringBuilder sb = new StringBuilder("At program exit the register R0 has");
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
        sb.append(" should have been in [").append(rr.min()).append(", ").append(rr.max()).append("]");
        throw env.reject(sb.toString());
    }
}
