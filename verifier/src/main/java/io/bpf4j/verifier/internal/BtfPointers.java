package io.bpf4j.verifier.internal;

import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.verifier.AttachTarget;
import io.bpf4j.verifier.BtfNode;
import io.bpf4j.verifier.BtfView;
import io.bpf4j.verifier.internal.scalar.Scalar;

/**
 * BTF-typed pointers: the context of BTF-attached programs (the kernel's {@code btf_ctx_access}:
 * the i-th u64 of the context is the target's i-th argument, a scalar or a {@code PTR_TO_BTF_ID})
 * and loads through {@code PTR_TO_BTF_ID} registers ({@code check_ptr_to_btf_access} with
 * {@code btf_struct_walk}'s member walk and its trust rules).
 */
final class BtfPointers {
    private static final int MAX_BPF_FUNC_ARGS = 12;

    private final Env env;
    private final BtfView btf;
    private final AttachTarget target;

    BtfPointers(Env env) {
        this.env = env;
        this.btf = env.input.btf();
        this.target = env.input.attachTarget();
    }

    /** Whether the program's context is its attach target's arguments (a BTF-attached program with its target). */
    boolean attached() {
        return target != null && btfAttached(env.input.programType());
    }

    /**
     * R0 after a helper returning a BTF pointer to the kernel struct {@code structName}
     * ({@code ret_btf_id}), or null when the BTF has no such struct.
     */
    Reg helperReturn(String structName, boolean maybeNull, boolean trusted) {
        var id = structName.isEmpty() ? java.util.OptionalInt.empty() : btf.findStruct(structName);
        if (id.isEmpty()) {
            return null;
        }
        return Reg.Ptr.btf(new BtfRef(id.getAsInt(), structName, trusted ? BtfRef.TRUSTED : 0), maybeNull, 0);
    }

    /** The program types whose context is their attach target's arguments. */
    static boolean btfAttached(ProgramType t) {
        return t == ProgramType.TRACING || t == ProgramType.LSM || t == ProgramType.STRUCT_OPS;
    }

