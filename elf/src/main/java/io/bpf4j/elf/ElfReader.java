package io.bpf4j.elf;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfExt;
import io.bpf4j.elf.internal.Bytes;
import io.bpf4j.elf.internal.DecodedOnUse;
import io.bpf4j.elf.internal.ElfHeader;
import io.bpf4j.elf.internal.JelfHeaderReader;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns the bytes of an object into an {@link ElfObject}, checking every offset it follows. */
final class ElfReader {
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int REL_SIZE = 16;
    private static final int SHN_XINDEX = 0xffff;

    private final byte[] file;
    private final ByteOrder order;
    private final boolean le;

    private ElfReader(byte[] file, ByteOrder order) {
        this.file = file;
        this.order = order;
        this.le = Bytes.isLittle(order);
    }

    static ElfObject read(byte[] file) {
        ElfHeader header = JelfHeaderReader.read(file);
        ElfReader reader = new ElfReader(file, header.order());
        return reader.readObject(header);
    }

    private ElfObject readObject(ElfHeader header) {
        List<ElfSection> sections = readSections(header);
        List<ElfSymbol> symbols = readSymbols(sections);
        List<RelocationSection> relocations = readRelocations(sections, symbols);
        Btf btf = null;
        BtfExt btfExt = null;
        ElfSection btfSection = firstNamed(sections, ".BTF");
        if (btfSection != null) {
            btf = Btf.wrap(btfSection.bytes(), order); // bytes() is a fresh copy
            ElfSection extSection = firstNamed(sections, ".BTF.ext");
            if (extSection != null) {
                btfExt = BtfExt.parse(extSection.bytes(), order, btf);
            }
        }
        return new ElfObject(order, sections, symbols, relocations, btf, btfExt);
    }

    private static ElfSection firstNamed(List<ElfSection> sections, String name) {
        for (ElfSection s : sections) {
            if (s.name().equals(name) && !s.hasNoFileData()) return s;
        }
        return null;
    }

