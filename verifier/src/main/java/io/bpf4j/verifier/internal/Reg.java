package io.bpf4j.verifier.internal;

import io.bpf4j.verifier.internal.scalar.Scalar;

/**
 * The abstract value of one register (or spilled stack slot): the kernel's
 * {@code struct bpf_reg_state} split into its kinds. Immutable; every transfer returns a new one.
 */
sealed interface Reg permits Reg.NotInit, Reg.ScalarReg, Reg.Ptr {

    /** Never written on this path: reading it is {@code R%d !read_ok}. */
    record NotInit() implements Reg {
        static final NotInit INSTANCE = new NotInit();
    }

    /**
     * A number. {@code id} links copies of the same value (0: none); with {@code addConst} the
     * register equals the linked one plus {@code delta} (the kernel's BPF_ADD_CONST).
     * {@code precise}: a later check depends on the exact value, so pruning must compare it
     * (set on checkpoints by backtracking, never compared by {@code equals}-style checks that
     * the kernel makes byte-wise up to the id).
     */
    record ScalarReg(Scalar v, int id, boolean addConst, int delta, boolean precise) implements Reg {
        static final ScalarReg UNKNOWN = new ScalarReg(Scalar.unknown(), 0, false, 0, false);

        ScalarReg(Scalar v, int id, boolean addConst, int delta) {
            this(v, id, addConst, delta, false);
        }

        static ScalarReg of(Scalar v) {
            return new ScalarReg(v, 0, false, 0);
        }

        static ScalarReg constant(long c) {
            return of(Scalar.constant(c));
        }

        ScalarReg withValue(Scalar nv) {
            return new ScalarReg(nv, id, addConst, delta, precise);
        }

        ScalarReg withoutId() {
            return id == 0 && !addConst ? this : new ScalarReg(v, 0, false, 0, precise);
        }

        ScalarReg withPrecise(boolean p) {
            return p == precise ? this : new ScalarReg(v, id, addConst, delta, p);
        }

        /** The same value and links, ignoring the precision mark (the kernel's memcmp up to frameno). */
        boolean sameAs(ScalarReg o) {
            return v.equals(o.v) && id == o.id && addConst == o.addConst && delta == o.delta;
        }
    }