    /**
     * The context access of a BTF-attached program at {@code off} (fixed, already checked by
     * check_ctx_reg), reading into {@code valueReg}; false when the kernel's {@code is_valid_access}
     * refuses it (its own message, if any, already logged).
     */
    boolean ctxAccess(int off, int size, boolean write, int valueReg) {
        ProgramType pt = env.input.programType();
        if (pt != ProgramType.LSM) {
            // bpf_tracing_ctx_access / bpf_struct_ops_is_valid_access: read-only u64 slots, aligned
            if (off < 0 || off >= 8 * MAX_BPF_FUNC_ARGS || write || off % size != 0) {
                return false;
            }
        }
        String tname = target.name();
        if (off % 8 != 0) {
            env.log.verbose("func '" + tname + "' offset " + off + " is not multiple of 8\n");
            return false;
        }
        BtfNode.FuncProto proto = (BtfNode.FuncProto) btf.type(target.protoId());
        int arg = argIndex(proto, off);
        int first = target.rawTracepoint() ? 1 : 0;
        int nrArgs = proto.params().size() - first;
        // a struct_ops program's expected attach type is its member's index, not an attach type
        AttachType at = pt == ProgramType.STRUCT_OPS ? null : env.input.expectedAttachType();
        int typeId;
        if (arg > nrArgs) {
            env.log.verbose("func '" + tname + "' doesn't have " + (arg + 1) + "-th argument\n");
            return false;
        }
        if (arg == nrArgs) {
            if (at == AttachType.LSM_MAC || at == AttachType.LSM_CGROUP || at == AttachType.TRACE_FEXIT) {
                typeId = proto.returnType();
            } else if (at == AttachType.MODIFY_RETURN) {
                BtfNode r = btf.type(btf.skipModifiers(proto.returnType()));
                if (!(r instanceof BtfNode.Int i && i.size() <= 8)) {
                    env.log.verbose("ret type " + r.kindName() + " not allowed for fmod_ret\n");
                    return false;
                }
                typeId = proto.returnType();
            } else {
                env.log.verbose("func '" + tname + "' doesn't have " + (arg + 1) + "-th argument\n");
                return false;
            }
        } else {
            typeId = proto.params().get(arg + first).type();
        }
        int resolved = btf.skipModifiers(typeId);
        BtfNode t = btf.type(resolved);
        if (t instanceof BtfNode.Int i && i.size() <= 8 || t instanceof BtfNode.Enum || t instanceof BtfNode.Composite) {
            scalar(valueReg);
            return true;
        }
        if (!(t instanceof BtfNode.Ptr p)) {
            String name = t.name();
            env.log.verbose("func '" + tname + "' arg" + arg + " '" + name + "' has type " + t.kindName()
                    + ". Only pointer access is allowed\n");
            return false;
        }
        if (size != 8) {
            env.log.verbose("func '" + tname + "' size " + size + " must be 8\n");
            return false;
        }
        if (p.type() == 0 || btf.type(btf.skipModifiers(p.type())) instanceof BtfNode.Int) {
            // void * and pointers to integers are numbers to the verifier
            scalar(valueReg);
            return true;
        }
        if (pt == ProgramType.TRACING && at == AttachType.TRACE_ITER) {
            Integer iterFlags = ITER_ARGS.getOrDefault(tname, java.util.Map.of()).get(arg);
            if (iterFlags != null) {
                // btf_ctx_access: the iterator's own ctx_arg_info (PTR_TO_BTF_ID_OR_NULL...) wins
                int tid = btf.skipModifiers(p.type());
                if (valueReg >= 0) {
                    env.setReg(valueReg, Reg.Ptr.btf(new BtfRef(tid, btf.type(tid).name(), iterFlags), true, env.newId()));
                }
                return true;
            }
        }
        int flags = argsTrusted() ? BtfRef.TRUSTED : 0;
        int id = p.type();
        if (btf.type(id) instanceof BtfNode.Modifier m && m.kind() == BtfNode.ModifierKind.TYPE_TAG) {
            flags |= "user".equals(m.name()) ? BtfRef.USER : "percpu".equals(m.name()) ? BtfRef.PERCPU : 0;
        }
        id = btf.skipModifiers(id);
        BtfNode to = btf.type(id);
        if (!(to instanceof BtfNode.Composite c)) {
            env.log.verbose("func '" + tname + "' arg" + arg + " type " + to.kindName() + " is not a struct\n");
            return false;
        }
        env.log.verbose("func '" + tname + "' arg" + arg + " has btf_id " + id + " type " + c.kindName() + " '"
                + c.name() + "'\n");
        String name = c.name();
        if (tcpCongestionOps() && name.equals("sock") && (flags & (BtfRef.USER | BtfRef.PERCPU)) == 0) {
            // bpf_tcp_ca_is_valid_access: a congestion control's socket is its tcp_sock
            var tcp = btf.findStruct("tcp_sock");
            if (tcp.isPresent()) {
                id = tcp.getAsInt();
                name = "tcp_sock";
            }
        }
        if (valueReg >= 0) {
            env.setReg(valueReg, Reg.Ptr.btf(new BtfRef(id, name, flags), false, 0));
        }
        return true;
    }

