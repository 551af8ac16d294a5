package io.bpf4j.relocator.core;

import io.bpf4j.isa.abi.Errno;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfKind;
import io.bpf4j.elf.btf.BtfType;
import java.util.List;

/**
 * libbpf's three CO-RE compatibility relations between a local and a target type. Each
 * returns 1 (compatible), 0 (not) or a negative errno; a result below zero aborts the
 * relocation. Modifiers and typedefs are skipped everywhere.
 */
final class TypeRelations {
    static final int EINVAL = -Errno.EINVAL.number();
    private static final int MAX_DEPTH = 32;

    private TypeRelations() {}

    /**
     * Field compatibility ({@code bpf_core_fields_are_compat}): any two composites; pointers;
     * floats; FWD/ENUM/ENUM64 with equal essential names or an anonymous side; INTs with no
     * encoded bit offset; arrays by element type.
     */
    static int fieldsAreCompat(Btf local, int localId, Btf targ, int targId) {
        while (true) {
            BtfType l = local.resolve(localId);
            BtfType t = targ.resolve(targId);
            if (l instanceof BtfType.Composite && t instanceof BtfType.Composite) return 1;
            if (!CoreTarget.kindsCompatible(l, t)) return 0;
            switch (l.kind()) {
                case PTR:
                case FLOAT:
                    return 1;
                case FWD:
                case ENUM:
                case ENUM64: {
                    int ll = CoreNames.essentialLength(l.name());
                    int tl = CoreNames.essentialLength(t.name());
                    return ll == 0 || tl == 0 || (ll == tl && l.name().regionMatches(0, t.name(), 0, ll)) ? 1 : 0;
                }
                case INT:
                    return ((BtfType.Int) l).bitOffset() == 0 && ((BtfType.Int) t).bitOffset() == 0 ? 1 : 0;
                case ARRAY:
                    localId = ((BtfType.Array) l).elementType();
                    targId = ((BtfType.Array) t).elementType();
                    continue;
                default:
                    return 0;
            }
        }
    }

    /**
     * Loose type compatibility ({@code bpf_core_types_are_compat}) for TYPE_EXISTS, TYPE_SIZE
     * and TYPE_ID_TARGET: the root names already matched, names below are ignored.
     */
    static int typesAreCompat(Btf local, int localId, Btf targ, int targId, List<String> log) {
        return typesAreCompat(local, localId, targ, targId, MAX_DEPTH, log);
    }

    private static int typesAreCompat(Btf local, int localId, Btf targ, int targId, int level, List<String> log) {
        if (!CoreTarget.kindsCompatible(local.type(localId), targ.type(targId))) return 0;
        int depth = MAX_DEPTH;
        while (true) {
            if (--depth < 0) return EINVAL;
            BtfType l = local.resolve(localId);
            BtfType t = targ.resolve(targId);
            localId = l.id();
            targId = t.id();
            if (!CoreTarget.kindsCompatible(l, t)) return 0;
            switch (l.kind()) {
                case UNKN:
                case STRUCT:
                case UNION:
                case ENUM:
                case FWD:
                case ENUM64:
                    return 1;
                case INT:
                    return ((BtfType.Int) l).bitOffset() == 0 && ((BtfType.Int) t).bitOffset() == 0 ? 1 : 0;
                case PTR:
                    localId = ((BtfType.Ptr) l).type();
                    targId = ((BtfType.Ptr) t).type();
                    continue;
                case ARRAY:
                    localId = ((BtfType.Array) l).elementType();
                    targId = ((BtfType.Array) t).elementType();
                    continue;
                case FUNC_PROTO: {
                    BtfType.FuncProto lp = (BtfType.FuncProto) l;
                    BtfType.FuncProto tp = (BtfType.FuncProto) t;
                    if (lp.params().size() != tp.params().size()) return 0;
                    for (int i = 0; i < lp.params().size(); i++) {
                        if (level <= 0) return EINVAL;
                        int err = typesAreCompat(local, local.resolve(lp.params().get(i).type()).id(), targ,
                                targ.resolve(tp.params().get(i).type()).id(), level - 1, log);
                        if (err <= 0) return err;
                    }
                    localId = local.resolve(lp.returnType()).id();
                    targId = targ.resolve(tp.returnType()).id();
                    continue;
                }
                default:
                    log.add("unexpected kind " + CoreNames.kindString(l.kind()) + " relocated, local [" + localId
                            + "], target [" + targId + "]");
                    return 0;
            }
        }
    }

    /** Whether two names match for TYPE_MATCHES: an anonymous target only matches an anonymous local. */
    private static boolean namesMatch(String local, String targ) {
        if (targ.isEmpty()) return local.isEmpty();
        return CoreNames.sameEssential(local, targ);
    }

