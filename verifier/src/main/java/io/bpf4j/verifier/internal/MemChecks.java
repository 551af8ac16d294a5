package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Load;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.PacketLoad;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.Store;
import io.bpf4j.isa.abi.CtxAccess;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.isa.abi.RegKind;
import io.bpf4j.isa.facts.RegionKind;
import io.bpf4j.verifier.internal.scalar.Scalar;

/**
 * Loads, stores, atomics, {@code ld_imm64} and legacy packet loads ({@code check_mem_access} and
 * its per-region helpers). Stack accesses live in {@link StackAccess}.
 */
final class MemChecks {
    static final int READ = 0;
    static final int WRITE = 1;
    static final int MAX_VAR_OFF = 1 << 29;

    private final Env env;
    final StackAccess stack;

    MemChecks(Env env) {
        this.env = env;
        this.stack = new StackAccess(env);
    }

    void load(int idx, Load insn) {
        Slot s = insn.slot();
        env.src(s.src());
        env.dst(s.dst());
        Reg base = env.regs()[s.src()];
        access(idx, s.src(), s.off(), insn.size().bytes(), READ, s.dst(), false, insn.signExtending());
        saveAuxPtrType(idx, base);
    }

    void storeReg(int idx, Store insn) {
        Slot s = insn.slot();
        env.src(s.src());
        env.src(s.dst());
        Reg base = env.regs()[s.dst()];
        access(idx, s.dst(), s.off(), insn.size().bytes(), WRITE, s.src(), false, false);
        saveAuxPtrType(idx, base);
    }

    void storeImm(int idx, Store insn) {
        Slot s = insn.slot();
        env.src(s.dst());
        Reg base = env.regs()[s.dst()];
        access(idx, s.dst(), s.off(), insn.size().bytes(), WRITE, -1, false, false);
        saveAuxPtrType(idx, base);
    }

    void atomic(int idx, Slot s) {
        int imm = s.imm();
        boolean rmw = switch (imm) {
            case Opcodes.ADD, Opcodes.ADD | Opcodes.ATOMIC_FETCH, Opcodes.AND, Opcodes.AND | Opcodes.ATOMIC_FETCH,
                    Opcodes.OR, Opcodes.OR | Opcodes.ATOMIC_FETCH, Opcodes.XOR, Opcodes.XOR | Opcodes.ATOMIC_FETCH,
                    Opcodes.ATOMIC_XCHG, Opcodes.ATOMIC_CMPXCHG -> true;
            default -> false;
        };
        if (imm == Opcodes.ATOMIC_LOAD_ACQ || imm == Opcodes.ATOMIC_STORE_REL) {
            throw env.reject("bpf4j: not supported yet: load-acquire/store-release");
        }
        if (!rmw) {
            throw env.reject(String.format("BPF_ATOMIC uses invalid atomic opcode %02x", imm));
        }
        int size = Opcodes.sizeBytes(s.code());
        if (size != 4 && size != 8) {
            throw env.reject("invalid atomic operand size");
        }
        env.src(s.src());
        env.src(s.dst());
        if (imm == Opcodes.ATOMIC_CMPXCHG) {
            env.src(0);
            if (env.isPointerValue(0)) {
                throw env.reject("R0 leaks addr into mem");
            }
        }
        if (env.isPointerValue(s.src())) {
            throw env.reject("R" + s.src() + " leaks addr into mem");
        }
        Reg base = env.regs()[s.dst()];
        if (base instanceof Reg.Ptr p && (p.type() == Reg.PtrType.CTX || p.isPacket()
                || p.type() == Reg.PtrType.FLOW_KEYS || p.type() == Reg.PtrType.SOCKET
                || p.type() == Reg.PtrType.SOCK_COMMON || p.type() == Reg.PtrType.TCP_SOCK
                || p.type() == Reg.PtrType.XDP_SOCK)) {
            throw env.reject("BPF_ATOMIC stores into R" + s.dst() + " " + p.typeName() + " is not allowed");
        }
        int loadReg = -1;
        if ((imm & Opcodes.ATOMIC_FETCH) != 0) {
            loadReg = imm == Opcodes.ATOMIC_CMPXCHG ? 0 : s.src();
            env.dst(loadReg);
            env.markUnknown(loadReg);
        }
        access(idx, s.dst(), s.off(), size, READ, -1, true, false);
        if (loadReg >= 0) {
            access(idx, s.dst(), s.off(), size, READ, loadReg, true, false);
        }
        saveAuxPtrType(idx, base);
        access(idx, s.dst(), s.off(), size, WRITE, -1, true, false);
    }