    /**
     * check_return_code for struct_ops and LSM programs (tracing keeps the profile's ranges):
     * true when the exit is fully judged here.
     */
    boolean checkReturn() {
        ProgramType pt = env.input.programType();
        if (pt == ProgramType.TRACING) {
            return false;
        }
        BtfNode.FuncProto proto = (BtfNode.FuncProto) btf.type(target.protoId());
        boolean isVoid = proto.returnType() == 0;
        boolean cgroup = env.input.expectedAttachType() == AttachType.LSM_CGROUP;
        if (isVoid && !(pt == ProgramType.LSM && cgroup)) {
            return true; // a void member or hook: R0 is not looked at
        }
        env.src(0);
        if (env.isPointerValue(0)) {
            throw env.reject("R0 leaks addr as return value");
        }
        if (pt == ProgramType.STRUCT_OPS) {
            return true;
        }
        long min;
        long max;
        boolean bits32 = false;
        if (cgroup) {
            min = isVoid ? 1 : 0;
            max = 1;
        } else {
            min = BOOL_LSM_HOOKS.contains(target.name()) ? 0 : -4095;
            max = BOOL_LSM_HOOKS.contains(target.name()) ? 1 : 0;
            bits32 = true;
        }
        Reg r0 = env.regs()[0];
        if (!(r0 instanceof Reg.ScalarReg sr)) {
            throw env.reject("At program exit the register R0 is not a known value ("
                    + ((Reg.Ptr) r0).typeName() + ")");
        }
        env.markPrecise(0);
        Scalar v = sr.v();
        boolean within = bits32 ? min <= v.s32min() && v.s32max() <= max : min <= v.smin() && v.smax() <= max;
        if (!within) {
            String msg = CallChecks.invalidScalar("At program exit", v, min, max);
            if (cgroup && isVoid) {
                env.log.error(msg);
                throw env.reject("Note, BPF_LSM_CGROUP that attach to void LSM hooks can't modify return value!");
            }
            throw env.reject(msg);
        }
        return true;
    }

    /** bpf_lsm's bool_lsm_hooks: hooks returning 0 or 1 (all other int hooks return 0 or -errno). */
    private static final java.util.Set<String> BOOL_LSM_HOOKS = java.util.Set.of("bpf_lsm_xfrm_state_pol_flow_match",
            "bpf_lsm_audit_rule_known", "bpf_lsm_inode_xattr_skipcap");

    /** get_ctx_arg_idx: arguments take 8 bytes, or their size rounded up to 8. */
    private int argIndex(BtfNode.FuncProto proto, int off) {
        int offset = 0;
        for (int i = 0; i < proto.params().size(); i++) {
            offset += slotSize(proto.params().get(i).type());
            if (off < offset) {
                return i;
            }
        }
        offset += slotSize(proto.returnType());
        return off < offset ? proto.params().size() : proto.params().size() + 1;
    }

    private int slotSize(int typeId) {
        BtfNode t = btf.type(btf.skipModifiers(typeId));
        long sz = sizeOf(t);
        return (int) ((sz + 7) / 8 * 8);
    }

    /** The size of a type that has one (int, enum, pointer, struct/union), else 0. */
    private static long sizeOf(BtfNode t) {
        if (t instanceof BtfNode.Ptr) {
            return 8;
        } else if (t instanceof BtfNode.Int i) {
            return i.size();
        } else if (t instanceof BtfNode.Enum e) {
            return e.size();
        } else if (t instanceof BtfNode.Composite c) {
            return c.size();
        }
        return 0;
    }

    /**
     * The context arguments an iterator target registers with their own pointer flags
     * ({@code ctx_arg_info} of its {@code bpf_iter_reg}): target FUNC name, then argument index
     * to {@link BtfRef} flags; such an argument may also be NULL. Sources (Linux 6.12):
     * {@code kernel/bpf/cgroup_iter.c} line 284, {@code kernel/bpf/task_iter.c} lines 703, 724-727,
     * 747-750. Iterator targets not listed here are refused as not supported.
     */
    static final java.util.Map<String, java.util.Map<Integer, Integer>> ITER_ARGS = java.util.Map.of(
            "bpf_iter_cgroup", java.util.Map.of(1, BtfRef.TRUSTED),
            "bpf_iter_task", java.util.Map.of(1, BtfRef.TRUSTED),
            "bpf_iter_task_file", java.util.Map.of(1, 0, 2, 0),
            "bpf_iter_task_vma", java.util.Map.of(1, 0, 2, 0));

