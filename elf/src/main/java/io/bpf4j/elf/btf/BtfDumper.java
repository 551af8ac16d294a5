package io.bpf4j.elf.btf;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints BTF the way {@code bpftool btf dump file X} does, in its default raw format
 * ({@link #dump}) and in JSON ({@link #json}, {@code bpftool -j}). Both come from one walk over
 * each type's fields in bpftool's order and with bpftool's names ({@code type_id},
 * {@code bits_offset}, {@code nr_elems}, ...); the formats differ only in how they write a field.
 * For split BTF only the types defined on top of the base are printed, as bpftool does with
 * {@code -B base}.
 */
public final class BtfDumper {
    private BtfDumper() {}

    /** {@return the whole dump, each line ending in a newline} */
    public static String dump(Btf btf) {
        Text text = new Text(btf, new StringBuilder(btf.types().size() * 48));
        for (BtfType t : btf.types()) {
            walk(t, text);
        }
        return text.out.toString();
    }

    /** {@return the dump of one type, ending in a newline} */
    public static String dump(Btf btf, BtfType t) {
        Text text = new Text(btf, new StringBuilder());
        walk(t, text);
        return text.out.toString();
    }

    /**
     * {@return the JSON form as nested maps and lists in bpftool's key order:
     * {@code {"types": [{"id", "kind", "name", ...}]}}, {@code "(anon)"} for empty names,
     * encodings as strings, unsigned 64-bit enumerators past {@code Long.MAX_VALUE} as
     * {@link BigInteger}}
     */
    public static Map<String, Object> json(Btf btf) {
        List<Map<String, Object>> types = new ArrayList<>();
        for (BtfType t : btf.types()) {
            Json json = new Json();
            walk(t, json);
            types.add(json.type);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("types", types);
        return root;
    }

    /** An enumerator's value with what each format needs to print it as bpftool does. */
    private record Enumerator(long value, boolean signed, boolean wide) {}

    /** Receives one type's fields in bpftool's order. */
    private interface Fields {
        void header(BtfType t);

        void field(String key, Object value);

        /** A list of members, enumerators, parameters or DATASEC entries follows, named {@code key} in JSON. */
        void entries(String key);

        void entry();

        void end();
    }

    private static void walk(BtfType t, Fields f) {
        f.header(t);
        if (t instanceof BtfType.Int i) {
            f.field("size", i.size());
            f.field("bits_offset", i.bitOffset());
            f.field("nr_bits", i.bits());
            f.field("encoding", intEncoding(i.encoding()));
        } else if (t instanceof BtfType.Reference r) {
            f.field("type_id", r.type());
        } else if (t instanceof BtfType.Array a) {
            f.field("type_id", a.elementType());
            f.field("index_type_id", a.indexType());
            f.field("nr_elems", a.elements());
        } else if (t instanceof BtfType.Composite c) {
            f.field("size", c.size());
            f.field("vlen", c.members().size());
            f.entries("members");
            for (BtfType.Member m : c.members()) {
                f.entry();
                f.field("name", m.name());
                f.field("type_id", m.type());
                f.field("bits_offset", m.bitOffset());
                if (m.bitfieldSize() != 0) {
                    f.field("bitfield_size", m.bitfieldSize());
                }
            }
        } else if (t instanceof BtfType.Enumeration e) {
            f.field("encoding", e.signed() ? "SIGNED" : "UNSIGNED");
            f.field("size", e.size());
            f.field("vlen", e.values().size());
            f.entries("values");
            for (BtfType.EnumValue v : e.values()) {
                f.entry();
                f.field("name", v.name());
                f.field("val", new Enumerator(v.value(), e.signed(), e instanceof BtfType.Enum64));
            }
        } else if (t instanceof BtfType.Fwd fwd) {
            f.field("fwd_kind", fwd.union() ? "union" : "struct");
        } else if (t instanceof BtfType.Func fn) {
            f.field("type_id", fn.type());
            f.field("linkage", fn.linkage().displayName());
        } else if (t instanceof BtfType.FuncProto p) {
            f.field("ret_type_id", p.returnType());
            f.field("vlen", p.params().size());
            f.entries("params");
            for (BtfType.Param param : p.params()) {
                f.entry();
                f.field("name", param.name());
                f.field("type_id", param.type());
            }
        } else if (t instanceof BtfType.Var v) {
            f.field("type_id", v.type());
            f.field("linkage", v.linkage().displayName());
        } else if (t instanceof BtfType.DataSec d) {
            f.field("size", d.size());
            f.field("vlen", d.vars().size());
            f.entries("vars");
            for (BtfType.VarSecInfo v : d.vars()) {
                f.entry();
                f.field("type_id", v.type());
                f.field("offset", v.offset());
                f.field("size", v.size());
            }
        } else if (t instanceof BtfType.Float fl) {
            f.field("size", fl.size());
        } else if (t instanceof BtfType.DeclTag d) {
            f.field("type_id", d.type());
            f.field("component_idx", d.componentIndex());
        }
        f.end();
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

    private static String anon(String name) {
        return name.isEmpty() ? "(anon)" : name;
    }

    /**
     * bpftool's raw text: {@code [id] KIND 'name' key=value ...}, then a tab-indented line per
     * entry ({@code 'name' key=value ...}). Its quirks: {@code ", linkage="} after a VAR's type, a
     * DATASEC entry ends with its variable's kind and name, ENUM64 values carry C suffixes.
     */
    private static final class Text implements Fields {
        private final Btf btf;
        final StringBuilder out;
        private BtfType type;
        private boolean inEntries;
        private boolean entryStart;
        private boolean entryOpen;
        private long lastTypeId;

        Text(Btf btf, StringBuilder out) {
            this.btf = btf;
            this.out = out;
        }

        @Override
        public void header(BtfType t) {
            type = t;
            inEntries = false;
            entryOpen = false;
            out.append('[').append(t.id()).append("] ").append(t.kind().displayName()).append(" '").append(anon(t.name())).append('\'');
        }

        @Override
        public void field(String key, Object value) {
            if (inEntries && key.equals("name")) {
                out.append('\'').append(anon((String) value)).append('\'');
                entryStart = false;
                return;
            }
            if (entryStart) {
                entryStart = false;
            } else {
                out.append(type instanceof BtfType.Var && key.equals("linkage") ? ", " : " ");
            }
            out.append(key).append('=');
            if (value instanceof Enumerator e) {
                out.append(!e.wide() ? Long.toString(e.value())
                        : e.signed() ? e.value() + "LL" : Long.toUnsignedString(e.value()) + "ULL");
            } else {
                out.append(value);
            }
            if (key.equals("type_id")) {
                lastTypeId = ((Number) value).longValue();
            }
        }

        @Override
        public void entries(String key) {
            inEntries = true;
        }

        @Override
        public void entry() {
            finishEntry();
            out.append("\n\t");
            entryStart = true;
            entryOpen = true;
        }

        @Override
        public void end() {
            finishEntry();
            out.append('\n');
        }

        private void finishEntry() {
            if (entryOpen && type instanceof BtfType.DataSec) {
                BtfType target = btf.type((int) lastTypeId);
                out.append(" (").append(target.kind().displayName()).append(" '").append(anon(target.name())).append("')");
            }
            entryOpen = false;
        }
    }

    /** bpftool's JSON: one ordered map per type, entries as lists of ordered maps. */
    private static final class Json implements Fields {
        Map<String, Object> type;
        private Map<String, Object> current;
        private List<Map<String, Object>> entries;

        @Override
        public void header(BtfType t) {
            type = new LinkedHashMap<>();
            current = type;
            type.put("id", t.id());
            type.put("kind", t.kind().displayName());
            type.put("name", anon(t.name()));
        }

        @Override
        public void field(String key, Object value) {
            if (key.equals("name")) {
                value = anon((String) value);
            } else if (value instanceof Enumerator e) {
                // bpftool 7.1 widens a 32-bit enumerator from its __s32 field: an unsigned one
                // with the top bit set is printed as the sign-extended 64-bit pattern
                long v = e.wide() ? e.value() : (long) (int) e.value();
                value = e.signed() || v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
            }
            current.put(key, value);
        }

        @Override
        public void entries(String key) {
            entries = new ArrayList<>();
            type.put(key, entries);
        }

        @Override
        public void entry() {
            current = new LinkedHashMap<>();
            entries.add(current);
        }

        @Override
        public void end() {
        }
    }
}
