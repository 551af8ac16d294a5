package io.bpf4j.elf.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * C-like type names and function signatures from BTF, as bpftool prints them above a function
 * in {@code prog dump xlated}: {@code int tc_calls(struct __sk_buff * skb)} — a pointer is the
 * pointee's name followed by {@code " *"}, and a parameter's name follows its type after a space.
 */
public final class BtfSignatures {
    private static final int MAX_DEPTH = Btf.MAX_RESOLVE_DEPTH;

    private BtfSignatures() {}

    /** The signature of FUNC {@code funcId}, or null when that id is not a FUNC with a prototype. */
    public static String function(Btf btf, int funcId) {
        if (funcId <= 0 || funcId >= btf.typeCount() || !(btf.type(funcId) instanceof BtfType.Func func)) {
            return null;
        }
        if (func.type() <= 0 || func.type() >= btf.typeCount() || !(btf.type(func.type()) instanceof BtfType.FuncProto proto)) {
            return null;
        }
        List<String> params = new ArrayList<>();
        for (BtfType.Param p : proto.params()) {
            if (p.type() == 0) {
                params.add("...");
            } else {
                params.add(typeName(btf, p.type()) + (p.name().isEmpty() ? "" : " " + p.name()));
            }
        }
        return typeName(btf, proto.returnType()) + " " + func.name() + "(" + (params.isEmpty() ? "void" : String.join(", ", params)) + ")";
    }

    /** The C name of type {@code id} ({@code void} for 0). */
    public static String typeName(Btf btf, int id) {
        return typeName(btf, id, 0);
    }

    private static String typeName(Btf btf, int id, int depth) {
        if (id == 0) {
            return "void";
        }
        if (depth > MAX_DEPTH || id < 0 || id >= btf.typeCount()) {
            return "?";
        }
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Ptr p) {
            return typeName(btf, p.type(), depth + 1) + " *";
        }
        if (t instanceof BtfType.Const c) {
            return "const " + typeName(btf, c.type(), depth + 1);
        }
        if (t instanceof BtfType.Volatile v) {
            return "volatile " + typeName(btf, v.type(), depth + 1);
        }
        if (t instanceof BtfType.Restrict r) {
            return typeName(btf, r.type(), depth + 1) + " restrict";
        }
        if (t instanceof BtfType.TypeTag tag) {
            return typeName(btf, tag.type(), depth + 1);
        }
        if (t instanceof BtfType.Array a) {
            return typeName(btf, a.elementType(), depth + 1) + "[" + a.elements() + "]";
        }
        if (t instanceof BtfType.Struct) {
            return "struct " + anon(t.name());
        }
        if (t instanceof BtfType.Union) {
            return "union " + anon(t.name());
        }
        if (t instanceof BtfType.Enum || t instanceof BtfType.Enum64) {
            return "enum " + anon(t.name());
        }
        if (t instanceof BtfType.Fwd f) {
            return (f.union() ? "union " : "struct ") + t.name();
        }
        if (t instanceof BtfType.FuncProto) {
            return "func_proto";
        }
        return anon(t.name());
    }

    private static String anon(String name) {
        return name.isEmpty() ? "(anon)" : name;
    }
}
