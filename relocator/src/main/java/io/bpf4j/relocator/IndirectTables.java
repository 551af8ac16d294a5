package io.bpf4j.relocator;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.elf.Relocation;
import io.bpf4j.elf.RelocationType;
import io.bpf4j.elf.SymbolType;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.elf.spec.ObjectSections;
import io.bpf4j.elf.spec.SectionKind;
import io.bpf4j.relocator.tables.TableDeclaration;
import io.bpf4j.relocator.tables.TableKind;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The tables an object declares and how relocations against them are classified: bpf4j's call
 * tables ({@code SEC("callx")} arrays of function pointers, see call-tables-design.md) and
 * LLVM's jump tables ({@code .jumptables}, as libbpf 1.7 reads them). Every bpf4j choice about
 * call tables that upstream may still decide differently is in this class and
 * {@link IndirectLinker}.
 */
final class IndirectTables {
    /** The section a call table is declared in (bpf4j, after the LSF/MM/BPF 2025 proposal). */
    static final String CALL_TABLE_SECTION = "callx";
    /** libbpf's {@code JUMPTABLES_SEC}. */
    static final String JUMPTABLES_SECTION = ".jumptables";

    private IndirectTables() {}

    /**
     * Classifies an {@code ld_imm64} relocation against a table symbol (libbpf's step 7,
     * RELO_INSN_ARRAY, and bpf4j's call tables); null when the symbol is in neither kind of
     * section.
     */
    static RelocationRecord classify(ElfObject elf, ObjectSections sections, int slot, String symName, ElfSymbol sym, int imm) {
        int shndx = sym.sectionIndex();
        if (sections.kind(shndx) == SectionKind.JUMPTABLES) {
            return new RelocationRecord(RelocationKind.INSN_ARRAY, slot, symName, sym.index(), -1, sym.value(), -1);
        }
        if (shndx < elf.sections().size() && elf.section(shndx).name().equals(CALL_TABLE_SECTION)) {
            return new RelocationRecord(RelocationKind.CALL_TABLE, slot, symName, sym.index(), -1, sym.value(), -1);
        }
        if (sections.kind(shndx) == SectionKind.RODATA && shndx < elf.sections().size()) {
            ElfSymbol table = objectAt(elf, elf.section(shndx), sym.value() + imm);
            if (table != null && isFunctionPointerTable(elf, sections, elf.section(shndx), table)) {
                return new RelocationRecord(RelocationKind.CALL_TABLE, slot, symName, sym.index(), -1, sym.value(), -1);
            }
        }
        return null;
    }

    /**
     * The object of a writable data section ({@code .data*}, {@code .bss*}) at {@code offset}
     * when it holds a function address (an {@code R_BPF_64_ABS64} against {@code .text}), else
     * null: bpf4j refuses to load such an address, since nothing can verify what a program
     * may have stored over it before calling it.
     */
    static ElfSymbol writableFunctionPointers(ElfObject elf, ObjectSections sections, ElfSymbol sym, int imm) {
        int shndx = sym.sectionIndex();
        SectionKind kind = sections.kind(shndx);
        if (kind != SectionKind.DATA && kind != SectionKind.BSS || shndx >= elf.sections().size()) {
            return null;
        }
        ElfSection section = elf.section(shndx);
        ElfSymbol object = objectAt(elf, section, sym.value() + imm);
        if (object == null) {
            return null;
        }
        for (Relocation r : elf.relocationsFor(section)) {
            if (r.offset() >= object.value() && r.offset() < object.value() + object.size() && pointsIntoText(sections, r)) {
                return object;
            }
        }
        return null;
    }

    private static boolean pointsIntoText(ObjectSections sections, Relocation r) {
        return r.type() == RelocationType.R_BPF_64_ABS64 && sections.textIndex() >= 0
                && r.symbol().sectionIndex() == sections.textIndex();
    }

    /** The sized {@code STT_OBJECT} symbol of {@code section} whose bytes hold {@code offset}, or null. */
    private static ElfSymbol objectAt(ElfObject elf, ElfSection section, long offset) {
        for (ElfSymbol t : tableSymbols(elf, section)) {
            if (offset >= t.value() && offset < t.value() + t.size()) {
                return t;
            }
        }
        return null;
    }