    /** save_aux_ptr_type: one instruction may not access ctx-like pointers on one path and others on another. */
    private void saveAuxPtrType(int idx, Reg base) {
        String t = base instanceof Reg.Ptr p ? p.typeName() : "scalar";
        String prev = env.auxPtrType[idx];
        if (prev == null) {
            env.auxPtrType[idx] = t;
        } else if (!prev.equals(t) && (!mismatchOk(prev) || !mismatchOk(t))) {
            throw env.reject("same insn cannot be used with different pointers");
        }
    }

    private static boolean mismatchOk(String t) {
        return !(t.equals("ctx") || t.startsWith("sock") || t.equals("tcp_sock") || t.equals("xdp_sock"));
    }

    /** check_mem_access. {@code valueReg} is the loaded/stored register, or -1. */
    void access(int idx, int regno, int off, int size, int t, int valueReg, boolean strictOnce, boolean ldsx) {
        Reg r = env.regs()[regno];
        if (!(r instanceof Reg.Ptr p)) {
            throw env.reject("R" + regno + " invalid mem access '" + (r instanceof Reg.ScalarReg ? "scalar" : "?") + "'");
        }
        if (p.type() == Reg.PtrType.MAP_VALUE && !p.maybeNull() && p.map() != null
                && p.map().type() == io.bpf4j.isa.abi.MapType.INSN_ARRAY) {
            // a call or jump table: its entries are code, read whole and never written
            env.indirect.tableAccess(regno, p, off, size, t, valueReg, ldsx);
            RegionKind prevRegion = env.region[idx];
            env.region[idx] = prevRegion == null || prevRegion == RegionKind.MAP_VALUE ? RegionKind.MAP_VALUE : RegionKind.MIXED;
            return;
        }
        checkAlignment(p, off, size, strictOnce);
        int aoff = off + p.off();
        RegionKind region;
        switch (p.type()) {
            case MAP_KEY -> {
                if (p.maybeNull()) {
                    throw invalidMem(regno, p);
                }
                if (t == WRITE) {
                    throw env.reject("write to change key R" + regno + " not allowed");
                }
                memRegion(regno, p, aoff, size, p.map().keySize(), false);
                setUnknown(valueReg, t);
                region = RegionKind.MAP_KEY;
            }
            case MAP_VALUE -> {
                if (p.maybeNull()) {
                    throw invalidMem(regno, p);
                }
                if (t == WRITE && valueReg >= 0 && env.isPointerValue(valueReg)) {
                    throw env.reject("R" + valueReg + " leaks addr into map");
                }
                MapRef m = p.map();
                if (t == WRITE && m.readOnly()) {
                    throw env.reject("write into map forbidden, value_size=" + m.valueSize() + " off=" + aoff + " size=" + size);
                }
                if (t == READ && m.writeOnly()) {
                    throw env.reject("read from map forbidden, value_size=" + m.valueSize() + " off=" + aoff + " size=" + size);
                }
                memRegion(regno, p, aoff, size, m.valueSize(), false);
                if (m.hasSpinLock()) {
                    long lo = p.var().smin() + aoff;
                    long hi = p.var().umax() + aoff + size;
                    if (lo < m.spinLockOff() + 4 && m.spinLockOff() < hi) {
                        throw env.reject("bpf_spin_lock cannot be accessed directly by load/store");
                    }
                }
                if (valueReg >= 0 && t == READ && m.frozenValue() != null && p.var().varOff().isConst()) {
                    // a frozen read-only map's contents are known: the load gives a constant
                    // (sign extension for ldsx and the subregister follow below, as for any load)
                    int mapOff = aoff + (int) p.var().varOff().value();
                    long val = 0;
                    for (int i = size - 1; i >= 0; i--) {
                        val = val << 8 | (m.frozenValue()[mapOff + i] & 0xff);
                    }
                    env.setReg(valueReg, Reg.ScalarReg.constant(val));
                } else {
                    setUnknown(valueReg, t);
                }
                region = RegionKind.MAP_VALUE;
            }
            case MEM -> {
                if (p.maybeNull()) {
                    throw invalidMem(regno, p);
                }
                if (t == WRITE && p.rdonly()) {
                    throw env.reject("R" + regno + " cannot write into " + p.typeName());
                }
                if (t == WRITE && valueReg >= 0 && env.isPointerValue(valueReg)) {
                    throw env.reject("R" + valueReg + " leaks addr into mem");
                }
                memRegion(regno, p, aoff, size, p.memSize(), false);
                if (valueReg >= 0 && (t == READ || p.rdonly())) {
                    env.markUnknown(valueReg);
                }
                region = RegionKind.MEM;
            }
            case CTX -> {
                if (t == WRITE && valueReg >= 0 && env.isPointerValue(valueReg)) {
                    throw env.reject("R" + valueReg + " leaks addr into ctx");
                }
                checkPtrOffReg(p, regno, false);
                ctxAccess(idx, aoff, size, t, valueReg, ldsx);
                region = RegionKind.CTX;
            }
            case STACK -> {
                stack.access(regno, p, aoff, size, t, valueReg, idx);
                region = RegionKind.STACK;
            }
            case PACKET, PACKET_META -> {
                if (t == WRITE && !mayWritePacket()) {
                    throw env.reject("cannot write into packet");
                }
                if (t == WRITE && valueReg >= 0 && env.isPointerValue(valueReg)) {
                    throw env.reject("R" + valueReg + " leaks addr into packet");
                }
                packetAccess(regno, p, aoff, size, false);
                setUnknown(valueReg, t);
                region = p.type() == Reg.PtrType.PACKET ? RegionKind.PACKET : RegionKind.PACKET_META;
            }
            case BTF_ID -> {
                if (p.maybeNull() || env.btfPointers == null) {
                    throw invalidMem(regno, p);
                }
                if (t == WRITE && valueReg >= 0 && env.isPointerValue(valueReg)) {
                    throw env.reject("R" + valueReg + " leaks addr into mem");
                }
                env.btfPointers.access(regno, p, aoff, size, t == WRITE, valueReg);
                // loads through BTF pointers are probe reads (BPF_PROBE_MEM): they cannot fault
                region = RegionKind.BTF_ID;
            }
            case SOCKET, SOCK_COMMON, TCP_SOCK, XDP_SOCK -> {
                if (p.maybeNull()) {
                    throw invalidMem(regno, p);
                }
                if (t == WRITE) {
                    throw env.reject("R" + regno + " cannot write into " + p.typeName());
                }
                if (p.var().smin() < 0) {
                    throw env.reject("R" + regno + " min value is negative, either use unsigned index or do a if (index >=0) check.");
                }
                if (!SockAccess.valid(p.type(), aoff, size)) {
                    throw env.reject("R" + regno + " invalid " + p.typeName() + " access off=" + aoff + " size=" + size);
                }
                if (p.type() == Reg.PtrType.TCP_SOCK && !SockAccess.convertible(aoff) && env.unconvertibleAccess < 0) {
                    env.unconvertibleAccess = idx;
                }
                if (valueReg >= 0) {
                    env.markUnknown(valueReg);
                }
                region = p.type() == Reg.PtrType.TCP_SOCK ? RegionKind.TCP_SOCK
                        : p.type() == Reg.PtrType.XDP_SOCK ? RegionKind.XDP_SOCK : RegionKind.SOCKET;
            }
            case CONST_MAP -> {
                // check_ptr_to_map_access: the map's own kernel struct, read as an untagged BTF pointer
                if (env.btfPointers == null) {
                    throw env.reject("map_ptr access not supported without CONFIG_DEBUG_INFO_BTF");
                }
                env.btfPointers.mapAccess(regno, p.map(), aoff, size, t == WRITE, valueReg);
                region = RegionKind.BTF_ID;
            }
            case TP_BUFFER -> {
                if (p.maybeNull()) {
                    throw invalidMem(regno, p);
                }
                // __check_buffer_access; the size is checked at attach time against the tracepoint's buffer
                if (aoff < 0) {
                    throw env.reject("R" + regno + " invalid tracepoint buffer access: off=" + aoff + ", size=" + size);
                }
                if (!p.var().varOff().isConst() || p.var().varOff().value() != 0) {
                    throw env.reject("R" + regno + " invalid variable buffer offset: off=" + aoff + ", var_off="
                            + StatePrinter.tnum(p.var().varOff()));
                }
                setUnknown(valueReg, t);
                region = RegionKind.BUF;
            }
            default -> throw invalidMem(regno, p);
        }
        if (valueReg >= 0 && t == READ && size < 8 && env.regs()[valueReg] instanceof Reg.ScalarReg vs) {
            env.setReg(valueReg, vs.withValue(ldsx ? vs.v().signExtendFrom(size) : vs.v().coerceToSize(size)));
        }
        RegionKind prev = env.region[idx];
        env.region[idx] = prev == null || prev == region ? region : RegionKind.MIXED;
    }

