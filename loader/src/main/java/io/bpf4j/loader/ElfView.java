package io.bpf4j.loader;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.elf.ObjdumpListings;
import io.bpf4j.elf.RelocationSection;
import io.bpf4j.elf.SymbolType;
import io.bpf4j.isa.text.LlvmSyntax;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ELF level of a BPF object file, as {@code readelf} and {@code llvm-objdump} show it:
 * sections, symbols, functions, relocations, and the disassembly of the object as compiled.
 * Nothing is relocated; {@link BpfObject} is the object as libbpf opens it.
 */
public final class ElfView {
    private final ElfObject elf;

    private ElfView(ElfObject elf) {
        this.elf = elf;
    }

    /**
     * Reads an object file.
     *
     * @throws UncheckedIOException      when it cannot be read
     * @throws io.bpf4j.isa.BpfException when it is not a BPF ELF object, naming the place and the rule
     */
    public static ElfView read(Path path) {
        try {
            return parse(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("elf: cannot read '" + path + "'", e);
        }
    }

    /** {@link #read(Path)} from memory. */
    public static ElfView parse(byte[] bytes) {
        return new ElfView(ElfObject.read(bytes));
    }

    /** A section header. @param type the {@code sh_type} number @param typeName its readelf name ({@code PROGBITS}, ...) */
    public record Section(int index, String name, long type, String typeName, long flags, long size) {}

    /**
     * A symbol table entry; {@code type}, {@code binding} and {@code visibility} are the ELF
     * names in upper case ({@code FUNC}, {@code GLOBAL}, {@code DEFAULT}); {@code section} is the
     * section's name, or {@code UND}, {@code ABS}, {@code COM}.
     */
    public record Symbol(int index, String name, long value, long size, String type, String binding, String visibility,
                         String section) {}

    /**
     * A function in an executable section: an entry program, or a subprogram when in
     * {@code .text} (libbpf's rule). {@code offset} is in bytes, {@code instructions} in 8-byte slots.
     */
    public record Function(String section, String name, long offset, long instructions, boolean subprogram, String binding) {}

    /**
     * A relocation entry. {@code btf} says whether it relocates {@code .BTF} or {@code .BTF.ext}
     * (debug data the loader reads itself, not code or data it patches).
     */
    public record Relocation(String section, long offset, String type, String symbol, boolean btf) {}

    /** {@code little} or {@code big}. */
    public String byteOrder() {
        return elf.byteOrder().toString().toLowerCase(Locale.ROOT).replace("_endian", "");
    }

    /** Every section header, in index order. */
    public List<Section> sections() {
        List<Section> out = new ArrayList<>();
        for (ElfSection s : elf.sections()) {
            out.add(new Section(s.index(), s.name(), s.type(), sectionType(s.type()), s.flags(), s.size()));
        }
        return out;
    }

    /** Every symbol, in table order. */
    public List<Symbol> symbols() {
        List<Symbol> out = new ArrayList<>();
        for (ElfSymbol sym : elf.symbols()) {
            out.add(new Symbol(sym.index(), sym.name(), sym.value(), sym.size(), sym.type().name(), sym.binding().name(),
                    sym.visibility().name(), sectionName(sym)));
        }
        return out;
    }

    /** Every function of every executable section, section by section. */
    public List<Function> functions() {
        List<Function> out = new ArrayList<>();
        for (ElfSection s : elf.sections()) {
            if (!s.isExecutable()) {
                continue;
            }
            for (ElfSymbol sym : elf.symbolsIn(s)) {
                if (sym.type() == SymbolType.FUNC) {
                    out.add(new Function(s.name(), sym.name(), sym.value(), sym.size() / 8, s.name().equals(".text"),
                            sym.binding().name().toLowerCase(Locale.ROOT)));
                }
            }
        }
        return out;
    }

    /** Every relocation of every relocation section, in file order. */
    public List<Relocation> relocations() {
        List<Relocation> out = new ArrayList<>();
        for (RelocationSection rs : elf.relocationSections()) {
            String target = rs.target().name();
            boolean btf = target.equals(".BTF") || target.equals(".BTF.ext");
            for (io.bpf4j.elf.Relocation r : rs.relocations()) {
                out.add(new Relocation(target, r.offset(), r.type().name(), symbolText(r.symbol()), btf));
            }
        }
        return out;
    }

    /**
     * What {@code llvm-objdump-19 -dr --mcpu=CPU} prints from the first "Disassembly of section" line.
     *
     * @param mcpu {@code v1} (plain llvm-objdump-19's default), {@code v2}, {@code v3} or {@code v4}
     * @throws IllegalArgumentException for another CPU
     */
    public String disassembleLlvm(String mcpu) {
        return disassembleLlvm(19, mcpu);
    }

    /**
     * What {@code llvm-objdump-VERSION -dr --mcpu=CPU} prints from the first "Disassembly of section" line.
     *
     * @param llvmVersion {@code 19} or {@code 22}: which llvm-objdump's syntax (22 knows gotox,
     *                    load-acquire and store-release)
     * @param mcpu        {@code v1}, {@code v2}, {@code v3} or {@code v4}; null for what plain
     *                    llvm-objdump of that version decodes (v1 for 19, v3 for 22)
     * @throws IllegalArgumentException for another version or CPU
     */
    public String disassembleLlvm(int llvmVersion, String mcpu) {
        LlvmSyntax.Version version = LlvmSyntax.Version.parse(Integer.toString(llvmVersion));
        LlvmSyntax.Cpu cpu = version.defaultCpu();
        if (mcpu != null) {
            try {
                cpu = LlvmSyntax.Cpu.valueOf(mcpu.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + mcpu + "' is not one of v1, v2, v3, v4");
            }
        }
        return ObjdumpListings.of(elf, LlvmSyntax.of(version, cpu)).render();
    }

    /**
     * {@link #disassembleLlvm(String)} of one function only, as llvm-objdump's
     * {@code --disassemble-symbols=NAME} prints it: its section's header and its own block.
     *
     * @return the listing, or empty when no executable section has a function of that name
     */
    public String disassembleLlvm(String mcpu, String function) {
        return disassembleLlvm(19, mcpu, function);
    }

    /**
     * {@link #disassembleLlvm(int, String)} of one function only, as llvm-objdump's
     * {@code --disassemble-symbols=NAME} prints it: its section's header and its own block.
     *
     * @return the listing, or empty when no executable section has a function of that name
     */
    public String disassembleLlvm(int llvmVersion, String mcpu, String function) {
        String all = disassembleLlvm(llvmVersion, mcpu);
        String section = null;
        StringBuilder out = new StringBuilder();
        boolean inside = false;
        for (String line : all.split("\n", -1)) {
            if (line.startsWith("Disassembly of section ")) {
                section = line;
                inside = false;
                continue;
            }
            if (!inside && line.endsWith(" <" + function + ">:") && !line.startsWith(" ") && section != null) {
                inside = true;
                out.append(section).append("\n\n");
            }
            if (inside) {
                if (line.isEmpty()) {
                    break;
                }
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String sectionType(long type) {
        return switch ((int) type) {
            case 0 -> "NULL";
            case 1 -> "PROGBITS";
            case 2 -> "SYMTAB";
            case 3 -> "STRTAB";
            case 4 -> "RELA";
            case 8 -> "NOBITS";
            case 9 -> "REL";
            case 0x6fff4c03 -> "LLVM_ADDRSIG";
            default -> "0x" + Long.toHexString(type);
        };
    }

    private String sectionName(ElfSymbol sym) {
        if (sym.isInSection() && sym.sectionIndex() < elf.sections().size()) {
            return elf.section(sym.sectionIndex()).name();
        }
        return sym.isUndefined() ? "UND" : sym.isAbsolute() ? "ABS" : sym.isCommon() ? "COM" : String.valueOf(sym.sectionIndex());
    }

    private String symbolText(ElfSymbol sym) {
        return sym.name().isEmpty() && sym.type() == SymbolType.SECTION ? sectionName(sym) : sym.name();
    }

    /** {@code ElfView[N sections, M symbols]}. */
    @Override
    public String toString() {
        return "ElfView[" + elf.sections().size() + " sections, " + elf.symbols().size() + " symbols]";
    }
}
