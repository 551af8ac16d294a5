package io.bpf4j.loader;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.verifier.KfuncSignature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verifier's view of the kfuncs a program calls: each call's BTF id looked up in the kernel
 * BTF the loader resolved it against, its FUNC_PROTO read with modifiers and typedefs skipped
 * (the kernel's {@code btf_type_skip_modifiers}).
 */
final class KfuncSignatures {
    private KfuncSignatures() {}

    /** The signature of every kfunc id in {@code kfuncs} that names a FUNC of {@code btf}. */
    static Map<Integer, KfuncSignature> of(Map<Integer, String> kfuncs, Btf btf) {
        Map<Integer, KfuncSignature> out = new LinkedHashMap<>();
        if (btf == null) {
            return out;
        }
        for (Map.Entry<Integer, String> k : kfuncs.entrySet()) {
            int id = k.getKey();
            if (id < 1 || id >= btf.typeCount() || !(btf.type(id) instanceof BtfType.Func f)
                    || !(btf.type(f.type()) instanceof BtfType.FuncProto proto)) {
                continue;
            }
            List<KfuncSignature.Type> params = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (BtfType.Param p : proto.params()) {
                params.add(type(btf, p.type()));
                names.add(p.name() == null ? "" : p.name());
            }
            out.put(id, new KfuncSignature(f.name(), params, type(btf, proto.returnType()), names));
        }
        return out;
    }

    private static KfuncSignature.Type type(Btf btf, int id) {
        if (id == 0) {
            return new KfuncSignature.Type(KfuncSignature.Kind.VOID, 0, "");
        }
        BtfType t = btf.resolve(id);
        if (isScalar(t)) {
            return new KfuncSignature.Type(KfuncSignature.Kind.SCALAR, (int) btf.sizeOf(t.id()), "");
        }
        if (t instanceof BtfType.Ptr p) {
            if (p.type() == 0) {
                return new KfuncSignature.Type(KfuncSignature.Kind.PTR_TO_VOID, 0, "");
            }
            BtfType to = btf.resolve(p.type());
            if (to instanceof BtfType.Void) {
                return new KfuncSignature.Type(KfuncSignature.Kind.PTR_TO_VOID, 0, "");
            }
            if (isScalar(to)) {
                return new KfuncSignature.Type(KfuncSignature.Kind.PTR_TO_SCALAR, (int) btf.sizeOf(to.id()), "");
            }
            if (to instanceof BtfType.Struct s) {
                return new KfuncSignature.Type(KfuncSignature.Kind.PTR_TO_STRUCT, (int) s.size(), s.name(), s.id());
            }
        }
        return new KfuncSignature.Type(KfuncSignature.Kind.OTHER, 0, "");
    }

    private static boolean isScalar(BtfType t) {
        return t instanceof BtfType.Int || t instanceof BtfType.Enumeration;
    }
}