    /** prog_args_trusted. */
    private boolean argsTrusted() {
        AttachType at = env.input.expectedAttachType();
        return switch (env.input.programType()) {
            case TRACING -> at == AttachType.TRACE_RAW_TP || at == AttachType.TRACE_ITER;
            case LSM -> !UNTRUSTED_LSM_HOOKS.contains(target.name());
            case STRUCT_OPS -> true;
            default -> false;
        };
    }

    /** bpf_lsm's untrusted_lsm_hooks: hooks whose arguments are being freed or not yet set up. */
    private static final java.util.Set<String> UNTRUSTED_LSM_HOOKS = java.util.Set.of("bpf_lsm_bpf_map_free",
            "bpf_lsm_bpf_prog_free", "bpf_lsm_file_alloc_security", "bpf_lsm_file_free_security",
            "bpf_lsm_sk_alloc_security", "bpf_lsm_sk_free_security", "bpf_lsm_task_free");

    private void scalar(int valueReg) {
        if (valueReg >= 0) {
            env.markUnknown(valueReg);
        }
    }

    /**
     * check_ptr_to_btf_access: a load or store of {@code size} bytes at {@code off} (the insn's
     * offset plus the register's) through the non-null BTF pointer {@code p} in {@code regno}.
     */
    void access(int regno, Reg.Ptr p, int off, int size, boolean write, int valueReg) {
        BtfRef ref = p.btf();
        String tname = ref.name();
        if (!env.priv.allowPtrLeaks()) {
            throw env.reject("'struct " + tname + "' access is allowed only to CAP_PERFMON and CAP_SYS_ADMIN");
        }
        if (off < 0) {
            throw env.reject("R" + regno + " is ptr_" + tname + " invalid negative access: off=" + off);
        }
        if (!p.var().varOff().isConst() || p.var().varOff().value() != 0) {
            throw env.reject("R" + regno + " is ptr_" + tname + " invalid variable offset: off=" + off + ", var_off="
                    + StatePrinter.tnum(p.var().varOff()));
        }
        if (ref.has(BtfRef.USER)) {
            throw env.reject("R" + regno + " is ptr_" + tname + " access user memory: off=" + off);
        }
        if (ref.has(BtfRef.PERCPU)) {
            throw env.reject("R" + regno + " is ptr_" + tname + " access percpu memory: off=" + off);
        }
        if (write) {
            // writes go through the program type's btf_struct_access or are refused
            if (ref.has(BtfRef.UNTRUSTED) || env.input.programType() != ProgramType.STRUCT_OPS) {
                throw env.reject("only read is supported");
            }
            if (!tcpCongestionOps()) {
                throw env.reject("bpf4j: not supported yet: stores through a BTF-typed pointer in struct_ops programs"
                        + " other than tcp_congestion_ops");
            }
            tcpSockWrite(ref, off, size);
            return;
        }
        Walk w = new Walk();
        walk(ref.typeId(), off, size, w);
        if (valueReg < 0) {
            return;
        }
        if (w.ptrId == 0) {
            env.markUnknown(valueReg);
            return;
        }
        int flag = w.flags;
        if (ref.has(BtfRef.UNTRUSTED)) {
            flag = BtfRef.UNTRUSTED;
        } else if (ref.has(BtfRef.TRUSTED) || ref.has(BtfRef.RCU) || p.refObjId() != 0) {
            String target = w.ptrName;
            boolean maybeNull = false;
            if (safe(tname, "__safe_trusted", w.field, target)) {
                flag |= BtfRef.TRUSTED;
            } else if (safe(tname, "__safe_trusted_or_null", w.field, target)) {
                flag |= BtfRef.TRUSTED;
                maybeNull = true;
            } else if (inRcuCs() && !p.maybeNull()) {
                if (safe(tname, "__safe_rcu", w.field, target)) {
                    flag |= BtfRef.RCU;
                } else if ((flag & BtfRef.RCU) != 0 || safe(tname, "__safe_rcu_or_null", w.field, target)) {
                    if (safe(tname, "__safe_rcu_or_null", w.field, target)) {
                        flag &= ~BtfRef.UNTRUSTED;
                    }
                    flag |= BtfRef.RCU;
                    maybeNull = true;
                } else if ((flag & (BtfRef.PERCPU | BtfRef.USER)) == 0) {
                    // 6.12 leaves such a pointer plain; the 6.18 kernel here makes it untrusted
                    // (tp_btf: prev->cred is untrusted_ptr_cred), which decides
                    flag = BtfRef.UNTRUSTED;
                }
            } else {
                flag = BtfRef.UNTRUSTED;
            }
            setPtr(valueReg, w, flag, maybeNull);
            return;
        } else {
            flag &= ~(BtfRef.TRUSTED | BtfRef.RCU);
        }
        setPtr(valueReg, w, flag, false);
    }