    /**
     * A pointer: its base type and flags, the fixed offset {@code off}, the variable part
     * {@code var} (a scalar, constant 0 for most), and the type-specific fields the kernel keeps
     * in a union (map, packet range, memory size, stack frame, subprogram).
     */
    record Ptr(PtrType type, boolean maybeNull, boolean rdonly, boolean ringbuf, int off, Scalar var, int id,
               int refObjId, MapRef map, int range, int memSize, int frameno, int subprog, BtfRef btf,
               DynptrRef dynptr) implements Reg {
        /** A pointer that is not a dynptr slice. */
        Ptr(PtrType type, boolean maybeNull, boolean rdonly, boolean ringbuf, int off, Scalar var, int id,
            int refObjId, MapRef map, int range, int memSize, int frameno, int subprog, BtfRef btf) {
            this(type, maybeNull, rdonly, ringbuf, off, var, id, refObjId, map, range, memSize, frameno, subprog, btf, null);
        }

        /** A pointer that is not BTF-typed. */
        Ptr(PtrType type, boolean maybeNull, boolean rdonly, boolean ringbuf, int off, Scalar var, int id,
            int refObjId, MapRef map, int range, int memSize, int frameno, int subprog) {
            this(type, maybeNull, rdonly, ringbuf, off, var, id, refObjId, map, range, memSize, frameno, subprog, null, null);
        }

        /** A {@code PTR_TO_BTF_ID} to {@code btf}'s type. */
        static Ptr btf(BtfRef btf, boolean maybeNull, int id) {
            return new Ptr(PtrType.BTF_ID, maybeNull, false, false, 0, Scalar.constant(0), id, 0, null, 0, 0, 0, 0, btf);
        }

        static Ptr of(PtrType type) {
            return new Ptr(type, false, false, false, 0, Scalar.constant(0), 0, 0, null, 0, 0, 0, 0);
        }

        static Ptr stack(int frameno) {
            return new Ptr(PtrType.STACK, false, false, false, 0, Scalar.constant(0), 0, 0, null, 0, 0, frameno, 0);
        }

        static Ptr map(PtrType type, MapRef map, int off, int id, boolean maybeNull) {
            return new Ptr(type, maybeNull, false, false, off, Scalar.constant(0), id, 0, map, 0, 0, 0, 0);
        }

        Ptr withOff(int o) {
            return new Ptr(type, maybeNull, rdonly, ringbuf, o, var, id, refObjId, map, range, memSize, frameno, subprog, btf, dynptr);
        }

        Ptr withVar(Scalar v) {
            return new Ptr(type, maybeNull, rdonly, ringbuf, off, v, id, refObjId, map, range, memSize, frameno, subprog, btf, dynptr);
        }

        Ptr withId(int i) {
            return new Ptr(type, maybeNull, rdonly, ringbuf, off, var, i, refObjId, map, range, memSize, frameno, subprog, btf, dynptr);
        }

        Ptr withRange(int r) {
            return new Ptr(type, maybeNull, rdonly, ringbuf, off, var, id, refObjId, map, r, memSize, frameno, subprog, btf, dynptr);
        }

        Ptr withType(PtrType t, boolean nullable) {
            return new Ptr(t, nullable, rdonly, ringbuf, off, var, id, refObjId, map, range, memSize, frameno, subprog, btf, dynptr);
        }

        Ptr withRefObjId(int r) {
            return new Ptr(type, maybeNull, rdonly, ringbuf, off, var, id, r, map, range, memSize, frameno, subprog, btf, dynptr);
        }

        /** The same pointer tied to a dynptr (see {@link DynptrRef}). */
        Ptr withDynptr(DynptrRef d) {
            return new Ptr(type, maybeNull, rdonly, ringbuf, off, var, id, refObjId, map, range, memSize, frameno, subprog, btf, d);
        }

        /** reg_is_dynptr_slice_pkt: a slice of an skb or xdp dynptr, invalidated when packet data changes. */
        boolean isPacketSlice() {
            return type == PtrType.MEM && dynptr != null
                    && (dynptr.kind() == FuncState.DynptrKind.SKB || dynptr.kind() == FuncState.DynptrKind.XDP);
        }

        boolean constOffset() {
            return var.isConst();
        }

        boolean isPacket() {
            return type == PtrType.PACKET || type == PtrType.PACKET_META;
        }

        /** The kernel's {@code reg_type_str}. */
        String typeName() {
            if (type == PtrType.BTF_ID) {
                // BTF pointers put or_null_ after ptr_; the printer appends the struct's name
                return (rdonly ? "rdonly_" : "") + (btf == null ? "" : btf.flagPrefix()) + type.kernelName
                        + (maybeNull ? "or_null_" : "");
            }
            return (rdonly ? "rdonly_" : "") + (ringbuf ? "ringbuf_" : "") + type.kernelName + (maybeNull ? "_or_null" : "");
        }
    }

    /**
     * The dynptr a pointer is tied to. For a PTR_TO_MEM slice of a dynptr's data: the dynptr's id
     * ({@code dynptr_id}: the slice dies with it) and the dynptr type flag a kfunc slice carries
     * (null for bpf_dynptr_data's). For a CONST_PTR_TO_DYNPTR (a callback's read-only dynptr):
     * the dynptr's own id and type.
     */
    record DynptrRef(int id, FuncState.DynptrKind kind) {
    }

    /** Base pointer types with the names {@code reg_type_str} prints. */
    enum PtrType {
        CTX("ctx"), CONST_MAP("map_ptr"), MAP_VALUE("map_value"), STACK("fp"), PACKET("pkt"),
        PACKET_META("pkt_meta"), PACKET_END("pkt_end"), FLOW_KEYS("flow_keys"), SOCKET("sock"),
        SOCK_COMMON("sock_common"), TCP_SOCK("tcp_sock"), TP_BUFFER("tp_buffer"), XDP_SOCK("xdp_sock"),
        MEM("mem"), BUF("buf"), FUNC("func"), MAP_KEY("map_key"),
        /** 6.19's PTR_TO_INSN: an entry loaded from a jump table, what {@code gotox} takes. */
        INSN("insn"),
        /** PTR_TO_BTF_ID: kernel memory typed by BTF ({@link BtfRef}). */
        BTF_ID("ptr_"),
        /** CONST_PTR_TO_DYNPTR: a dynptr a callback is given ({@link Ptr#dynptr()}), not on the program's stack. */
        CONST_DYNPTR("dynptr_ptr");

        final String kernelName;

        PtrType(String kernelName) {
            this.kernelName = kernelName;
        }
    }
}