    private Reject invalidMem(int regno, Reg.Ptr p) {
        return env.reject("R" + regno + " invalid mem access '" + p.typeName() + "'");
    }

    private void setUnknown(int valueReg, int t) {
        if (valueReg >= 0 && t == READ) {
            env.markUnknown(valueReg);
        }
    }

    private boolean mayWritePacket() {
        ProgramType pt = env.input.programType();
        return switch (pt) {
            // lwt_in, lwt_out and seg6local read packets only (may_access_direct_pkt_data)
            case SCHED_CLS, SCHED_ACT, XDP, LWT_XMIT, SK_SKB, SK_MSG, CGROUP_SOCKOPT -> true;
            default -> false;
        };
    }

    /** check_ptr_alignment: only stack (and atomics) are strict on x86, which has efficient unaligned access. */
    void checkAlignment(Reg.Ptr p, int off, int size, boolean strictOnce) {
        String desc;
        boolean strict = strictOnce;
        switch (p.type()) {
            case PACKET, PACKET_META -> {
                if (!strict) {
                    return;
                }
                // NET_IP_ALIGN is 0 on x86
                long regOff = p.var().varOff().value() + p.off() + off;
                if (!p.var().varOff().isConst() || size == 1 || Long.remainderUnsigned(regOff, size) == 0) {
                    return;
                }
                throw env.reject("misaligned packet access off 0+" + StatePrinter.tnum(p.var().varOff()) + "+"
                        + p.off() + "+" + off + " size " + size);
            }
            case FLOW_KEYS -> desc = "flow keys ";
            case MAP_KEY -> desc = "key ";
            case MAP_VALUE -> desc = "value ";
            case CTX -> desc = "context ";
            case STACK -> {
                desc = "stack ";
                strict = true;
            }
            case SOCKET -> desc = "sock ";
            case SOCK_COMMON -> desc = "sock_common ";
            case TCP_SOCK -> desc = "tcp_sock ";
            case XDP_SOCK -> desc = "xdp_sock ";
            default -> desc = "";
        }
        if (!strict || size == 1) {
            return;
        }
        long add = (long) p.off() + off;
        io.bpf4j.verifier.internal.scalar.Tnum regOff = p.var().varOff().add(io.bpf4j.verifier.internal.scalar.Tnum.constant(add));
        if (!regOff.isAligned(size)) {
            throw env.reject("misaligned " + desc + "access off " + StatePrinter.tnum(p.var().varOff()) + "+" + p.off()
                    + "+" + off + " size " + size);
        }
    }

