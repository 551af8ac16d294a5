package io.bpf4j.elf;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfExt;
import io.bpf4j.elf.btf.BtfExtSection;
import io.bpf4j.elf.btf.CoreRelo;
import io.bpf4j.elf.btf.CoreReloSymbolizer;
import io.bpf4j.isa.text.LlvmSyntax;
import io.bpf4j.isa.text.ObjdumpListing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@code llvm-objdump -dr} listings of an ELF object (the text-side records live in isa). */
public final class ObjdumpListings {
    private ObjdumpListings() {}

    /** The listing {@code llvm-objdump-19 -dr} prints for {@code object} with the given cpu syntax. */
    public static ObjdumpListing of(ElfObject object, LlvmSyntax syntax) {
        List<ObjdumpListing.CodeSection> sections = new ArrayList<>();
        for (ElfSection s : object.sections()) {
            // llvm-objdump -d disassembles the sections that hold code and have bytes in the file.
            if (!s.isExecutable() || s.type() != SectionType.PROGBITS) {
                continue;
            }
            List<ObjdumpListing.Symbol> symbols = new ArrayList<>();
            for (ElfSymbol sym : object.symbols()) {
                if (sym.sectionIndex() == s.index()) {
                    symbols.add(new ObjdumpListing.Symbol(sym.name(), sym.value(), ObjdumpListing.SymbolType.ofElf(sym.type().value())));
                }
            }
            List<ObjdumpListing.Relocation> relocs = new ArrayList<>();
            for (Relocation r : object.relocationsFor(s)) {
                ElfSymbol sym = r.symbol();
                String name = sym.type() == SymbolType.SECTION && sym.isInSection() && sym.sectionIndex() < object.sections().size()
                        ? object.section(sym.sectionIndex()).name() : sym.name();
                relocs.add(new ObjdumpListing.Relocation(r.offset(), ObjdumpListing.bpfRelocationTypeName((int) r.rawType()), name));
            }
            sections.add(new ObjdumpListing.CodeSection(s.name(), s.bytes(), object.byteOrder(), symbols, relocs, coreAnnotations(object, s)));
        }
        return ObjdumpListing.of(sections, syntax);
    }

    /**
     * The {@code CO-RE ...} lines of a section: for each instruction offset with core_relo
     * records, only the first of them (the records of every block naming the section, in file
     * order), as llvm-objdump looks up one record per address. None without both {@code .BTF}
     * and {@code .BTF.ext}.
     */
    private static List<ObjdumpListing.Annotation> coreAnnotations(ElfObject object, ElfSection section) {
        if (object.btf().isEmpty() || object.btfExt().isEmpty()) {
            return List.of();
        }
        Btf btf = object.btf().get();
        BtfExt ext = object.btfExt().get();
        Map<Long, CoreRelo> firstAt = new LinkedHashMap<>();
        for (BtfExtSection<CoreRelo> block : ext.coreRelos()) {
            if (block.sectionName().equals(section.name())) {
                for (CoreRelo r : block.records()) {
                    firstAt.putIfAbsent(r.insnOffset(), r);
                }
            }
        }
        List<ObjdumpListing.Annotation> out = new ArrayList<>();
        for (CoreRelo r : firstAt.values()) {
            out.add(new ObjdumpListing.Annotation(r.insnOffset(), "CO-RE " + CoreReloSymbolizer.symbolize(btf, r)));
        }
        out.sort(Comparator.comparingLong(ObjdumpListing.Annotation::offset));
        return out;
    }

    /** The listing plain {@code llvm-objdump-19 -dr} prints (cpu v1 syntax, its default). */
    public static ObjdumpListing of(ElfObject object) {
        return of(object, LlvmSyntax.defaults());
    }
}