    private List<ElfSection> readSections(ElfHeader h) {
        long shoff = h.sectionHeaderOffset();
        int count = h.sectionCount();
        int nameIndex = h.sectionNameTableIndex();
        if (shoff == 0) {
            if (count != 0) {
                throw MalformedObjectException.ofFile("e_shnum is " + count + " but there is no section header table (e_shoff 0)", 0x28);
            }
            return List.of();
        }
        if (h.sectionHeaderSize() != SHDR_SIZE) {
            throw MalformedObjectException.ofFile("e_shentsize is " + h.sectionHeaderSize() + ", expected 64", 0x3a);
        }
        if (shoff < 0 || shoff > file.length - SHDR_SIZE) {
            throw MalformedObjectException.ofFile("section header table at offset " + Long.toUnsignedString(shoff) + " is past the end of the file (" + file.length + " bytes)", 0x28);
        }
        int first = (int) shoff;
        // e_shnum 0 and e_shstrndx SHN_XINDEX defer to section 0's sh_size and sh_link.
        if (count == 0) {
            long n = Bytes.u64(file, first + 32, le);
            if (n == 0 || n < 0 || n > (file.length - shoff) / SHDR_SIZE) {
                throw MalformedObjectException.ofFile("section count " + Long.toUnsignedString(n) + " from section 0 does not fit the file", first + 32);
            }
            count = (int) n;
        }
        if (nameIndex == SHN_XINDEX) {
            nameIndex = (int) Math.min(Bytes.u32(file, first + 40, le), Integer.MAX_VALUE);
        }
        if ((long) count * SHDR_SIZE > file.length - shoff) {
            throw MalformedObjectException.ofFile(count + " section headers at offset " + shoff + " run past the end of the file (" + file.length + " bytes)", shoff);
        }
        if (nameIndex >= count) {
            throw MalformedObjectException.ofFile("e_shstrndx " + nameIndex + " is not a section (" + count + " sections)", 0x3e);
        }
        long[][] raw = new long[count][];
        for (int i = 0; i < count; i++) {
            int p = first + i * SHDR_SIZE;
            raw[i] = new long[] {
                Bytes.u32(file, p, le), Bytes.u32(file, p + 4, le), Bytes.u64(file, p + 8, le), Bytes.u64(file, p + 24, le),
                Bytes.u64(file, p + 32, le), Bytes.u32(file, p + 40, le), Bytes.u32(file, p + 44, le), Bytes.u64(file, p + 48, le),
                Bytes.u64(file, p + 56, le)};
            long type = raw[i][1];
            if (type != SectionType.NOBITS && type != SectionType.NULL) {
                long off = raw[i][3];
                long size = raw[i][4];
                if (off < 0 || size < 0 || off > file.length || size > file.length - off) {
                    throw new MalformedObjectException("elf: section(" + i + ") data [" + Long.toUnsignedString(off) + ", +" + Long.toUnsignedString(size)
                            + ") is past the end of the file (" + file.length + " bytes)", null, i, p + 24);
                }
            }
        }
        long[] names = raw[nameIndex];
        if (names[1] != SectionType.STRTAB) {
            throw MalformedObjectException.ofFile("e_shstrndx " + nameIndex + " is not a string table", 0x3e);
        }
        List<ElfSection> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long[] r = raw[i];
            String name = i == 0 && r[0] == 0 ? "" : string(names, r[0], "section(" + i + ") name", nameIndex, ".shstrtab", first + i * SHDR_SIZE);
            out.add(new ElfSection(i, name, r[1], r[2], r[3], r[4], r[5], r[6], r[8], r[7], file, order));
        }
        return List.copyOf(out);
    }

    /** A NUL-terminated string at {@code offset} inside the string table with header {@code table}. */
    private String string(long[] table, long offset, String what, int tableIndex, String tableName, long where) {
        long tableOff = table[3];
        long tableSize = table[4];
        if (offset >= tableSize) {
            throw new MalformedObjectException("elf: " + what + " offset " + offset + " is outside string table '" + tableName + "' of " + tableSize + " bytes",
                    tableName, tableIndex, where);
        }
        int start = (int) (tableOff + offset);
        int end = (int) (tableOff + tableSize);
        for (int p = start; p < end; p++) {
            if (file[p] == 0) {
                return new String(file, start, p - start, StandardCharsets.UTF_8);
            }
        }
        throw new MalformedObjectException("elf: " + what + " at offset " + offset + " runs off the end of string table '" + tableName + "'",
                tableName, tableIndex, tableOff + offset);
    }

    private long[] headerOf(ElfSection s) {
        return new long[] {0, s.type(), s.flags(), s.offset(), s.size()};
    }

    private List<ElfSymbol> readSymbols(List<ElfSection> sections) {
        ElfSection symtab = null;
        for (ElfSection s : sections) {
            if (s.type() == SectionType.SYMTAB) {
                if (symtab != null) {
                    throw new MalformedObjectException("elf: multiple symbol tables ('" + symtab.name() + "' and '" + s.name() + "')", s.name(), s.index(), s.offset());
                }
                symtab = s;
            }
        }
        if (symtab == null) {
            return List.of();
        }
        if (symtab.entsize() != SYM_SIZE || symtab.size() % SYM_SIZE != 0) {
            throw new MalformedObjectException("elf: symbol table '" + symtab.name() + "' has entsize " + symtab.entsize() + " and size " + symtab.size()
                    + ", expected whole entries of 24 bytes", symtab.name(), symtab.index(), symtab.offset());
        }
        long link = symtab.link();
        if (link == 0 || link >= sections.size() || sections.get((int) link).type() != SectionType.STRTAB) {
            throw new MalformedObjectException("elf: symbol strings section missing or invalid (sh_link " + link + ")", symtab.name(), symtab.index(), symtab.offset());
        }
        ElfSection strtab = sections.get((int) link);
        long[] strHeader = headerOf(strtab);
        int n = (int) (symtab.size() / SYM_SIZE);
        List<ElfSymbol> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int p = (int) symtab.offset() + i * SYM_SIZE;
            long nameOff = Bytes.u32(file, p, le);
            int info = Bytes.u8(file, p + 4);
            int other = Bytes.u8(file, p + 5);
            int shndx = Bytes.u16(file, p + 6, le);
            long value = Bytes.u64(file, p + 8, le);
            long size = Bytes.u64(file, p + 16, le);
            if (shndx != ElfSymbol.UNDEFINED && shndx < ElfSymbol.LORESERVE && shndx >= sections.size()) {
                throw new MalformedObjectException("elf: symbol #" + i + " refers to section(" + shndx + "), but there are " + sections.size() + " sections",
                        symtab.name(), symtab.index(), p + 6);
            }
            if (shndx == SHN_XINDEX) {
                throw new MalformedObjectException("elf: symbol #" + i + " uses an extended section index (SHN_XINDEX), which BPF objects never need",
                        symtab.name(), symtab.index(), p + 6);
            }
            String name = nameOff == 0 ? "" : string(strHeader, nameOff, "symbol #" + i + " name", strtab.index(), strtab.name(), p);
            out.add(new ElfSymbol(i, name, value, size, SymbolType.of(info & 0xf), SymbolBinding.of(info >>> 4),
                    SymbolVisibility.of(other), shndx));
        }
        return List.copyOf(out);
    }

    private List<RelocationSection> readRelocations(List<ElfSection> sections, List<ElfSymbol> symbols) {
        List<RelocationSection> out = new ArrayList<>();
        for (ElfSection rel : sections) {
            if (rel.type() != SectionType.REL) continue;
            if (rel.entsize() != REL_SIZE || rel.size() % REL_SIZE != 0) {
                throw new MalformedObjectException("elf: relocation section '" + rel.name() + "' has entsize " + rel.entsize() + " and size " + rel.size()
                        + ", expected whole entries of 16 bytes", rel.name(), rel.index(), rel.offset());
            }
            long targetIndex = rel.info();
            if (targetIndex == 0 || targetIndex >= sections.size()) {
                throw new MalformedObjectException("elf: relocation section '" + rel.name() + "' applies to section(" + targetIndex + "), which does not exist",
                        rel.name(), rel.index(), rel.offset());
            }
            ElfSection target = sections.get((int) targetIndex);
            int n = (int) (rel.size() / REL_SIZE);
            // every entry is checked now; the Relocation objects are built on first use
            for (int i = 0; i < n; i++) {
                relocation(rel, target, symbols, i, false);
            }
            List<Relocation> entries = new DecodedOnUse<>(n, i -> relocation(rel, target, symbols, i, true));
            out.add(new RelocationSection(rel, target, entries));
        }
        return List.copyOf(out);
    }

    /** Checks entry {@code i} of {@code rel}, and with {@code build} returns it (else null). */
    private Relocation relocation(ElfSection rel, ElfSection target, List<ElfSymbol> symbols, int i, boolean build) {
        int p = (int) rel.offset() + i * REL_SIZE;
        long offset = Bytes.u64(file, p, le);
        long info = Bytes.u64(file, p + 8, le);
        long symIndex = info >>> 32;
        long rawType = info & 0xffffffffL;
        if (symIndex >= symbols.size()) {
            throw new MalformedObjectException("elf: relocation section '" + rel.name() + "': relo #" + i + ": symbol index " + symIndex
                    + " is out of range (" + symbols.size() + " symbols)", rel.name(), rel.index(), p + 8);
        }
        RelocationType type = RelocationType.of(rawType);
        long addend = addend(rel, i, target, offset, type, p);
        return build ? new Relocation(i, offset, type, rawType, symbols.get((int) symIndex), addend) : null;
    }

    private long addend(ElfSection rel, int i, ElfSection target, long offset, RelocationType type, int where) {
        int width = type.fieldWidth();
        if (width == 0) return 0;
        long limit = target.fileSize();
        long field = offset + type.fieldOffset();
        if (offset < 0 || field + width > limit) {
            throw new MalformedObjectException("elf: relocation section '" + rel.name() + "': relo #" + i + ": offset " + Long.toUnsignedString(offset)
                    + " is outside section '" + target.name() + "' of " + limit + " bytes", rel.name(), rel.index(), where);
        }
        int at = (int) (target.offset() + field);
        return width == 8 ? Bytes.u64(file, at, le) : Bytes.s32(file, at, le);
    }
}
