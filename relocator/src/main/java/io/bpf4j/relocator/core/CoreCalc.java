package io.bpf4j.relocator.core;

import io.bpf4j.isa.abi.Errno;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.btf.CoreRelo;
import io.bpf4j.elf.btf.CoreReloKind;
import java.nio.ByteOrder;
import java.util.List;

/** Computing a relocation's expected (local) and new (target) values, as libbpf's {@code bpf_core_calc_relo}. */
final class CoreCalc {
    static final int EINVAL = -Errno.EINVAL.number();
    static final int E2BIG = -Errno.E2BIG.number();
    static final int EOPNOTSUPP = -Errno.EOPNOTSUPP.number();
    /** libbpf's internal "poison this instruction" signal. */
    private static final int EUCLEAN = -Errno.EUCLEAN.number();

    private CoreCalc() {}

    /** libbpf's {@code bpf_core_relo_res}. Values are u64 bit patterns in a long. */
    static final class Res {
        long origVal;
        long newVal;
        boolean poison;
        boolean validate = true;
        boolean failMemszAdjust;
        long origSz;
        long newSz;
        int origTypeId;
        int newTypeId;

        Res copy() {
            Res r = new Res();
            r.origVal = origVal;
            r.newVal = newVal;
            r.poison = poison;
            r.validate = validate;
            r.failMemszAdjust = failMemszAdjust;
            r.origSz = origSz;
            r.newSz = newSz;
            r.origTypeId = origTypeId;
            r.newTypeId = newTypeId;
            return r;
        }
    }

    /** One side's field result. */
    private static final class Field {
        long val;
        long fieldSz;
        int typeId;
        boolean validate = true;
    }

    /**
     * Computes the result from the local spec and the target spec ({@code null} when no
     * candidate matched). Returns 0 or a negative errno; a missing target that cannot be
     * expressed as a value sets {@link Res#poison}.
     */
    static int calc(String progName, CoreRelo relo, int reloIdx, CoreSpec local, CoreSpec targ, Res res, ByteOrder order,
                    List<String> log) {
        res.origVal = 0;
        res.newVal = 0;
        res.poison = false;
        res.validate = true;
        res.failMemszAdjust = false;
        res.origSz = res.newSz = 0;
        res.origTypeId = res.newTypeId = 0;
        int err;
        CoreReloKind kind = relo.kind();
        if (kind.isFieldBased()) {
            Field lf = new Field();
            err = field(progName, relo, local, lf, order, log);
            if (err == 0) {
                res.origVal = lf.val;
                res.origSz = lf.fieldSz;
                res.origTypeId = lf.typeId;
                res.validate = lf.validate;
                Field tf = new Field();
                err = field(progName, relo, targ, tf, order, log);
                if (err == 0) {
                    res.newVal = tf.val;
                    res.newSz = tf.fieldSz;
                    res.newTypeId = tf.typeId;
                    res.failMemszAdjust = false;
                    if (res.origSz != res.newSz) {
                        BtfType o = local.btf.type(res.origTypeId);
                        BtfType n = targ.btf.type(res.newTypeId);
                        // Reading a narrower pointer or unsigned integer zero-extends correctly;
                        // any other size change would read a wrong value.
                        boolean ptrs = o instanceof BtfType.Ptr && n instanceof BtfType.Ptr;
                        boolean unsignedInts = o instanceof BtfType.Int && n instanceof BtfType.Int
                                && ((BtfType.Int) o).encoding() != BtfType.Int.SIGNED && ((BtfType.Int) n).encoding() != BtfType.Int.SIGNED;
                        res.failMemszAdjust = !(ptrs || unsignedInts);
                    }
                } else if (err == EUCLEAN) {
                    res.newSz = tf.fieldSz;
                }
            } else {
                res.origSz = lf.fieldSz;
            }
        } else if (kind.isTypeBased()) {
            long[] v = new long[1];
            boolean[] validate = {true};
            err = type(relo, local, v, validate);
            res.origVal = v[0];
            res.validate = validate[0];
            if (err == 0) {
                err = type(relo, targ, v, new boolean[1]);
                if (err == 0) res.newVal = v[0];
            }
        } else {
            long[] v = new long[1];
            err = enumValue(relo, local, v);
            res.origVal = v[0];
            if (err == 0) {
                v[0] = 0;
                err = enumValue(relo, targ, v);
                if (err == 0) res.newVal = v[0];
            }
        }
        if (err == EUCLEAN) {
            res.poison = true;
            err = 0;
        } else if (err == EOPNOTSUPP) {
            log.add("prog '" + progName + "': relo #" + reloIdx + ": unrecognized CO-RE relocation " + CoreSpec.kindString(kind)
                    + " (" + kind.number() + ") at insn #" + relo.insnOffset() / 8);
        }
        return err;
    }

