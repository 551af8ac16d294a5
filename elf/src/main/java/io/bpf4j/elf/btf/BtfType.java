package io.bpf4j.elf.btf;

import java.util.List;

/**
 * One BTF type. Each kind is a record; kind_flag is folded into the record's fields where it
 * means something (bitfield member offsets, union forwards, enum signedness, tag attributes).
 * Type references are ids, resolved through {@link Btf#type(int)}. Names are "" for anonymous
 * types. Unsigned 32-bit sizes, counts and offsets are widened to {@code long}.
 */
public sealed interface BtfType {
    /** {@return the type id (0 for void)} */
    int id();

    /** {@return the name, "" when anonymous} */
    String name();

    /** {@return the kind} */
    BtfKind kind();

    /** A type that refers to exactly one other type: PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG. */
    sealed interface Reference extends BtfType {
        /** {@return the referenced type id} */
        int type();
    }

    /** Type id 0: void. */
    record Void() implements BtfType {
        public int id() { return 0; }
        public String name() { return ""; }
        public BtfKind kind() { return BtfKind.UNKN; }
    }

    /**
     * INT.
     *
     * @param encoding  the {@code BTF_INT_ENCODING} bits: {@link #SIGNED}, {@link #CHAR}, {@link #BOOL}
     * @param bitOffset {@code BTF_INT_OFFSET}
     * @param bits      {@code BTF_INT_BITS}
     */
    record Int(int id, String name, long size, int encoding, int bitOffset, int bits) implements BtfType {
        public static final int SIGNED = 1;
        public static final int CHAR = 2;
        public static final int BOOL = 4;

        public BtfKind kind() { return BtfKind.INT; }

        public boolean isSigned() { return (encoding & SIGNED) != 0; }
        public boolean isChar() { return (encoding & CHAR) != 0; }
        public boolean isBool() { return (encoding & BOOL) != 0; }
    }

    record Ptr(int id, String name, int type) implements Reference {
        public BtfKind kind() { return BtfKind.PTR; }
    }

    record Array(int id, String name, int elementType, int indexType, long elements) implements BtfType {
        public BtfKind kind() { return BtfKind.ARRAY; }
    }

    /**
     * A STRUCT or UNION member.
     *
     * @param bitOffset    offset from the start of the aggregate in bits
     * @param bitfieldSize the bitfield width, 0 for a plain member
     */
    record Member(String name, int type, long bitOffset, int bitfieldSize) {}

    /** STRUCT and UNION. */
    sealed interface Composite extends BtfType {
        long size();
        List<Member> members();
        /** {@return whether kind_flag is set: member offsets hold bitfield_size &lt;&lt; 24 | bit_offset} */
        boolean bitfieldLayout();
    }

    record Struct(int id, String name, long size, List<Member> members, boolean bitfieldLayout) implements Composite {
        public Struct { members = List.copyOf(members); }
        public BtfKind kind() { return BtfKind.STRUCT; }
    }

    record Union(int id, String name, long size, List<Member> members, boolean bitfieldLayout) implements Composite {
        public Union { members = List.copyOf(members); }
        public BtfKind kind() { return BtfKind.UNION; }
    }

    /**
     * An enumerator of ENUM or ENUM64. {@code value} is the 64-bit pattern: sign-extended when
     * the enum is signed, zero-extended otherwise (read it with {@link Long#toUnsignedString}).
     */
    record EnumValue(String name, long value) {}

    /** ENUM and ENUM64. */
    sealed interface Enumeration extends BtfType {
        long size();
        /** {@return kind_flag: whether the values are signed} */
        boolean signed();
        List<EnumValue> values();
    }

    record Enum(int id, String name, long size, boolean signed, List<EnumValue> values) implements Enumeration {
        public Enum { values = List.copyOf(values); }
        public BtfKind kind() { return BtfKind.ENUM; }
    }

    record Enum64(int id, String name, long size, boolean signed, List<EnumValue> values) implements Enumeration {
        public Enum64 { values = List.copyOf(values); }
        public BtfKind kind() { return BtfKind.ENUM64; }
    }

    /** FWD; kind_flag set means a forward declaration of a union. */
    record Fwd(int id, String name, boolean union) implements BtfType {
        public BtfKind kind() { return BtfKind.FWD; }
    }

    record Typedef(int id, String name, int type) implements Reference {
        public BtfKind kind() { return BtfKind.TYPEDEF; }
    }

    record Volatile(int id, String name, int type) implements Reference {
        public BtfKind kind() { return BtfKind.VOLATILE; }
    }

    record Const(int id, String name, int type) implements Reference {
        public BtfKind kind() { return BtfKind.CONST; }
    }

    record Restrict(int id, String name, int type) implements Reference {
        public BtfKind kind() { return BtfKind.RESTRICT; }
    }

    /** FUNC; {@code type} is its FUNC_PROTO. */
    record Func(int id, String name, int type, FuncLinkage linkage) implements BtfType {
        public BtfKind kind() { return BtfKind.FUNC; }
    }

    /** A FUNC_PROTO parameter; a last parameter with name "" and type 0 marks varargs. */
    record Param(String name, int type) {}

    record FuncProto(int id, String name, int returnType, List<Param> params) implements BtfType {
        public FuncProto { params = List.copyOf(params); }
        public BtfKind kind() { return BtfKind.FUNC_PROTO; }

        /** {@return whether the last parameter is the varargs marker} */
        public boolean isVariadic() {
            return !params.isEmpty() && params.get(params.size() - 1).type() == 0 && params.get(params.size() - 1).name().isEmpty();
        }
    }

    record Var(int id, String name, int type, VarLinkage linkage) implements BtfType {
        public BtfKind kind() { return BtfKind.VAR; }
    }

    /** A DATASEC entry: a VAR (or FUNC, for ksyms) at {@code offset} taking {@code size} bytes. */
    record VarSecInfo(int type, long offset, long size) {}

    record DataSec(int id, String name, long size, List<VarSecInfo> vars) implements BtfType {
        public DataSec { vars = List.copyOf(vars); }
        public BtfKind kind() { return BtfKind.DATASEC; }
    }

    record Float(int id, String name, long size) implements BtfType {
        public BtfKind kind() { return BtfKind.FLOAT; }
    }

    /**
     * DECL_TAG: {@code name} is the tag text, attached to {@code type} (or to its member or
     * parameter number {@code componentIndex}; -1 for the whole declaration).
     *
     * @param attribute kind_flag: the tag is an {@code __attribute__} rather than a btf_decl_tag
     */
    record DeclTag(int id, String name, int type, int componentIndex, boolean attribute) implements BtfType {
        public BtfKind kind() { return BtfKind.DECL_TAG; }
    }

    /**
     * TYPE_TAG: {@code name} is the tag text.
     *
     * @param attribute kind_flag: the tag is an {@code __attribute__} rather than a btf_type_tag
     */
    record TypeTag(int id, String name, int type, boolean attribute) implements Reference {
        public BtfKind kind() { return BtfKind.TYPE_TAG; }
    }
}
