package io.bpf4j.elf.btf;

/**
 * Prints BTF the way {@code bpftool btf dump file X} does in its default raw format: one line
 * per type ({@code [id] KIND 'name' ...}), then one tab-indented line per member, enumerator,
 * parameter or DATASEC entry. For split BTF only the types defined on top of the base are
 * printed, as bpftool does with {@code -B base}.
 */
public final class BtfDumper {
    private BtfDumper() {}

    /** {@return the whole dump, each line ending in a newline} */
    public static String dump(Btf btf) {
        StringBuilder out = new StringBuilder(btf.types().size() * 48);
        for (BtfType t : btf.types()) {
            append(out, btf, t);
        }
        return out.toString();
    }

    /** {@return the dump of one type, ending in a newline} */
    public static String dump(Btf btf, BtfType t) {
        StringBuilder out = new StringBuilder();
        append(out, btf, t);
        return out.toString();
    }

    private static String quoted(String name) {
        return name.isEmpty() ? "'(anon)'" : "'" + name + "'";
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

    private static void append(StringBuilder out, Btf btf, BtfType t) {
        out.append('[').append(t.id()).append("] ").append(t.kind().displayName()).append(' ').append(quoted(t.name()));
        if (t instanceof BtfType.Int) {
            BtfType.Int i = (BtfType.Int) t;
            out.append(" size=").append(i.size()).append(" bits_offset=").append(i.bitOffset()).append(" nr_bits=").append(i.bits())
                    .append(" encoding=").append(intEncoding(i.encoding()));
        } else if (t instanceof BtfType.Reference) {
            out.append(" type_id=").append(((BtfType.Reference) t).type());
        } else if (t instanceof BtfType.Array) {
            BtfType.Array a = (BtfType.Array) t;
            out.append(" type_id=").append(a.elementType()).append(" index_type_id=").append(a.indexType()).append(" nr_elems=").append(a.elements());
        } else if (t instanceof BtfType.Composite) {
            BtfType.Composite c = (BtfType.Composite) t;
            out.append(" size=").append(c.size()).append(" vlen=").append(c.members().size());
            for (BtfType.Member m : c.members()) {
                out.append("\n\t").append(quoted(m.name())).append(" type_id=").append(m.type()).append(" bits_offset=").append(m.bitOffset());
                if (m.bitfieldSize() != 0) out.append(" bitfield_size=").append(m.bitfieldSize());
            }
        } else if (t instanceof BtfType.Enum) {
            BtfType.Enum e = (BtfType.Enum) t;
            out.append(" encoding=").append(e.signed() ? "SIGNED" : "UNSIGNED").append(" size=").append(e.size()).append(" vlen=").append(e.values().size());
            for (BtfType.EnumValue v : e.values()) {
                out.append("\n\t").append(quoted(v.name())).append(" val=").append(v.value());
            }
        } else if (t instanceof BtfType.Enum64) {
            BtfType.Enum64 e = (BtfType.Enum64) t;
            out.append(" encoding=").append(e.signed() ? "SIGNED" : "UNSIGNED").append(" size=").append(e.size()).append(" vlen=").append(e.values().size());
            for (BtfType.EnumValue v : e.values()) {
                out.append("\n\t").append(quoted(v.name())).append(" val=")
                        .append(e.signed() ? Long.toString(v.value()) + "LL" : Long.toUnsignedString(v.value()) + "ULL");
            }
        } else if (t instanceof BtfType.Fwd) {
            out.append(" fwd_kind=").append(((BtfType.Fwd) t).union() ? "union" : "struct");
        } else if (t instanceof BtfType.Func) {
            BtfType.Func f = (BtfType.Func) t;
            out.append(" type_id=").append(f.type()).append(" linkage=").append(f.linkage().displayName());
        } else if (t instanceof BtfType.FuncProto) {
            BtfType.FuncProto f = (BtfType.FuncProto) t;
            out.append(" ret_type_id=").append(f.returnType()).append(" vlen=").append(f.params().size());
            for (BtfType.Param p : f.params()) {
                out.append("\n\t").append(quoted(p.name())).append(" type_id=").append(p.type());
            }
        } else if (t instanceof BtfType.Var) {
            BtfType.Var v = (BtfType.Var) t;
            out.append(" type_id=").append(v.type()).append(", linkage=").append(v.linkage().displayName());
        } else if (t instanceof BtfType.DataSec) {
            BtfType.DataSec d = (BtfType.DataSec) t;
            out.append(" size=").append(d.size()).append(" vlen=").append(d.vars().size());
            for (BtfType.VarSecInfo v : d.vars()) {
                BtfType target = btf.type(v.type());
                out.append("\n\ttype_id=").append(v.type()).append(" offset=").append(v.offset()).append(" size=").append(v.size())
                        .append(" (").append(target.kind().displayName()).append(' ').append(quoted(target.name())).append(')');
            }
        } else if (t instanceof BtfType.Float) {
            out.append(" size=").append(((BtfType.Float) t).size());
        } else if (t instanceof BtfType.DeclTag) {
            BtfType.DeclTag d = (BtfType.DeclTag) t;
            out.append(" type_id=").append(d.type()).append(" component_idx=").append(d.componentIndex());
        }
        out.append('\n');
    }
}
