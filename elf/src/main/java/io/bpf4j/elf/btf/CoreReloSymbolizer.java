package io.bpf4j.elf.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * The one-line description of a CO-RE relocation that {@code llvm-objdump -dr} prints after
 * {@code CO-RE } under the instruction it patches.
 *
 * <p>The forms, by kind group:
 * <ul>
 * <li>type kinds ({@code <type_exists>}, {@code <type_size>}, {@code <type_matches>},
 *     {@code <local_type_id>}, {@code <target_type_id>}): {@code <kind> [id] type}, e.g.
 *     {@code <type_size> [7] struct task_struct};</li>
 * <li>enumerator kinds: {@code <kind> [id] type::enumerator = value}, the value printed signed
 *     when the enum's kind_flag says so;</li>
 * <li>field kinds: {@code <kind> [id] type::path (access string)}, where the path starts with
 *     {@code [n]} when the first access index is not 0, then names each member (members after
 *     the first, or after a leading {@code [n]}, are joined with {@code .}; an anonymous one is
 *     {@code <anon i>} with i its index) and {@code [i]} for each array subscript, looking
 *     through typedefs and const/volatile/restrict/type_tag at each step.</li>
 * </ul>
 * The type is printed as its modifiers ({@code const}, {@code volatile}, {@code restrict},
 * {@code type_tag("x")}) then {@code typedef}/{@code struct}/{@code union}/{@code enum}/
 * {@code fwd struct}/{@code fwd union} and the name, {@code <anon id>} when it has none (so a
 * pointer is {@code <anon id>}, an int just its name), or {@code void}. A record that does not
 * fit its type is printed as {@code <kind> [id] 'access string' <reason>}.
 */
public final class CoreReloSymbolizer {
    private static final int MAX_MODIFIERS = 32;

    private CoreReloSymbolizer() {}

    /** The text llvm-objdump prints after {@code CO-RE } for {@code relo}, its types resolved in {@code btf}. */
    public static String symbolize(Btf btf, CoreRelo relo) {
        return new Run(btf, relo).describe();
    }

    /** The name llvm-objdump gives a relocation kind, angle brackets included. */
    public static String kindName(CoreReloKind kind) {
        return switch (kind) {
            case FIELD_BYTE_OFFSET -> "<byte_off>";
            case FIELD_BYTE_SIZE -> "<byte_sz>";
            case FIELD_EXISTS -> "<field_exists>";
            case FIELD_SIGNED -> "<signed>";
            case FIELD_LSHIFT_U64 -> "<lshift_u64>";
            case FIELD_RSHIFT_U64 -> "<rshift_u64>";
            case TYPE_ID_LOCAL -> "<local_type_id>";
            case TYPE_ID_TARGET -> "<target_type_id>";
            case TYPE_EXISTS -> "<type_exists>";
            case TYPE_MATCHES -> "<type_matches>";
            case TYPE_SIZE -> "<type_size>";
            case ENUMVAL_EXISTS -> "<enumval_exists>";
            case ENUMVAL_VALUE -> "<enumval_value>";
        };
    }