    /**
     * cg_skb_is_valid_access: without CAP_BPF a cgroup skb program reads neither
     * {@code __sk_buff.data} nor {@code data_end} (offsets 76 and 80) and writes no {@code tstamp} (152).
     */
    private boolean cgroupSkbNeedsCapBpf(int off, boolean write) {
        if (env.priv.bpfCapable() || env.input.programType() != io.bpf4j.isa.abi.ProgramType.CGROUP_SKB) {
            return false;
        }
        return off >= 76 && off < 84 || write && off >= 152 && off < 160;
    }

    /** check_mem_region_access: the whole variable range must stay inside [0, memSize). */
    void memRegion(int regno, Reg.Ptr p, int off, int size, int memSize, boolean zeroOk) {
        Scalar v = p.var();
        long smin = v.smin();
        if (smin < 0 && (smin == Long.MIN_VALUE || off + smin != (int) (off + smin) || smin + off < 0)) {
            throw env.reject("R" + regno + " min value is negative, either use unsigned index or do a if (index >=0) check.");
        }
        if (!memOk(smin + off, size, memSize, zeroOk)) {
            memError(regno, p, (int) (smin + off), size, memSize);
            throw env.reject("R" + regno + " min value is outside of the allowed memory range");
        }
        if (Long.compareUnsigned(v.umax(), MAX_VAR_OFF) >= 0) {
            throw env.reject("R" + regno + " unbounded memory access, make sure to bounds check any such access");
        }
        if (!memOk(v.umax() + off, size, memSize, zeroOk)) {
            memError(regno, p, (int) (v.umax() + off), size, memSize);
            throw env.reject("R" + regno + " max value is outside of the allowed memory range");
        }
    }

