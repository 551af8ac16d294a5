package io.bpf4j.verifier.internal;

import io.bpf4j.verifier.internal.scalar.Scalar;
import io.bpf4j.verifier.internal.scalar.Tnum;

/**
 * Prints registers and stack slots in 6.18's log grammar ({@code print_verifier_state},
 * {@code print_reg_state}, {@code print_scalar_ranges}). No liveness suffixes: 6.18 dropped them.
 * Precise scalars carry the {@code P} mark.
 */
final class StatePrinter {
    private StatePrinter() {}

    static String unum(long v) {
        return Long.compareUnsigned(v, 65535) <= 0 ? Long.toString(v) : "0x" + Long.toHexString(v);
    }

    static String snum(long v) {
        return v >= -32768 && v <= 32767 ? Long.toString(v) : "0x" + Long.toHexString(v);
    }

    static String tnum(Tnum t) {
        if (t.mask() == 0) {
            return unum(t.value());
        }
        return "(0x" + Long.toHexString(t.value()) + "; 0x" + Long.toHexString(t.mask()) + ")";
    }

    static void reg(StringBuilder sb, FuncState frame, Reg r) {
        if (r instanceof Reg.ScalarReg s) {
            Scalar v = s.v();
            if (s.precise()) {
                sb.append('P');
            }
            if (v.varOff().isConst()) {
                sb.append(snum(v.varOff().value()));
                return;
            }
            sb.append("scalar(");
            String sep = "";
            if (s.id() != 0) {
                sb.append("id=").append(s.id());
                sep = ",";
            }
            if (s.addConst()) {
                sb.append(s.delta() >= 0 ? "+" : "").append(s.delta());
            }
            sep = ranges(sb, v, sep);
            if (!v.varOff().isUnknown()) {
                sb.append(sep).append("var_off=").append(tnum(v.varOff()));
            }
            sb.append(')');
            return;
        }
        if (r instanceof Reg.Ptr p) {
            sb.append(p.typeName());
            if (p.type() == Reg.PtrType.BTF_ID && p.btf() != null) {
                sb.append(p.btf().name());
            }
            if (p.type() == Reg.PtrType.STACK) {
                if (frame != null && frame.frameno != p.frameno()) {
                    sb.append('[').append(p.frameno()).append(']');
                }
                if (p.var().varOff().isConst()) {
                    sb.append(snum(p.var().varOff().value() + p.off()));
                    return;
                }
            }
            sb.append('(');
            String sep = "";
            if (p.id() != 0) {
                sb.append("id=").append(p.id());
                sep = ",";
            }
            if (p.refObjId() != 0) {
                sb.append(sep).append("ref_obj_id=").append(p.refObjId());
                sep = ",";
            }
            if (p.map() != null && (p.type() == Reg.PtrType.CONST_MAP || p.type() == Reg.PtrType.MAP_KEY
                    || p.type() == Reg.PtrType.MAP_VALUE)) {
                if (!p.map().name().isEmpty()) {
                    sb.append(sep).append("map=").append(p.map().name());
                    sep = ",";
                }
                sb.append(sep).append("ks=").append(p.map().keySize()).append(",vs=").append(p.map().valueSize());
                sep = ",";
            }
            if (p.off() != 0) {
                sb.append(sep).append("off=").append(snum(p.off()));
                sep = ",";
            }
            if (p.isPacket()) {
                sb.append(sep).append("r=").append(unum(p.range()));
                sep = ",";
            }
            if (p.type() == Reg.PtrType.MEM) {
                sb.append(sep).append("sz=").append(unum(p.memSize() & 0xffffffffL));
                sep = ",";
            }
            Tnum t = p.var().varOff();
            if (t.isConst()) {
                if (t.value() != 0) {
                    sb.append(sep).append("imm=").append(snum(t.value()));
                }
            } else {
                sep = ranges(sb, p.var(), sep);
                if (!t.isUnknown()) {
                    sb.append(sep).append("var_off=").append(tnum(t));
                }
            }
            sb.append(')');
            return;
        }
        sb.append('?');
    }