    /**
     * Strict matching ({@code bpf_core_types_match}) for TYPE_MATCHES: names match by essential
     * name at every level, ints by size and signedness, enums by size and local enumerator
     * names, composites member by member (only the kind behind a pointer), arrays by length.
     */
    static int typesMatch(Btf local, int localId, Btf targ, int targId, List<String> log) {
        return typesMatch(local, localId, targ, targId, false, MAX_DEPTH, log);
    }

    private static int typesMatch(Btf local, int localId, Btf targ, int targId, boolean behindPtr, int level, List<String> log) {
        if (level <= 0) return EINVAL;
        int depth = MAX_DEPTH;
        while (true) {
            if (--depth < 0) return EINVAL;
            BtfType l = local.resolve(localId);
            BtfType t = targ.resolve(targId);
            localId = l.id();
            targId = t.id();
            if (!namesMatch(l.name(), t.name())) return 0;
            BtfKind lk = l.kind();
            BtfKind tk = t.kind();
            switch (lk) {
                case UNKN:
                    return lk == tk ? 1 : 0;
                case FWD: {
                    boolean lf = ((BtfType.Fwd) l).union();
                    if (behindPtr) {
                        if (lk == tk) return lf == ((BtfType.Fwd) t).union() ? 1 : 0;
                        return (tk == BtfKind.STRUCT && !lf) || (tk == BtfKind.UNION && lf) ? 1 : 0;
                    }
                    if (lk != tk) return 0;
                    return lf == ((BtfType.Fwd) t).union() ? 1 : 0;
                }
                case ENUM:
                case ENUM64:
                    if (!(t instanceof BtfType.Enumeration)) return 0;
                    return enumsMatch((BtfType.Enumeration) l, (BtfType.Enumeration) t);
                case STRUCT:
                case UNION:
                    if (behindPtr) {
                        if (lk == tk) return 1;
                        if (tk != BtfKind.FWD) return 0;
                        return (lk == BtfKind.UNION) == ((BtfType.Fwd) t).union() ? 1 : 0;
                    }
                    if (lk != tk) return 0;
                    return compositesMatch(local, (BtfType.Composite) l, targ, (BtfType.Composite) t, behindPtr, level, log);
                case INT: {
                    if (lk != tk) return 0;
                    BtfType.Int li = (BtfType.Int) l;
                    BtfType.Int ti = (BtfType.Int) t;
                    return li.size() == ti.size() && li.isSigned() == ti.isSigned() ? 1 : 0;
                }
                case PTR:
                    if (lk != tk) return 0;
                    behindPtr = true;
                    localId = ((BtfType.Ptr) l).type();
                    targId = ((BtfType.Ptr) t).type();
                    continue;
                case ARRAY: {
                    if (lk != tk) return 0;
                    BtfType.Array la = (BtfType.Array) l;
                    BtfType.Array ta = (BtfType.Array) t;
                    if (la.elements() != ta.elements()) return 0;
                    localId = la.elementType();
                    targId = ta.elementType();
                    continue;
                }
                case FUNC_PROTO: {
                    if (lk != tk) return 0;
                    BtfType.FuncProto lp = (BtfType.FuncProto) l;
                    BtfType.FuncProto tp = (BtfType.FuncProto) t;
                    if (lp.params().size() != tp.params().size()) return 0;
                    for (int i = 0; i < lp.params().size(); i++) {
                        int err = typesMatch(local, lp.params().get(i).type(), targ, tp.params().get(i).type(), behindPtr, level - 1, log);
                        if (err <= 0) return err;
                    }
                    localId = lp.returnType();
                    targId = tp.returnType();
                    continue;
                }
                default:
                    log.add("unexpected kind " + CoreNames.kindString(lk) + " relocated, local [" + localId + "], target [" + targId + "]");
                    return 0;
            }
        }
    }

    private static int enumsMatch(BtfType.Enumeration l, BtfType.Enumeration t) {
        if (l.size() != t.size()) return 0;
        if (l.values().size() > t.values().size()) return 0;
        for (BtfType.EnumValue lv : l.values()) {
            boolean matched = false;
            for (BtfType.EnumValue tv : t.values()) {
                if (namesMatch(lv.name(), tv.name())) {
                    matched = true;
                    break;
                }
            }
            if (!matched) return 0;
        }
        return 1;
    }

    private static int compositesMatch(Btf local, BtfType.Composite l, Btf targ, BtfType.Composite t, boolean behindPtr,
                                       int level, List<String> log) {
        if (l.members().size() > t.members().size()) return 0;
        for (BtfType.Member lm : l.members()) {
            boolean matched = false;
            for (BtfType.Member tm : t.members()) {
                if (!namesMatch(lm.name(), tm.name())) continue;
                int err = typesMatch(local, lm.type(), targ, tm.type(), behindPtr, level - 1, log);
                if (err < 0) return err;
                if (err > 0) {
                    matched = true;
                    break;
                }
            }
            if (!matched) return 0;
        }
        return 1;
    }
}