    private static int field(String progName, CoreRelo relo, CoreSpec spec, Field out, ByteOrder order, List<String> log) {
        out.fieldSz = 0;
        CoreReloKind kind = relo.kind();
        if (kind == CoreReloKind.FIELD_EXISTS) {
            out.val = spec != null ? 1 : 0;
            return 0;
        }
        if (spec == null) return EUCLEAN;
        Btf btf = spec.btf;
        CoreSpec.Accessor acc = spec.last();
        if (acc.name == null) {
            if (kind == CoreReloKind.FIELD_BYTE_OFFSET) {
                out.val = spec.bitOffset / 8;
                long sz = elementSize(btf, acc.typeId);
                if (sz < 0) return EINVAL;
                out.fieldSz = sz;
                out.typeId = acc.typeId;
            } else if (kind == CoreReloKind.FIELD_BYTE_SIZE) {
                long sz = SpecMatcher.sizeOf(btf, acc.typeId);
                if (sz < 0) return EINVAL;
                out.val = sz;
            } else {
                log.add("prog '" + progName + "': relo " + kind.number() + " at insn #" + relo.insnOffset() / 8
                        + " can't be applied to array access");
                return EINVAL;
            }
            out.validate = true;
            return 0;
        }
        BtfType.Composite t = (BtfType.Composite) btf.type(acc.typeId);
        BtfType.Member m = t.members().get(acc.idx);
        BtfType mt = btf.resolve(m.type());
        int fieldTypeId = mt.id();
        long bitOff = spec.bitOffset;
        long bitSz = m.bitfieldSize();
        boolean bitfield = bitSz > 0;
        long byteSz;
        long byteOff;
        if (bitfield) {
            byteSz = declaredSize(mt);
            if (byteSz == 0) return EINVAL;
            byteOff = bitOff / 8 / byteSz * byteSz;
            while (bitOff + bitSz - byteOff * 8 > byteSz * 8) {
                if (byteSz >= 8) {
                    log.add("prog '" + progName + "': relo " + kind.number() + " at insn #" + relo.insnOffset() / 8
                            + " can't be satisfied for bitfield");
                    return E2BIG;
                }
                byteSz *= 2;
                byteOff = bitOff / 8 / byteSz * byteSz;
            }
        } else {
            long sz = SpecMatcher.sizeOf(btf, fieldTypeId);
            if (sz < 0) return EINVAL;
            byteSz = sz;
            byteOff = spec.bitOffset / 8;
            bitSz = (byteSz * 8) & 0xffffffffL;
        }
        // The compiler and libbpf may legitimately disagree on how to read a bitfield, so only
        // the unambiguous values (signedness, right shift) are checked against the instruction.
        out.validate = !bitfield;
        switch (kind) {
            case FIELD_BYTE_OFFSET:
                out.val = byteOff;
                if (!bitfield) {
                    long sz = elementSize(btf, fieldTypeId);
                    if (sz < 0) return EINVAL;
                    out.fieldSz = sz;
                    out.typeId = fieldTypeId;
                }
                break;
            case FIELD_BYTE_SIZE:
                out.val = byteSz;
                break;
            case FIELD_SIGNED:
                out.val = (mt instanceof BtfType.Enumeration && ((BtfType.Enumeration) mt).signed())
                        || (mt instanceof BtfType.Int && ((BtfType.Int) mt).isSigned()) ? 1 : 0;
                out.validate = true;
                break;
            case FIELD_LSHIFT_U64:
                if (order == ByteOrder.LITTLE_ENDIAN) {
                    out.val = (64 - (bitOff + bitSz - byteOff * 8)) & 0xffffffffL;
                } else {
                    out.val = ((8 - byteSz) * 8 + (bitOff - byteOff * 8)) & 0xffffffffL;
                }
                break;
            case FIELD_RSHIFT_U64:
                out.val = (64 - bitSz) & 0xffffffffL;
                out.validate = true;
                break;
            default:
                return EOPNOTSUPP;
        }
        return 0;
    }

    /** The size a load of this field uses: arrays count by element (libbpf ≥ 1.5). */
    private static long elementSize(Btf btf, int typeId) {
        BtfType t = btf.resolve(typeId);
        while (t instanceof BtfType.Array) {
            t = btf.resolve(((BtfType.Array) t).elementType());
        }
        return SpecMatcher.sizeOf(btf, t.id());
    }

    /** The {@code size} field of a sized type (a bitfield member's INT or ENUM). */
    private static long declaredSize(BtfType t) {
        if (t instanceof BtfType.Int) return ((BtfType.Int) t).size();
        if (t instanceof BtfType.Enumeration) return ((BtfType.Enumeration) t).size();
        if (t instanceof BtfType.Composite) return ((BtfType.Composite) t).size();
        if (t instanceof BtfType.Float) return ((BtfType.Float) t).size();
        return 0;
    }

    private static int type(CoreRelo relo, CoreSpec spec, long[] val, boolean[] validate) {
        validate[0] = true;
        if (spec == null) {
            val[0] = 0;
            return 0;
        }
        switch (relo.kind()) {
            case TYPE_ID_TARGET:
                val[0] = Integer.toUnsignedLong(spec.rootTypeId);
                // the id in the instruction may have changed when objects were linked
                validate[0] = false;
                return 0;
            case TYPE_EXISTS:
            case TYPE_MATCHES:
                val[0] = 1;
                return 0;
            case TYPE_SIZE: {
                long sz = SpecMatcher.sizeOf(spec.btf, spec.rootTypeId);
                if (sz < 0) return EINVAL;
                val[0] = sz;
                return 0;
            }
            default:
                return EOPNOTSUPP;
        }
    }

    private static int enumValue(CoreRelo relo, CoreSpec spec, long[] val) {
        switch (relo.kind()) {
            case ENUMVAL_EXISTS:
                val[0] = spec != null ? 1 : 0;
                return 0;
            case ENUMVAL_VALUE: {
                if (spec == null) return EUCLEAN;
                BtfType t = spec.btf.type(spec.spec[0].typeId);
                BtfType.EnumValue v = ((BtfType.Enumeration) t).values().get(spec.spec[0].idx);
                val[0] = CoreSpec.enumValue(t, v);
                return 0;
            }
            default:
                return EOPNOTSUPP;
        }
    }
}