    private static boolean memOk(long off, int size, long memSize, boolean zeroOk) {
        int ioff = (int) off;
        boolean sizeOk = size > 0 || size == 0 && zeroOk;
        return ioff >= 0 && sizeOk && (long) ioff + size <= (memSize & 0xffffffffL);
    }

    /** __check_mem_access's first line, per region. */
    private void memError(int regno, Reg.Ptr p, int off, int size, int memSize) {
        String line = switch (p.type()) {
            case MAP_KEY -> "invalid access to map key, key_size=" + memSize + " off=" + off + " size=" + size;
            case MAP_VALUE -> "invalid access to map value, value_size=" + memSize + " off=" + off + " size=" + size;
            case PACKET, PACKET_META, PACKET_END -> "invalid access to packet, off=" + off + " size=" + size + ", R" + regno
                    + "(id=" + p.id() + ",off=" + off + ",r=" + memSize + ")";
            default -> "invalid access to memory, mem_size=" + Integer.toUnsignedString(memSize) + " off=" + off + " size=" + size;
        };
        env.log.error(line);
    }

    void packetAccess(int regno, Reg.Ptr p, int off, int size, boolean zeroOk) {
        if (p.var().smin() < 0) {
            throw env.reject("R" + regno + " min value is negative, either use unsigned index or do a if (index >=0) check.");
        }
        if (p.range() < 0 || !memOk(off, size, p.range(), zeroOk)) {
            if (p.range() >= 0) {
                memError(regno, p, off, size, p.range());
            }
            throw env.reject("R" + regno + " offset is outside of the packet");
        }
    }