    /**
     * check_ptr_to_map_access: a load or store of {@code size} bytes at {@code off} through the map
     * pointer in {@code regno}, which points at the map's kernel struct ({@code struct bpf_array} for
     * an array...). Only reads, walked as through a BTF pointer without flags; a pointer member
     * gives an untrusted BTF pointer.
     */
    void mapAccess(int regno, MapRef map, int off, int size, boolean write, int valueReg) {
        String tname = MapKinds.btfStructName(map.type());
        java.util.OptionalInt id = tname == null ? java.util.OptionalInt.empty() : btf.findStruct(tname);
        if (id.isEmpty()) {
            throw env.reject("map_ptr access not supported for map type " + map.type().id());
        }
        if (!env.priv.allowPtrLeaks()) {
            throw env.reject("'struct " + tname + "' access is allowed only to CAP_PERFMON and CAP_SYS_ADMIN");
        }
        if (off < 0) {
            throw env.reject("R" + regno + " is " + tname + " invalid negative access: off=" + off);
        }
        if (write) {
            throw env.reject("only read from " + tname + " is supported");
        }
        Walk w = new Walk();
        walk(id.getAsInt(), off, size, w);
        if (valueReg < 0) {
            return;
        }
        if (w.ptrId == 0) {
            env.markUnknown(valueReg);
        } else {
            // the 6.18 kernel here gives an untrusted pointer (untrusted_ptr_bpf_map_ops for ops)
            setPtr(valueReg, w, BtfRef.UNTRUSTED, false);
        }
    }

    private void setPtr(int valueReg, Walk w, int flag, boolean maybeNull) {
        env.setReg(valueReg, Reg.Ptr.btf(new BtfRef(w.ptrId, w.ptrName, flag), maybeNull, maybeNull ? env.newId() : 0));
    }

    /** Whether this is a struct_ops program of a TCP congestion control. */
    private boolean tcpCongestionOps() {
        return env.input.programType() == ProgramType.STRUCT_OPS && target != null
                && btf.type(target.btfId()) instanceof BtfNode.Composite c && c.name().equals("tcp_congestion_ops");
    }

    /**
     * bpf_tcp_ca_btf_struct_access: a congestion control stores only to a few fields of its
     * tcp_sock (offsets from the BTF: struct sock and inet_connection_sock start the tcp_sock).
     */
    private void tcpSockWrite(BtfRef ref, int off, int size) {
        if (!ref.name().equals("tcp_sock")) {
            throw env.reject("only read is supported");
        }
        long end = -1;
        long[][] fields = {
            member("sock", "sk_pacing_rate"), member("sock", "sk_pacing_status"),
            member("inet_connection_sock", "icsk_ack", "pending"), member("tcp_sock", "snd_cwnd"),
            member("tcp_sock", "snd_cwnd_cnt"), member("tcp_sock", "snd_cwnd_stamp"),
            member("tcp_sock", "snd_ssthresh"), member("tcp_sock", "ecn_flags"), member("tcp_sock", "app_limited")};
        for (long[] f : fields) {
            if (f != null && f[0] == off) {
                end = f[0] + f[1];
                break;
            }
        }
        long[] priv = member("inet_connection_sock", "icsk_ca_priv");
        if (end < 0 && priv != null && off >= priv[0] && off < priv[0] + priv[1]) {
            end = priv[0] + priv[1];
        }
        if (end < 0) {
            throw env.reject("no write support to tcp_sock at off " + off);
        }
        if (off + size > end) {
            throw env.reject("write access at off " + off + " with size " + size
                    + " beyond the member of tcp_sock ended at " + end);
        }
    }

