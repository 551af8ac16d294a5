package io.bpf4j.elf;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfExt;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A BPF ELF object (ELFCLASS64, {@code ET_REL}, {@code EM_BPF}) as an immutable model:
 * sections, symbols, REL relocations with implicit addends, and the parsed {@code .BTF} and
 * {@code .BTF.ext}. Reading checks every offset it follows; damaged input ends in a
 * {@link MalformedObjectException} or a {@link io.bpf4j.elf.btf.BtfException}.
 */
public final class ElfObject {
    private final ByteOrder order;
    private final List<ElfSection> sections;
    private final List<ElfSymbol> symbols;
    private final List<RelocationSection> relocations;
    private final Btf btf;
    private final BtfExt btfExt;

    ElfObject(ByteOrder order, List<ElfSection> sections, List<ElfSymbol> symbols, List<RelocationSection> relocations, Btf btf, BtfExt btfExt) {
        this.order = order;
        this.sections = sections;
        this.symbols = symbols;
        this.relocations = relocations;
        this.btf = btf;
        this.btfExt = btfExt;
    }

    /** Reads an object from its bytes; the array is copied, so the caller may reuse it. */
    public static ElfObject read(byte[] bytes) {
        return ElfReader.read(bytes.clone());
    }

    /** Reads an object from a file. */
    public static ElfObject read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("elf: cannot read '" + path + "'", e);
        }
        return ElfReader.read(bytes);
    }

    /** {@return the object's byte order ({@code EI_DATA})} */
    public ByteOrder byteOrder() { return order; }

    /** {@return every section, by index (index 0 is the null section)} */
    public List<ElfSection> sections() { return sections; }

    /** {@return the section with header index {@code index}} */
    public ElfSection section(int index) {
        if (index < 0 || index >= sections.size()) {
            throw new IllegalArgumentException("no section(" + index + "): the object has " + sections.size());
        }
        return sections.get(index);
    }

    /** {@return the first section named {@code name}, as libbpf picks it} */
    public Optional<ElfSection> section(String name) {
        for (ElfSection s : sections) {
            if (s.name().equals(name)) return Optional.of(s);
        }
        return Optional.empty();
    }

    /** {@return every section named {@code name}, in index order} */
    public List<ElfSection> sectionsNamed(String name) {
        List<ElfSection> out = new ArrayList<>();
        for (ElfSection s : sections) {
            if (s.name().equals(name)) out.add(s);
        }
        return out;
    }

    /** {@return every symbol of {@code .symtab}, by index (index 0 is the null symbol); empty without a symbol table} */
    public List<ElfSymbol> symbols() { return symbols; }

    /** {@return the symbols defined in {@code section}, sorted by value and then by index} */
    public List<ElfSymbol> symbolsIn(ElfSection section) {
        List<ElfSymbol> out = new ArrayList<>();
        for (ElfSymbol s : symbols) {
            if (s.isInSection() && s.sectionIndex() == section.index() && s.index() != 0) out.add(s);
        }
        out.sort(Comparator.comparing(ElfSymbol::value, Long::compareUnsigned).thenComparingInt(ElfSymbol::index));
        return out;
    }

    /** {@return the first symbol with this name, if any} */
    public Optional<ElfSymbol> symbol(String name) {
        for (ElfSymbol s : symbols) {
            if (s.index() != 0 && s.name().equals(name)) return Optional.of(s);
        }
        return Optional.empty();
    }

    /**
     * {@return the name tools print for a symbol: its own name, or for an unnamed
     * {@code STT_SECTION} symbol the name of its section} (llvm-objdump and libbpf do the same).
     */
    public String displayName(ElfSymbol symbol) {
        if (symbol.name().isEmpty() && symbol.type() == SymbolType.SECTION && symbol.isInSection()) {
            return sections.get(symbol.sectionIndex()).name();
        }
        return symbol.name();
    }

    /** {@return every REL section with its target and entries, in section order} */
    public List<RelocationSection> relocationSections() { return relocations; }

    /** {@return the relocations that patch {@code target} (from every REL section aimed at it), in file order} */
    public List<Relocation> relocationsFor(ElfSection target) {
        List<Relocation> out = new ArrayList<>();
        for (RelocationSection r : relocations) {
            if (r.target().index() == target.index()) out.addAll(r.relocations());
        }
        return out;
    }

    /** {@return the section's bytes decoded as instructions in the object's byte order} */
    public Instructions instructions(ElfSection section) {
        byte[] file = section.file();
        if (section.hasNoFileData()) return Instructions.of(List.of());
        return InstructionCodec.decode(file, (int) section.offset(), section.fileSize(), order);
    }

    /** {@return the parsed {@code .BTF} section, if the object has one} */
    public Optional<Btf> btf() { return Optional.ofNullable(btf); }

    /** {@return the parsed {@code .BTF.ext} section, if the object has both it and {@code .BTF}} */
    public Optional<BtfExt> btfExt() { return Optional.ofNullable(btfExt); }

    @Override
    public String toString() {
        return "ElfObject[" + (order == ByteOrder.LITTLE_ENDIAN ? "little" : "big") + "-endian, " + sections.size() + " sections, "
                + symbols.size() + " symbols, " + relocations.size() + " relocation sections"
                + (btf == null ? "" : ", " + btf) + (btfExt == null ? "" : ", " + btfExt) + "]";
    }
}