    /** __check_ptr_off_reg. */
    void checkPtrOffReg(Reg.Ptr p, int regno, boolean fixedOffOk) {
        if (p.off() < 0) {
            throw env.reject("negative offset " + p.typeName() + " ptr R" + regno + " off=" + p.off() + " disallowed");
        }
        if (!fixedOffOk && p.off() != 0) {
            throw env.reject("dereference of modified " + p.typeName() + " ptr R" + regno + " off=" + p.off() + " disallowed");
        }
        if (!p.var().varOff().isConst() || p.var().varOff().value() != 0) {
            throw env.reject("variable " + p.typeName() + " access var_off=" + StatePrinter.tnum(p.var().varOff()) + " disallowed");
        }
    }

    private void ctxAccess(int idx, int off, int size, int t, int valueReg, boolean ldsx) {
        if (env.btfPointers != null && env.btfPointers.attached()) {
            // the context of a BTF-attached program is its target's arguments (btf_ctx_access)
            if (ldsx || !env.btfPointers.ctxAccess(off, size, t == WRITE, valueReg)) {
                env.log.error("invalid bpf_context access off=" + off + " size=" + size);
                Linfo.print(env.log, env.prog, idx, "; ");
                throw new Reject();
            }
            env.maxCtxOffset = Math.max(env.maxCtxOffset, off + size);
            env.facts.ctxField(idx, off, size);
            return;
        }
        CtxAccess a = env.ctx.access(off, size, t == WRITE);
        if (!a.valid() || ldsx && a.yields() != RegKind.SCALAR || cgroupSkbNeedsCapBpf(off, t == WRITE)) {
            env.log.error("invalid bpf_context access off=" + off + " size=" + size);
            Linfo.print(env.log, env.prog, idx, "; ");
            throw new Reject();
        }
        boolean btfPointer = a.yields() == RegKind.PTR_TO_BTF_ID || a.yields() == RegKind.PTR_TO_BTF_ID_OR_NULL;
        Reg btfReg = null;
        if (btfPointer) {
            // a trusted pointer to a kernel struct (netfilter's state and skb: PTR_TO_BTF_ID | PTR_TRUSTED)
            btfReg = env.btfPointers == null ? null
                    : env.btfPointers.helperReturn(a.btfType(), a.yields() == RegKind.PTR_TO_BTF_ID_OR_NULL, true);
            if (btfReg == null) {
                throw env.reject("bpf4j: not supported yet: BTF-typed pointer from the context without the kernel BTF");
            }
        }
        env.maxCtxOffset = Math.max(env.maxCtxOffset, off + size);
        env.facts.ctxField(idx, off, size);
        if (t == READ && valueReg >= 0) {
            if (btfReg != null) {
                env.setReg(valueReg, btfReg instanceof Reg.Ptr bp && bp.maybeNull() ? bp.withId(env.newId()) : btfReg);
            } else if (a.yields() == RegKind.SCALAR) {
                env.markUnknown(valueReg);
            } else {
                Reg.PtrType pt = ptrTypeOf(a.yields().base());
                Reg.Ptr ptr = Reg.Ptr.of(pt).withType(pt, a.yields().maybeNull());
                if (a.yields().maybeNull()) {
                    ptr = ptr.withId(env.newId());
                }
                env.setReg(valueReg, ptr);
            }
        }
    }

