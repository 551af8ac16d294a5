package io.bpf4j.relocator.core;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.elf.btf.CoreReloKind;
import java.util.List;

/**
 * libbpf's {@code bpf_core_spec}: where a relocation points in one BTF. The low-level (raw)
 * spec has one entry per access-string number, anonymous members included; the high-level
 * spec keeps the turning points only (the root, named members, array indices). Built
 * step by step while parsing or matching (a failed match leaves a partial spec that the log
 * still prints), so it is mutable and package-private.
 */
final class CoreSpec {
    static final int MAX_LEN = 64;

    /** One high-level accessor: {@code name == null} for the root and array elements. */
    static final class Accessor {
        int typeId;
        int idx;
        String name;
    }

    final Btf btf;
    final int rootTypeId;
    final CoreReloKind kind;
    // Most specs are a few levels deep; the arrays grow up to MAX_LEN on demand.
    Accessor[] spec = new Accessor[8];
    int len;
    int[] raw = new int[8];
    int rawLen;
    /** A u32, as in libbpf: sums wrap at 2^32. */
    long bitOffset;

    CoreSpec(Btf btf, int rootTypeId, CoreReloKind kind) {
        this.btf = btf;
        this.rootTypeId = rootTypeId;
        this.kind = kind;
    }

    Accessor push(int typeId, int idx, String name) {
        if (len == spec.length) spec = java.util.Arrays.copyOf(spec, Math.min(MAX_LEN, len * 2));
        Accessor a = spec[len];
        if (a == null) {
            a = new Accessor();
            spec[len] = a;
        }
        a.typeId = typeId;
        a.idx = idx;
        a.name = name;
        len++;
        return a;
    }

    /** Appends to the raw spec; callers check {@link #MAX_LEN} first. */
    void pushRaw(int idx) {
        if (rawLen == raw.length) raw = java.util.Arrays.copyOf(raw, Math.min(MAX_LEN, rawLen * 2));
        raw[rawLen++] = idx;
    }

    Accessor last() {
        return spec[len - 1];
    }

    void addBits(long bits) {
        bitOffset = (bitOffset + bits) & 0xffffffffL;
    }

    /** {@return the raw spec as an access string, e.g. "0:22"} */
    String rawString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rawLen; i++) {
            if (i > 0) sb.append(':');
            sb.append(raw[i]);
        }
        return sb.toString();
    }

    /** {@return the C-like path of the high-level spec: "struct task_struct.pid", "struct s[1].a[3]"} */
    String path() {
        StringBuilder sb = new StringBuilder(typeLabel());
        for (int i = 0; i < len; i++) {
            if (spec[i].name != null) sb.append('.').append(spec[i].name);
            else if (i > 0 || spec[i].idx > 0) sb.append('[').append(Integer.toUnsignedString(spec[i].idx)).append(']');
        }
        return sb.toString();
    }

    /** {@return the root type as libbpf prints it: "struct task_struct", "enum <anon>"} */
    String typeLabel() {
        BtfType t = btf.type(rootTypeId);
        return CoreNames.kindString(t.kind()) + " " + (t.name().isEmpty() ? "<anon>" : t.name());
    }

    /**
     * {@return the spec as libbpf's {@code bpf_core_format_spec} prints it}, e.g.
     * {@code <byte_off> [7] struct task_struct.pid (0:22 @ offset 1234)}.
     */
    String format() {
        String head = "<" + kindString(kind) + "> [" + Integer.toUnsignedString(rootTypeId) + "] ";
        if (kind.isTypeBased()) {
            return head + typeLabel();
        }
        if (kind.isEnumValueBased()) {
            StringBuilder sb = new StringBuilder(head).append(typeLabel());
            BtfType t = btf.resolve(rootTypeId);
            if (t instanceof BtfType.Enumeration) {
                List<BtfType.EnumValue> values = ((BtfType.Enumeration) t).values();
                // libbpf prints the enumerator the raw spec names, #0 for a candidate that did not match
                int at = raw[0];
                if (at >= 0 && at < values.size()) {
                    sb.append("::").append(values.get(at).name()).append(" = ").append(enumValueText(t, values.get(at)));
                }
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder(head).append(path()).append(" (").append(rawString());
        sb.append(" @ offset ").append(bitOffset / 8);
        if (bitOffset % 8 != 0) sb.append('.').append(bitOffset % 8);
        return sb.append(')').toString();
    }

    /** The enumerator value the way libbpf prints it: %d/%u of the 32-bit value, %lld/%llu of ENUM64's. */
    static String enumValueText(BtfType enumType, BtfType.EnumValue v) {
        BtfType.Enumeration e = (BtfType.Enumeration) enumType;
        if (enumType instanceof BtfType.Enum) {
            int raw32 = (int) v.value();
            return e.signed() ? Integer.toString(raw32) : Integer.toUnsignedString(raw32);
        }
        return e.signed() ? Long.toString(v.value()) : Long.toUnsignedString(v.value());
    }

    /** {@return the value libbpf computes for an enumerator: a 32-bit value sign-extended, as {@code btf_enum.val} is an s32} */
    static long enumValue(BtfType enumType, BtfType.EnumValue v) {
        return enumType instanceof BtfType.Enum ? (long) (int) v.value() : v.value();
    }

    /** libbpf's {@code core_relo_kind_str}. */
    static String kindString(CoreReloKind kind) {
        switch (kind) {
            case FIELD_BYTE_OFFSET: return "byte_off";
            case FIELD_BYTE_SIZE: return "byte_sz";
            case FIELD_EXISTS: return "field_exists";
            case FIELD_SIGNED: return "signed";
            case FIELD_LSHIFT_U64: return "lshift_u64";
            case FIELD_RSHIFT_U64: return "rshift_u64";
            case TYPE_ID_LOCAL: return "local_type_id";
            case TYPE_ID_TARGET: return "target_type_id";
            case TYPE_EXISTS: return "type_exists";
            case TYPE_MATCHES: return "type_matches";
            case TYPE_SIZE: return "type_size";
            case ENUMVAL_EXISTS: return "enumval_exists";
            case ENUMVAL_VALUE: return "enumval_value";
            default: return "unknown";
        }
    }
}