    /** Offset and size in bytes of {@code struct.path...} in the BTF, or null. */
    private long[] member(String struct, String... path) {
        var sid = btf.findStruct(struct);
        if (sid.isEmpty()) {
            return null;
        }
        int tid = sid.getAsInt();
        long off = 0;
        long size = 0;
        for (String name : path) {
            if (!(btf.type(btf.skipModifiers(tid)) instanceof BtfNode.Composite c)) {
                return null;
            }
            BtfNode.Member found = null;
            for (BtfNode.Member m : c.members()) {
                if (m.name().equals(name)) {
                    found = m;
                    break;
                }
            }
            if (found == null) {
                return null;
            }
            off += found.bitOffset() / 8;
            Resolved r = resolve(found.type());
            if (r == null) {
                return null;
            }
            size = r.size;
            tid = found.type();
        }
        return new long[] {off, size};
    }

    /** in_rcu_cs: inside an RCU read section or a spin lock, or anywhere in a program that cannot sleep. */
    private boolean inRcuCs() {
        boolean sleepable = env.input.sleepable() || target != null && target.sleepable();
        return env.cur.rcuLocks > 0 || env.cur.activeLocks() > 0 || !sleepable;
    }

    /**
     * btf_nested_type_is_trusted: the kernel's BTF has a struct {@code <tname><suffix>} whose
     * member {@code field} points to a struct named as the walked pointer's.
     */
    private boolean safe(String tname, String suffix, String field, String targetName) {
        if (field == null) {
            return false;
        }
        var id = btf.findStruct(tname + suffix);
        if (id.isEmpty() || !(btf.type(id.getAsInt()) instanceof BtfNode.Composite c)) {
            return false;
        }
        for (BtfNode.Member m : c.members()) {
            if (!m.name().equals(field)) {
                continue;
            }
            BtfNode mt = btf.type(btf.skipModifiers(m.type()));
            if (mt instanceof BtfNode.Ptr mp) {
                mt = btf.type(btf.skipModifiers(mp.type()));
            }
            return mt.name().equals(targetName);
        }
        return false;
    }

    /** What a struct walk found: a scalar (ptrId 0) or a pointer to a struct, with the member's flags. */
    private static final class Walk {
        int ptrId;
        String ptrName;
        String field;
        int flags;
    }

