package io.bpf4j.elf.btf;

/**
 * {@code .BTF} or {@code .BTF.ext} bytes that cannot be read. Says what is wrong as a
 * {@link Reason} and where: the type id, the string offset and the byte offset inside the
 * section (each -1 when it does not apply).
 */
public final class MalformedBtfException extends BtfException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the data. */
    public enum Reason {
        /** The magic is not 0xEB9F in the expected byte order. */
        BAD_MAGIC,
        /** The version byte is not 1. */
        UNSUPPORTED_VERSION,
        /** The flags byte is not 0. */
        UNSUPPORTED_FLAGS,
        /** The header length, or the offsets and lengths in it, do not agree with each other. */
        BAD_HEADER,
        /** A section, type or record extends past the end of the data. */
        SECTION_PAST_END,
        /** A type id refers to no type. */
        TYPE_ID_OUT_OF_RANGE,
        /** A string offset is past the string section. */
        STRING_OFFSET_OUT_OF_RANGE,
        /** The string section does not start or end with a NUL byte. */
        UNTERMINATED_STRING,
        /** A size does not fit in 32 bits. */
        SIZE_OVERFLOW,
        /** A kind number that is not 1..19. */
        UNKNOWN_KIND,
        /** vlen asks for more trailing records than the type section holds. */
        VLEN_TOO_LARGE,
        /** A field holds a value its kind does not allow (unused info bits, linkage, record size, relo kind, ...). */
        INVALID_VALUE,
        /** Following modifiers and typedefs did not reach a type within the depth limit (a loop). */
        RESOLVE_DEPTH
    }

    private final Reason reason;
    private final int typeId;
    private final long stringOffset;
    private final long sectionOffset;

    public MalformedBtfException(Reason reason, String message, int typeId, long stringOffset, long sectionOffset) {
        super(message);
        this.reason = reason;
        this.typeId = typeId;
        this.stringOffset = stringOffset;
        this.sectionOffset = sectionOffset;
    }

    /** {@return what is wrong} */
    public Reason reason() { return reason; }

    /** {@return the id of the offending type, or -1} */
    public int typeId() { return typeId; }

    /** {@return the offending string offset, or -1} */
    public long stringOffset() { return stringOffset; }

    /** {@return the byte offset inside the BTF (or BTF.ext) data, or -1} */
    public long sectionOffset() { return sectionOffset; }
}
