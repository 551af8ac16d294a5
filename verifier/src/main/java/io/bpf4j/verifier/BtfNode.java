package io.bpf4j.verifier;

import java.util.List;
import java.util.Objects;

/**
 * One BTF type as the verifier reads it ({@link BtfView}). Sizes are in bytes, member offsets
 * in bits as BTF stores them. {@link #kindName()} is the kernel's {@code btf_type_str}, which
 * its messages print.
 */
public sealed interface BtfNode {
    /** The type's name, empty when anonymous. */
    String name();

    /** The kernel's name for the kind, as {@code btf_type_str} prints it ({@code STRUCT}, {@code PTR}, {@code INT}...). */
    String kindName();

    /** {@code void}, or an id that names nothing. */
    record Void() implements BtfNode {
        public static final Void INSTANCE = new Void();

        @Override
        public String name() {
            return "";
        }

        @Override
        public String kindName() {
            return "UNKN";
        }
    }

    /** An integer of {@code size} bytes. */
    record Int(String name, int size) implements BtfNode {
        public Int {
            name = Objects.requireNonNullElse(name, "");
        }

        @Override
        public String kindName() {
            return "INT";
        }
    }

    /** An enum (or enum64) of {@code size} bytes. */
    record Enum(String name, int size, boolean enum64) implements BtfNode {
        public Enum {
            name = Objects.requireNonNullElse(name, "");
        }

        @Override
        public String kindName() {
            return enum64 ? "ENUM64" : "ENUM";
        }
    }

    /** A pointer to {@code type}. */
    record Ptr(int type) implements BtfNode {
        @Override
        public String name() {
            return "";
        }

        @Override
        public String kindName() {
            return "PTR";
        }
    }

    /** An array of {@code elements} items of {@code elementType} (0 items: a flexible array). */
    record Array(int elementType, long elements) implements BtfNode {
        @Override
        public String name() {
            return "";
        }

        @Override
        public String kindName() {
            return "ARRAY";
        }
    }

    /** One member of a struct or union; {@code bitfieldSize} 0 when it is not a bitfield. */
    record Member(String name, int type, long bitOffset, int bitfieldSize) {
        public Member {
            name = Objects.requireNonNullElse(name, "");
        }
    }

    /** A struct or union of {@code size} bytes. */
    record Composite(String name, long size, boolean union, List<Member> members) implements BtfNode {
        public Composite {
            name = Objects.requireNonNullElse(name, "");
            members = List.copyOf(members);
        }

        @Override
        public String kindName() {
            return union ? "UNION" : "STRUCT";
        }
    }

    /** What a {@link Modifier} is. */
    enum ModifierKind {
        TYPEDEF("TYPEDEF"), CONST("CONST"), VOLATILE("VOLATILE"), RESTRICT("RESTRICT"),
        /** A type tag: {@link Modifier#name()} is its value ({@code rcu}, {@code user}, {@code percpu}...). */
        TYPE_TAG("TYPE_TAG");

        final String kernelName;

        ModifierKind(String kernelName) {
            this.kernelName = kernelName;
        }
    }

    /** A typedef, qualifier or type tag of {@code type}. */
    record Modifier(ModifierKind kind, String name, int type) implements BtfNode {
        public Modifier {
            Objects.requireNonNull(kind, "kind");
            name = Objects.requireNonNullElse(name, "");
        }

        @Override
        public String kindName() {
            return kind.kernelName;
        }
    }

    /** A function parameter. */
    record Param(String name, int type) {
        public Param {
            name = Objects.requireNonNullElse(name, "");
        }
    }

    /** A function prototype: return type (0: void) and parameters. */
    record FuncProto(int returnType, List<Param> params) implements BtfNode {
        public FuncProto {
            params = List.copyOf(params);
        }

        @Override
        public String name() {
            return "";
        }

        @Override
        public String kindName() {
            return "FUNC_PROTO";
        }
    }

    /** A function: its name and prototype id. */
    record Func(String name, int proto) implements BtfNode {
        public Func {
            name = Objects.requireNonNullElse(name, "");
        }

        @Override
        public String kindName() {
            return "FUNC";
        }
    }

    /** Any other kind ({@code FWD}, {@code FLOAT}, {@code VAR}, {@code DATASEC}, {@code DECL_TAG}): named by {@code kindName}. */
    record Other(String kindName, String name) implements BtfNode {
        public Other {
            Objects.requireNonNull(kindName, "kindName");
            name = Objects.requireNonNullElse(name, "");
        }
    }
}