    /** A description that stops at the first thing the record gets wrong. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final class Run {
        private final Btf btf;
        private final CoreRelo relo;
        private final StringBuilder out = new StringBuilder();

        Run(Btf btf, CoreRelo relo) {
            this.btf = btf;
            this.relo = relo;
        }

        String describe() {
            try {
                describeOrFail();
                return out.toString();
            } catch (Invalid e) {
                return kindName(relo.kind()) + " [" + Integer.toUnsignedString(relo.typeId()) + "] '" + relo.accessString() + "' <" + e.getMessage() + ">";
            }
        }

        private void describeOrFail() throws Invalid {
            List<Integer> spec = parseSpec(relo.accessString());
            out.append(kindName(relo.kind()));
            int id = relo.typeId();
            BtfType type = find(id);
            if (type == null) {
                throw new Invalid("unknown type id: " + id);
            }
            out.append(" [").append(id).append(']');
            for (int chain = 0; appendModifier(type); chain++) {
                if (chain >= MAX_MODIFIERS) {
                    throw new Invalid("modifiers chain is too long");
                }
                id = ((BtfType.Reference) type).type();
                type = find(id);
                if (type == null) {
                    throw new Invalid("unknown type id: " + id + " in modifiers chain");
                }
            }
            appendTypeName(id, type);
            if (relo.kind().isTypeBased()) {
                if (spec.size() != 1 || spec.get(0) != 0) {
                    throw new Invalid("unexpected type-based relocation spec: should be '0'");
                }
                return;
            }
            out.append("::");
            if (relo.kind().isEnumValueBased()) {
                appendEnumerator(skipModifiersAndTypedefs(type), spec);
            } else {
                appendFieldPath(type, spec);
            }
        }

        private void appendTypeName(int id, BtfType type) {
            if (id == 0) {
                out.append(" void");
                return;
            }
            switch (type.kind()) {
                case TYPEDEF -> out.append(" typedef");
                case STRUCT -> out.append(" struct");
                case UNION -> out.append(" union");
                case ENUM, ENUM64 -> out.append(" enum");
                case FWD -> out.append(((BtfType.Fwd) type).union() ? " fwd union" : " fwd struct");
                default -> { } // other kinds print just their name
            }
            out.append(' ').append(nameOrAnon(type.name(), id));
        }

        private void appendEnumerator(BtfType type, List<Integer> spec) throws Invalid {
            if (spec.size() != 1) {
                throw new Invalid("unexpected enumval relocation spec size");
            }
            int index = spec.get(0);
            if (!(type instanceof BtfType.Enumeration)) {
                throw new Invalid("unexpected type kind for enum relocation: " + type.kind().number());
            }
            BtfType.Enumeration e = (BtfType.Enumeration) type;
            if (Integer.compareUnsigned(index, e.values().size()) >= 0) {
                throw new Invalid("bad value index: " + index);
            }
            BtfType.EnumValue v = e.values().get(index);
            // A 32-bit enumerator is held as a signed 32-bit number and widened by sign, whatever
            // the enum's signedness; only the printing differs.
            long value = type instanceof BtfType.Enum ? (long) (int) v.value() : v.value();
            out.append(nameOrAnon(v.name(), index)).append(" = ").append(e.signed() ? Long.toString(value) : Long.toUnsignedString(value));
        }

        private void appendFieldPath(BtfType root, List<Integer> spec) throws Invalid {
            if (spec.isEmpty()) {
                throw new Invalid("field spec too short");
            }
            if (spec.get(0) != 0) {
                out.append('[').append(Integer.toUnsignedString(spec.get(0))).append(']');
            }
            BtfType type = root;
            for (int i = 1; i < spec.size(); i++) {
                type = skipModifiersAndTypedefs(type);
                int index = spec.get(i);
                if (type instanceof BtfType.Composite) {
                    List<BtfType.Member> members = ((BtfType.Composite) type).members();
                    if (Integer.compareUnsigned(index, members.size()) >= 0) {
                        throw new Invalid("member index " + index + " for spec sub-string " + i + " is out of range");
                    }
                    BtfType.Member m = members.get(index);
                    if (i != 1 || spec.get(0) != 0) {
                        out.append('.');
                    }
                    out.append(nameOrAnon(m.name(), index));
                    type = find(m.type());
                    if (type == null) {
                        throw new Invalid("unknown member type id " + m.type() + " for spec sub-string " + i);
                    }
                } else if (type instanceof BtfType.Array) {
                    out.append('[').append(Integer.toUnsignedString(index)).append(']');
                    int element = ((BtfType.Array) type).elementType();
                    type = find(element);
                    if (type == null) {
                        throw new Invalid("unknown element type id " + element + " for spec sub-string " + i);
                    }
                } else {
                    throw new Invalid("unexpected type kind " + type.kind().number() + " for spec sub-string " + i);
                }
            }
            out.append(" (").append(relo.accessString()).append(')');
        }

        private boolean appendModifier(BtfType type) {
            String modifier = switch (type.kind()) {
                case CONST -> " const";
                case VOLATILE -> " volatile";
                case RESTRICT -> " restrict";
                case TYPE_TAG -> " type_tag(\"" + type.name() + "\")";
                default -> null;
            };
            if (modifier != null) {
                out.append(modifier);
            }
            return modifier != null;
        }

        private BtfType skipModifiersAndTypedefs(BtfType type) {
            BtfType t = type;
            while (isModifierOrTypedef(t)) {
                BtfType base = find(((BtfType.Reference) t).type());
                if (base == null) {
                    break;
                }
                t = base;
            }
            return t;
        }

        private static boolean isModifierOrTypedef(BtfType t) {
            return switch (t.kind()) {
                case CONST, VOLATILE, RESTRICT, TYPE_TAG, TYPEDEF -> true;
                default -> false;
            };
        }

        private BtfType find(int id) {
            return id >= 0 && id < btf.typeCount() ? btf.type(id) : null;
        }

        private static String nameOrAnon(String name, int index) {
            return name.isEmpty() ? "<anon " + Integer.toUnsignedString(index) + ">" : name;
        }

        /**
         * The access string as numbers: decimal, separated by single colons; a trailing colon
         * is accepted. Each number is kept modulo 2^32, and only one that does not fit 64 bits
         * is refused.
         */
        private static List<Integer> parseSpec(String spec) throws Invalid {
            List<Integer> out = new ArrayList<>();
            int p = 0;
            while (p < spec.length()) {
                int start = p;
                long value = 0;
                boolean overflow = false;
                while (p < spec.length() && spec.charAt(p) >= '0' && spec.charAt(p) <= '9') {
                    int digit = spec.charAt(p) - '0';
                    if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                        overflow = true;
                    }
                    value = value * 10 + digit;
                    p++;
                }
                if (p == start || overflow) {
                    throw new Invalid("spec string is not a number");
                }
                out.add((int) value);
                if (p == spec.length()) {
                    break;
                }
                if (spec.charAt(p) != ':') {
                    throw new Invalid("unexpected spec string delimiter: '" + spec.charAt(p) + "'");
                }
                p++;
            }
            return out;
        }
    }
}
