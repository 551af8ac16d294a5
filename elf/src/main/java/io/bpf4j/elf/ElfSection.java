package io.bpf4j.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One section of an object: its header fields (unsigned ELF values widened to {@code long})
 * and its bytes. The bytes are shared with the object and only handed out read-only or copied.
 */
public final class ElfSection {
    private final int index;
    private final String name;
    private final long type;
    private final long flags;
    private final long offset;
    private final long size;
    private final long link;
    private final long info;
    private final long entsize;
    private final long addralign;
    private final byte[] file;
    private final ByteOrder order;

    ElfSection(int index, String name, long type, long flags, long offset, long size, long link, long info,
               long entsize, long addralign, byte[] file, ByteOrder order) {
        this.index = index;
        this.name = name;
        this.type = type;
        this.flags = flags;
        this.offset = offset;
        this.size = size;
        this.link = link;
        this.info = info;
        this.entsize = entsize;
        this.addralign = addralign;
        this.file = file;
        this.order = order;
    }

    /** {@return the section header index} */
    public int index() { return index; }

    /** {@return the section name from the section header string table ("" for index 0)} */
    public String name() { return name; }

    /** {@return {@code sh_type}; compare with the constants in {@link SectionType}} */
    public long type() { return type; }

    /** {@return {@code sh_flags}} */
    public long flags() { return flags; }

    /** {@return {@code sh_offset}, the file offset of the section's bytes} */
    public long offset() { return offset; }

    /** {@return {@code sh_size}; for {@code SHT_NOBITS} the size in memory, with no bytes in the file} */
    public long size() { return size; }

    /** {@return {@code sh_link}} */
    public long link() { return link; }

    /** {@return {@code sh_info}} */
    public long info() { return info; }

    /** {@return {@code sh_entsize}} */
    public long entsize() { return entsize; }

    /** {@return {@code sh_addralign}} */
    public long addralign() { return addralign; }

    /** {@return whether the section holds code ({@code SHF_EXECINSTR})} */
    public boolean isExecutable() { return (flags & SectionType.FLAG_EXECINSTR) != 0; }

    /** {@return whether the section occupies no file bytes ({@code SHT_NOBITS} or {@code SHT_NULL})} */
    public boolean hasNoFileData() { return type == SectionType.NOBITS || type == SectionType.NULL; }

    /** {@return the number of bytes the section holds in the file (0 for NOBITS)} */
    public int fileSize() { return hasNoFileData() ? 0 : (int) size; }

    /** {@return a read-only view of the section's file bytes, in the object's byte order} */
    public ByteBuffer data() {
        return ByteBuffer.wrap(file, (int) (hasNoFileData() ? 0 : offset), fileSize()).slice().asReadOnlyBuffer().order(order);
    }

    /** {@return a copy of the section's file bytes} */
    public byte[] bytes() {
        int start = (int) (hasNoFileData() ? 0 : offset);
        return Arrays.copyOfRange(file, start, start + fileSize());
    }

    // The object's backing array and this section's start in it, for readers in this package.
    byte[] file() { return file; }

    @Override
    public String toString() {
        return "[" + index + "] '" + name + "' " + SectionType.name(type) + " offset=" + offset + " size=" + size
                + " flags=0x" + Long.toHexString(flags) + " link=" + link + " info=" + info;
    }
}
