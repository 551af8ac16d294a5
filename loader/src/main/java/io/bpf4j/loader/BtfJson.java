package io.bpf4j.loader;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BTF as JSON, field for field as {@code bpftool -j btf dump file OBJ} writes it:
 * {@code {"types": [{"id", "kind", "name", ...}]}} with bpftool's member names
 * ({@code type_id}, {@code bits_offset}, {@code ret_type_id}, {@code nr_elems}, {@code vlen}, ...),
 * {@code "(anon)"} for empty names and encodings as strings.
 */
final class BtfJson {
    private BtfJson() {}

    static Map<String, Object> types(Btf btf) {
        List<Map<String, Object>> types = new ArrayList<>();
        for (BtfType t : btf.types()) {
            types.add(type(btf, t));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("types", types);
        return root;
    }

    private static String name(String name) {
        return name.isEmpty() ? "(anon)" : name;
    }

    private static String intEncoding(int encoding) {
        switch (encoding) {
            case 0: return "(none)";
            case BtfType.Int.SIGNED: return "SIGNED";
            case BtfType.Int.CHAR: return "CHAR";
            case BtfType.Int.BOOL: return "BOOL";
            default: return "UNKN";
        }
    }

    private static Object enumValue(boolean signed, long value) {
        return signed || value >= 0 ? (Object) value : new BigInteger(Long.toUnsignedString(value));
    }

    private static Map<String, Object> type(Btf btf, BtfType t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("kind", t.kind().displayName());
        m.put("name", name(t.name()));
        if (t instanceof BtfType.Int) {
            BtfType.Int i = (BtfType.Int) t;
            m.put("size", i.size());
            m.put("bits_offset", i.bitOffset());
            m.put("nr_bits", i.bits());
            m.put("encoding", intEncoding(i.encoding()));
        } else if (t instanceof BtfType.Reference) {
            m.put("type_id", ((BtfType.Reference) t).type());
        } else if (t instanceof BtfType.Array) {
            BtfType.Array a = (BtfType.Array) t;
            m.put("type_id", a.elementType());
            m.put("index_type_id", a.indexType());
            m.put("nr_elems", a.elements());
        } else if (t instanceof BtfType.Composite) {
            BtfType.Composite c = (BtfType.Composite) t;
            m.put("size", c.size());
            m.put("vlen", c.members().size());
            List<Map<String, Object>> members = new ArrayList<>();
            for (BtfType.Member member : c.members()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", name(member.name()));
                e.put("type_id", member.type());
                e.put("bits_offset", member.bitOffset());
                if (member.bitfieldSize() != 0) {
                    e.put("bitfield_size", member.bitfieldSize());
                }
                members.add(e);
            }
            m.put("members", members);
        } else if (t instanceof BtfType.Enumeration) {
            BtfType.Enumeration en = (BtfType.Enumeration) t;
            m.put("encoding", en.signed() ? "SIGNED" : "UNSIGNED");
            m.put("size", en.size());
            m.put("vlen", en.values().size());
            List<Map<String, Object>> values = new ArrayList<>();
            for (BtfType.EnumValue v : en.values()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", name(v.name()));
                // bpftool 7.1 widens a 32-bit enumerator from its __s32 field: an unsigned one
                // with the top bit set is printed as the sign-extended 64-bit pattern
                long value = t instanceof BtfType.Enum ? (long) (int) v.value() : v.value();
                e.put("val", enumValue(en.signed(), value));
                values.add(e);
            }
            m.put("values", values);
        } else if (t instanceof BtfType.Fwd) {
            m.put("fwd_kind", ((BtfType.Fwd) t).union() ? "union" : "struct");
        } else if (t instanceof BtfType.Func) {
            BtfType.Func f = (BtfType.Func) t;
            m.put("type_id", f.type());
            m.put("linkage", f.linkage().displayName());
        } else if (t instanceof BtfType.FuncProto) {
            BtfType.FuncProto f = (BtfType.FuncProto) t;
            m.put("ret_type_id", f.returnType());
            m.put("vlen", f.params().size());
            List<Map<String, Object>> params = new ArrayList<>();
            for (BtfType.Param p : f.params()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", name(p.name()));
                e.put("type_id", p.type());
                params.add(e);
            }
            m.put("params", params);
        } else if (t instanceof BtfType.Var) {
            BtfType.Var v = (BtfType.Var) t;
            m.put("type_id", v.type());
            m.put("linkage", v.linkage().displayName());
        } else if (t instanceof BtfType.DataSec) {
            BtfType.DataSec d = (BtfType.DataSec) t;
            m.put("size", d.size());
            m.put("vlen", d.vars().size());
            List<Map<String, Object>> vars = new ArrayList<>();
            for (BtfType.VarSecInfo v : d.vars()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("type_id", v.type());
                e.put("offset", v.offset());
                e.put("size", v.size());
                vars.add(e);
            }
            m.put("vars", vars);
        } else if (t instanceof BtfType.Float) {
            m.put("size", ((BtfType.Float) t).size());
        } else if (t instanceof BtfType.DeclTag) {
            BtfType.DeclTag d = (BtfType.DeclTag) t;
            m.put("type_id", d.type());
            m.put("component_idx", d.componentIndex());
        }
        return m;
    }
}