    /**
     * bpf4j: a read-only data object ({@code const} array or struct of function pointers in
     * {@code .rodata*}) is a call table when every one of its 8-byte slots carries an
     * {@code R_BPF_64_ABS64} relocation against {@code .text}.
     */
    private static boolean isFunctionPointerTable(ElfObject elf, ObjectSections sections, ElfSection section, ElfSymbol t) {
        if (t.value() % 8 != 0 || t.size() % 8 != 0) {
            return false;
        }
        List<Relocation> relos = elf.relocationsFor(section);
        for (long off = t.value(); off < t.value() + t.size(); off += 8) {
            boolean found = false;
            for (Relocation r : relos) {
                if (r.offset() == off && pointsIntoText(sections, r)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every table of the object: call tables in {@code callx} sections, then jump tables in
     * {@code .jumptables}, each in symbol-value order.
     *
     * @throws RelocationException for a call-table slot that is not the address of a
     *                             {@code .text} function
     */
    static List<TableDeclaration> declarations(ObjectSpec obj) {
        ElfObject elf = obj.elf();
        List<TableDeclaration> out = new ArrayList<>();
        for (ElfSection s : elf.sectionsNamed(CALL_TABLE_SECTION)) {
            for (ElfSymbol t : tableSymbols(elf, s)) {
                out.add(callTable(obj, s, t));
            }
        }
        for (ElfSection s : elf.sections()) {
            if (obj.sections().kind(s.index()) != SectionKind.RODATA) {
                continue;
            }
            for (ElfSymbol t : tableSymbols(elf, s)) {
                if (isFunctionPointerTable(elf, obj.sections(), s, t)) {
                    out.add(callTable(obj, s, t));
                }
            }
        }
        for (ElfSection s : elf.sections()) {
            if (obj.sections().kind(s.index()) != SectionKind.JUMPTABLES) {
                continue;
            }
            ByteBuffer data = s.data().order(elf.byteOrder());
            for (ElfSymbol t : tableSymbols(elf, s)) {
                checkJumpTable(t.name(), t.value(), t.size(), s.size());
                List<Long> targets = new ArrayList<>();
                for (long off = t.value(); off < t.value() + t.size(); off += 8) {
                    targets.add(data.getLong((int) off));
                }
                out.add(new TableDeclaration(TableKind.JUMP_TABLE, t.name(), s.name(), t.value(), t.size(), targets, List.of()));
            }
        }
        return out;
    }

    /** libbpf's checks of a jump table symbol, with its messages. */
    static void checkJumpTable(String name, long off, long size, long sectionSize) {
        if (off % 8 != 0 || size % 8 != 0) {
            throw new RelocationException("map '.jumptables': jump table '" + name + "' offset " + off + " or size " + size
                    + " is not a multiple of 8", null, -1, -1, name);
        }
        if (off + size > sectionSize) {
            throw new RelocationException("map '.jumptables': jump table '" + name + "' at offset " + off + " of size " + size
                    + " exceeds section size " + sectionSize, null, -1, -1, name);
        }
    }

    private static List<ElfSymbol> tableSymbols(ElfObject elf, ElfSection s) {
        List<ElfSymbol> out = new ArrayList<>();
        for (ElfSymbol sym : elf.symbolsIn(s)) {
            if (sym.type() == SymbolType.OBJECT && sym.size() > 0) {
                out.add(sym);
            }
        }
        out.sort(Comparator.comparingLong(ElfSymbol::value));
        return out;
    }

    private static TableDeclaration callTable(ObjectSpec obj, ElfSection section, ElfSymbol table) {
        ElfObject elf = obj.elf();
        String name = table.name();
        if (table.value() % 8 != 0 || table.size() % 8 != 0) {
            throw new RelocationException("call table '" + name + "': offset " + table.value() + " or size " + table.size()
                    + " is not a multiple of 8", null, -1, -1, name);
        }
        List<Relocation> relos = elf.relocationsFor(section);
        int text = obj.sections().textIndex();
        List<Long> targets = new ArrayList<>();
        List<String> functions = new ArrayList<>();
        for (long off = table.value(); off < table.value() + table.size(); off += 8) {
            int entry = (int) ((off - table.value()) / 8);
            Relocation rel = null;
            for (Relocation r : relos) {
                if (r.offset() == off) {
                    rel = r;
                    break;
                }
            }
            if (rel == null) {
                throw new RelocationException("call table '" + name + "': entry " + entry + " is not a function address", null,
                        -1, -1, name);
            }
            ElfSymbol sym = rel.symbol();
            String symName = sym.type() == SymbolType.SECTION && sym.name().isEmpty() && sym.sectionIndex() < elf.sections().size()
                    ? elf.section(sym.sectionIndex()).name() : sym.name();
            if (text < 0 || sym.sectionIndex() != text) {
                throw new RelocationException("call table '" + name + "': entry " + entry + " points to '" + symName
                        + "' outside .text", null, rel.index(), -1, symName);
            }
            long target = sym.value() + rel.addend();
            int pi = target % 8 == 0 ? OpenSteps.findProgram(obj.allPrograms(), text, target / 8) : -1;
            ProgramSpec callee = pi < 0 ? null : obj.allPrograms().get(pi);
            if (callee == null || callee.sectionSlotOffset() * 8L != target) {
                throw new RelocationException("call table '" + name + "': entry " + entry + " points to .text+" + target
                        + ", which is not the start of a function", null, rel.index(), -1, symName);
            }
            targets.add(target);
            functions.add(callee.name());
        }
        return new TableDeclaration(TableKind.CALL_TABLE, name, section.name(), table.value(), table.size(), targets, functions);
    }

    /**
     * Whether a {@code .maps} definition is the explicit form of a call table: type
     * INSN_ARRAY (INSN_SET in the talk) with {@code BPF_F_CALL_TABLE} in {@code map_extra}.
     */
    static boolean isCallTableMap(MapSpec map) {
        return map.typeId() == MapType.INSN_ARRAY.id() && (map.mapExtra() & MapFlags.BPF_F_CALL_TABLE) != 0;
    }

    /**
     * The function a {@code .values} slot of a call-table map names: the relocation's symbol
     * (a {@code .text} function, or {@code .text} plus the implicit addend) must be the start of
     * a {@code .text} function.
     */
    static String callTableValue(ElfObject elf, ObjectSections sections, List<ProgramSpec> programs, MapSpec map,
                                 Relocation rel) {
        ElfSymbol sym = rel.symbol();
        int text = sections.textIndex();
        long target = sym.value() + rel.addend();
        int pi = text >= 0 && sym.sectionIndex() == text && target % 8 == 0 ? OpenSteps.findProgram(programs, text, target / 8) : -1;
        if (pi < 0 || programs.get(pi).sectionSlotOffset() * 8L != target) {
            throw new RelocationException(".maps relo #" + rel.index() + ": call table '" + map.name()
                    + "' value is not the start of a .text function", null, rel.index(), -1, sym.name());
        }
        return programs.get(pi).name();
    }

    /**
     * The maps with call-table definitions marked not to be created: each program that uses
     * one gets its own instruction array instead (see {@link IndirectLinker}).
     */
    static List<MapSpec> callTableMapsAsTemplates(List<MapSpec> maps) {
        List<MapSpec> out = new ArrayList<>(maps.size());
        for (MapSpec m : maps) {
            out.add(isCallTableMap(m) ? m.withAutocreate(false) : m);
        }
        return out;
    }

    /** The declaration of kind {@code kind} in {@code sectionName} whose bytes include {@code offset}. */
    static TableDeclaration find(List<TableDeclaration> decls, TableKind kind, long offset) {
        return find(decls, kind, null, offset);
    }

    /** As {@link #find(List, TableKind, long)}, in the section named {@code sectionName} (null: any). */
    static TableDeclaration find(List<TableDeclaration> decls, TableKind kind, String sectionName, long offset) {
        for (TableDeclaration d : decls) {
            if (d.kind() == kind && d.contains(offset) && (sectionName == null || d.sectionName().equals(sectionName))) {
                return d;
            }
        }
        return null;
    }
}