    static Reg.PtrType ptrTypeOf(RegKind k) {
        return switch (k) {
            case PTR_TO_CTX -> Reg.PtrType.CTX;
            case CONST_PTR_TO_MAP -> Reg.PtrType.CONST_MAP;
            case PTR_TO_MAP_VALUE -> Reg.PtrType.MAP_VALUE;
            case PTR_TO_MAP_KEY -> Reg.PtrType.MAP_KEY;
            case PTR_TO_STACK -> Reg.PtrType.STACK;
            case PTR_TO_PACKET_META -> Reg.PtrType.PACKET_META;
            case PTR_TO_PACKET -> Reg.PtrType.PACKET;
            case PTR_TO_PACKET_END -> Reg.PtrType.PACKET_END;
            case PTR_TO_FLOW_KEYS -> Reg.PtrType.FLOW_KEYS;
            case PTR_TO_SOCKET -> Reg.PtrType.SOCKET;
            case PTR_TO_SOCK_COMMON -> Reg.PtrType.SOCK_COMMON;
            case PTR_TO_TCP_SOCK -> Reg.PtrType.TCP_SOCK;
            case PTR_TO_TP_BUFFER -> Reg.PtrType.TP_BUFFER;
            case PTR_TO_XDP_SOCK -> Reg.PtrType.XDP_SOCK;
            case PTR_TO_MEM -> Reg.PtrType.MEM;
            case PTR_TO_BUF -> Reg.PtrType.BUF;
            case PTR_TO_FUNC -> Reg.PtrType.FUNC;
            default -> throw new NotSupported("pointer kind " + k);
        };
    }

    void ldImm64(int idx, LoadImm64 insn) {
        Slot s = insn.slot();
        if (s.off() != 0) {
            throw env.reject("BPF_LD_IMM64 uses reserved fields");
        }
        env.dst(s.dst());
        int src = s.src();
        if (src == 0) {
            env.setReg(s.dst(), Reg.ScalarReg.constant(insn.value()));
            return;
        }
        if (src == Opcodes.PSEUDO_FUNC) {
            int target = idx + s.imm() + 1;
            int sub = env.prog.findSubprog(target);
            if (env.input.funcInfo().isEmpty()) {
                throw env.reject("missing btf func_info");
            }
            if (env.input.funcInfo().get(sub).global()) {
                throw env.reject("callback function not static");
            }
            Reg.Ptr f = Reg.Ptr.of(Reg.PtrType.FUNC);
            env.setReg(s.dst(), new Reg.Ptr(Reg.PtrType.FUNC, false, false, false, 0, f.var(), 0, 0, null, 0, 0, 0, sub));
            return;
        }
        MapRef m = env.prog.ldMap[idx];
        if (src == Opcodes.PSEUDO_MAP_VALUE || src == Opcodes.PSEUDO_MAP_IDX_VALUE) {
            env.setReg(s.dst(), Reg.Ptr.map(Reg.PtrType.MAP_VALUE, m, env.prog.ldMapOff[idx], 0, false));
        } else {
            env.setReg(s.dst(), Reg.Ptr.map(Reg.PtrType.CONST_MAP, m, 0, 0, false));
        }
    }

    void ldAbs(int idx, PacketLoad insn) {
        Slot s = insn.slot();
        ProgramType pt = env.input.programType();
        if (pt != ProgramType.SOCKET_FILTER && pt != ProgramType.SCHED_CLS && pt != ProgramType.SCHED_ACT) {
            throw env.reject("BPF_LD_[ABS|IND] instructions not allowed for this program type");
        }
        if (s.dst() != 0 || s.off() != 0 || !insn.indirect() && s.src() != 0) {
            throw env.reject("BPF_LD_[ABS|IND] uses reserved fields");
        }
        env.src(6);
        CallChecks.checkResourceLeak(env, false, true, "BPF_LD_[ABS|IND]");
        if (!(env.regs()[6] instanceof Reg.Ptr p6) || p6.type() != Reg.PtrType.CTX) {
            throw env.reject("at the time of BPF_LD_ABS|IND R6 != pointer to skb");
        }
        if (insn.indirect()) {
            env.src(s.src());
        }
        checkPtrOffReg(p6, 6, false);
        for (int r = 0; r <= 5; r++) {
            env.regs()[r] = Reg.NotInit.INSTANCE;
            env.markRegScratched(r);
        }
        env.markUnknown(0);
    }
}