    private static String ranges(StringBuilder sb, Scalar v, String sep) {
        String[] names = {"smin", "smax", "umin", "umax", "smin32", "smax32", "umin32", "umax32"};
        long s32min = v.s32min();
        long s32max = v.s32max();
        long[] vals = {v.smin(), v.smax(), v.umin(), v.umax(),
                s32min >= -32768 && s32min <= 32767 ? s32min : s32min & 0xffffffffL,
                s32max >= -32768 && s32max <= 32767 ? s32max : s32max & 0xffffffffL,
                v.u32min() & 0xffffffffL, v.u32max() & 0xffffffffL};
        boolean[] omit = {v.smin() == Long.MIN_VALUE, v.smax() == Long.MAX_VALUE, v.umin() == 0, v.umax() == -1L,
                v.s32min() == Integer.MIN_VALUE, v.s32max() == Integer.MAX_VALUE, v.u32min() == 0, v.u32max() == -1};
        for (int i = 0; i < 8; i++) {
            if (omit[i]) {
                continue;
            }
            boolean neg1 = names[i].charAt(0) == 's' && vals[i] < 0;
            sb.append(sep).append(names[i]).append('=');
            sep = ",";
            for (int j = i + 2; j < 8; j += 2) {
                if (omit[j] || vals[j] != vals[i]) {
                    continue;
                }
                boolean neg2 = names[j].charAt(0) == 's' && vals[j] < 0;
                if (neg1 != neg2) {
                    continue;
                }
                omit[j] = true;
                sb.append(names[j]).append('=');
            }
            sb.append(names[i].charAt(0) == 's' ? snum(vals[i]) : unum(vals[i]));
        }
        return sep;
    }

    /** {@code print_verifier_state}: registers, stack slots, refs; {@code all} ignores the scratch marks. */
    static String frame(VState st, FuncState f, boolean all, int scratchedRegs, long scratchedStack) {
        StringBuilder sb = new StringBuilder();
        if (f.frameno != 0) {
            sb.append(" frame").append(f.frameno).append(':');
        }
        for (int i = 0; i < FuncState.MAX_REG; i++) {
            Reg r = f.regs[i];
            if (r instanceof Reg.NotInit || !all && (scratchedRegs & (1 << i)) == 0) {
                continue;
            }
            sb.append(" R").append(i).append('=');
            reg(sb, f, r);
        }
        int slots = f.allocated() / FuncState.REG_SIZE;
        for (int spi = 0; spi < slots; spi++) {
            if (!all && (spi >= 64 || (scratchedStack & (1L << spi)) == 0)) {
                continue;
            }
            String types = f.typeChars(spi);
            if (types.equals("????????")) {
                continue;
            }
            if (f.typeAt(-(spi + 1) * FuncState.REG_SIZE) == FuncState.ITER) {
                // only the slot holding the reference is printed
                FuncState.IterState it = f.iters[spi];
                if (it != null && it.refObjId() != 0) {
                    sb.append(" fp").append(-(spi + 1) * FuncState.REG_SIZE).append("=iter_").append(it.type())
                            .append("(ref_id=").append(it.refObjId()).append(",state=").append(it.active() ? "active" : "drained")
                            .append(",depth=").append(it.depth()).append(')');
                }
                continue;
            }
            if (f.typeAt(-(spi + 1) * FuncState.REG_SIZE) == FuncState.DYNPTR && f.dynptrs[spi] != null) {
                // met at its second (lower) slot: printed once, at the first
                int first = f.dynptrs[spi].first() ? spi : spi + 1;
                FuncState.DynptrState d = f.dynptrs[first];
                spi = first;
                if (d != null) {
                    sb.append(" fp").append(-(first + 1) * FuncState.REG_SIZE).append("=dynptr_").append(d.kind().text);
                    if (d.refObjId() != 0) {
                        sb.append("(ref_id=").append(d.refObjId()).append(')');
                    }
                }
                continue;
            }
            sb.append(" fp").append(-(spi + 1) * FuncState.REG_SIZE).append('=');
            if (f.isSpill(spi)) {
                sb.append(types, 0, types.indexOf('r'));
                reg(sb, f, f.spilled[spi]);
            } else {
                sb.append(types);
            }
        }
        if (!st.refs.isEmpty() && st.refs.get(0).id() != 0) {
            sb.append(" refs=").append(st.refs.get(0).id());
            for (int i = 1; i < st.refs.size(); i++) {
                if (st.refs.get(i).id() != 0) {
                    sb.append(',').append(st.refs.get(i).id());
                }
            }
        }
        if (f.inCallback) {
            sb.append(" cb");
        }
        sb.append('\n');
        return sb.toString();
    }
}