    /** btf_struct_access + btf_struct_walk over {@code typeId} (kernel-owned memory: flexible arrays are walked). */
    private void walk(int typeId, int off, int size, Walk w) {
        int tid = btf.skipModifiers(typeId);
        for (int guard = 0; guard < 64; guard++) {
            BtfNode t = btf.type(tid);
            if (!(t instanceof BtfNode.Composite c)) {
                throw env.reject("Type '" + t.name() + "' is not a struct");
            }
            String tname = c.name();
            if (c.union() && c.members().size() != 1 && (w.flags & BtfRef.UNTRUSTED) == 0) {
                w.flags |= BtfRef.UNTRUSTED;
            }
            if ((long) off + size > c.size()) {
                // a flexible array at the end: walk its elements
                BtfNode.Member last = c.members().isEmpty() ? null : c.members().get(c.members().size() - 1);
                BtfNode lt = last == null ? null : btf.type(btf.skipModifiers(last.type()));
                if (lt instanceof BtfNode.Array a && a.elements() == 0 && off >= last.bitOffset() / 8) {
                    int moff = (int) (last.bitOffset() / 8);
                    int eid = btf.skipModifiers(a.elementType());
                    BtfNode e = btf.type(eid);
                    if (e instanceof BtfNode.Int) {
                        return;
                    }
                    if (e instanceof BtfNode.Composite ec && ec.size() > 0) {
                        off = (int) ((off - moff) % ec.size());
                        tid = eid;
                        continue;
                    }
                }
                throw env.reject("access beyond struct " + tname + " at off " + off + " size " + size);
            }
            Integer next = null;
            for (BtfNode.Member m : c.members()) {
                long moff = m.bitOffset() / 8;
                if ((long) off + size <= moff) {
                    break;
                }
                if (m.bitfieldSize() != 0) {
                    long endBit = m.bitOffset() + m.bitfieldSize();
                    if (off <= moff && (endBit + 7) / 8 <= (long) off + size) {
                        return;
                    }
                    continue;
                }
                if (off < moff) {
                    break;
                }
                Resolved r = resolve(m.type());
                if (r == null) {
                    throw env.reject("field " + m.name() + " doesn't have size");
                }
                long msize = r.size;
                long mtrueEnd = moff + msize;
                if (off >= mtrueEnd) {
                    continue;
                }
                BtfNode mtype = btf.type(r.id);
                int mid = r.id;
                if (r.array) {
                    if (moff == mtrueEnd) {
                        continue;
                    }
                    msize /= r.elements;
                    long idx = (off - moff) / msize;
                    moff += idx * msize;
                    mid = r.elemId;
                    mtype = btf.type(mid);
                }
                if (mtype instanceof BtfNode.Composite) {
                    off -= (int) moff;
                    next = mid;
                    break;
                }
                if (mtype instanceof BtfNode.Ptr mp) {
                    if (msize != size || off != moff) {
                        throw env.reject("cannot access ptr member " + m.name() + " with moff " + moff + " in struct "
                                + tname + " with off " + off + " size " + size);
                    }
                    int tagFlag = 0;
                    if (btf.type(mp.type()) instanceof BtfNode.Modifier tag && tag.kind() == BtfNode.ModifierKind.TYPE_TAG) {
                        tagFlag = switch (tag.name()) {
                            case "user" -> BtfRef.USER;
                            case "percpu" -> BtfRef.PERCPU;
                            case "rcu" -> BtfRef.RCU;
                            default -> 0;
                        };
                    }
                    int sid = btf.skipModifiers(mp.type());
                    if (btf.type(sid) instanceof BtfNode.Composite sc) {
                        w.ptrId = sid;
                        w.ptrName = sc.name();
                        w.flags |= tagFlag;
                        w.field = m.name();
                        return;
                    }
                }
                if ((long) off + size > mtrueEnd && (w.flags & BtfRef.UNTRUSTED) == 0) {
                    throw env.reject("access beyond the end of member " + m.name() + " (mend:" + mtrueEnd + ") in struct "
                            + tname + " with off " + off + " size " + size);
                }
                return;
            }
            if (next == null) {
                throw env.reject("struct " + tname + " doesn't have field at offset " + off);
            }
            tid = next;
        }
        throw env.reject("bpf4j: not supported yet: BTF struct nesting deeper than 64");
    }

    /** __btf_resolve_size: a member type with modifiers and arrays resolved. */
    private record Resolved(int id, long size, boolean array, long elements, int elemId) {}

    private Resolved resolve(int typeId) {
        long n = 1;
        boolean array = false;
        int arrayId = 0;
        int id = typeId;
        for (int guard = 0; guard < 32; guard++) {
            BtfNode t = btf.type(id);
            if (t instanceof BtfNode.Modifier m) {
                id = m.type();
            } else if (t instanceof BtfNode.Array a) {
                if (!array) {
                    arrayId = id;
                }
                array = true;
                n *= a.elements();
                id = a.elementType();
            } else {
                long sz = sizeOf(t);
                if (sz == 0 && !(t instanceof BtfNode.Composite)) {
                    return null;
                }
                return array ? new Resolved(arrayId, n * sz, true, n, id) : new Resolved(id, sz, false, 1, id);
            }
        }
        return null;
    }
}
