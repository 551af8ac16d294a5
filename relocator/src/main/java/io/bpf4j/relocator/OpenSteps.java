package io.bpf4j.relocator;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.elf.Relocation;
import io.bpf4j.elf.RelocationSection;
import io.bpf4j.elf.SymbolBinding;
import io.bpf4j.elf.SymbolType;
import io.bpf4j.elf.SymbolVisibility;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfType;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.elf.spec.DataSecs;
import io.bpf4j.elf.spec.Extern;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.elf.spec.ObjectSections;
import io.bpf4j.elf.spec.SectionKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The open-phase steps of libbpf that produce programs and classified relocations. Pure functions. */
final class OpenSteps {
    private static final Logger LOG = LoggerFactory.getLogger(OpenSteps.class);

    private OpenSteps() {}

    /** {@code license}: a C string of at most 63 bytes. */
    static String license(ElfObject elf, ObjectSections sections) {
        int idx = sections.first(SectionKind.LICENSE);
        if (idx < 0) {
            return "";
        }
        byte[] b = elf.section(idx).bytes();
        int n = 0;
        while (n < b.length && n < 63 && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** {@code version}: exactly 4 bytes, read as a host-order (little-endian) u32 without swapping. */
    static int kernelVersion(ElfObject elf, ObjectSections sections, int fallback, String objectName) {
        int idx = sections.first(SectionKind.VERSION);
        if (idx < 0) {
            return fallback;
        }
        ElfSection s = elf.section(idx);
        // a NOBITS 'version' section declares 4 bytes and holds none
        byte[] b = s.size() == 4 ? s.bytes() : null;
        if (b == null || b.length != 4) {
            throw new ObjectFormatException("invalid kver section in " + objectName, "version", null);
        }
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    /** Carves every STT_FUNC of every executable section into a program, sorted by (section, offset). */
    static List<ProgramSpec> carvePrograms(ElfObject elf, ObjectSections sections) {
        List<ProgramSpec> out = new ArrayList<>();
        int text = sections.textIndex();
        for (ElfSection sec : elf.sections()) {
            if (sections.kind(sec.index()) != SectionKind.PROGRAM) {
                continue;
            }
            ProgramSection ps = SectionDefs.classify(sec.name());
            for (ElfSymbol sym : elf.symbols()) {
                if (sym.index() == 0 || sym.sectionIndex() != sec.index() || sym.type() != SymbolType.FUNC) {
                    continue;
                }
                long off = sym.value();
                long size = sym.size();
                if (off + size > sec.size() || off + size < off) {
                    throw new ObjectFormatException("sec '" + sec.name() + "': program at offset " + off
                            + " crosses section boundary", sec.name(), sym.name());
                }
                if (sec.index() != text && sym.binding() == SymbolBinding.LOCAL) {
                    throw new ObjectFormatException("sec '" + sec.name() + "': program '" + sym.name()
                            + "' is static and not supported", sec.name(), sym.name());
                }
                if (size == 0 || size % 8 != 0 || off % 8 != 0) {
                    throw new ObjectFormatException("sec '" + sec.name() + "': corrupted program '" + sym.name() + "', offset "
                            + off + ", size " + size, sec.name(), sym.name());
                }
                byte[] bytes = sec.bytes();
                Instructions insns = InstructionCodec.decode(bytes, (int) off, (int) size, elf.byteOrder());
                boolean global = sym.binding() != SymbolBinding.LOCAL;
                boolean hidden = global && (sym.visibility() == SymbolVisibility.HIDDEN
                        || sym.visibility() == SymbolVisibility.INTERNAL);
                out.add(new ProgramSpec(sym.name(), ps, sec.index(), (int) (off / 8), insns, sec.index() == text, global,
                        hidden, ps.autoload(), List.of()));
            }
        }
        out.sort(Comparator.comparingInt(ProgramSpec::sectionIndex).thenComparingInt(ProgramSpec::sectionSlotOffset));
        return out;
    }

    /** libbpf's {@code find_prog_by_sec_insn}: the program containing section slot {@code slot}, or -1. */
    static int findProgram(List<ProgramSpec> programs, int sectionIndex, long slot) {
        int lo = 0;
        int hi = programs.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            ProgramSpec p = programs.get(mid);
            if (p.sectionIndex() < sectionIndex || p.sectionIndex() == sectionIndex && p.sectionSlotOffset() <= slot) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return -1;
        }
        ProgramSpec p = programs.get(found);
        return p.sectionIndex() == sectionIndex && p.containsSectionSlot(slot) ? found : -1;
    }

    /**
     * Collects and classifies the relocations of every program ({@code bpf_object__collect_relos}
     * and {@code bpf_program__record_reloc}); each program's list ends up sorted by (slot, kind).
     */
    static List<ProgramSpec> collectRelocations(ElfObject elf, ObjectSections sections, List<ProgramSpec> programs,
                                                List<MapSpec> maps, List<Extern> externs) {
        Map<Integer, List<RelocationRecord>> byProgram = new HashMap<>();
        for (RelocationSection rs : elf.relocationSections()) {
            SectionKind relKind = sections.kind(rs.section().index());
            if (relKind != SectionKind.RELOCATIONS) {
                // a call table's relocations are skipped here, as libbpf skips them, but IndirectTables
                // reads them: saying "skipping" would mislead
                if (relKind == SectionKind.SKIPPED_RELOCATIONS && !rs.target().name().equals(IndirectTables.CALL_TABLE_SECTION)) {
                    LOG.info("elf: skipping relo section({}) {} for section({}) {}", rs.section().index(), rs.section().name(),
                            rs.target().index(), rs.target().name());
                }
                continue;
            }
            SectionKind targetKind = sections.kind(rs.target().index());
            if (targetKind == SectionKind.MAPS || targetKind == SectionKind.STRUCT_OPS) {
                continue; // .rel.maps is handled by mapRelocations; struct_ops is refused when maps are read
            }
            String relName = rs.section().name();
            ElfSection target = rs.target();
            for (Relocation rel : rs.relocations()) {
                int i = rel.index();
                ElfSymbol sym = rel.symbol();
                if (sym.sectionIndex() >= elf.sections().size()) {
                    throw new RelocationException("sec '" + relName + "': corrupted symbol #" + sym.index()
                            + " pointing to invalid section #" + sym.sectionIndex() + " for relo #" + i, null, i, -1, sym.name());
                }
                if (rel.offset() % 8 != 0 || rel.offset() >= target.size() || rel.offset() < 0) {
                    throw new RelocationException("sec '" + relName + "': invalid offset 0x" + Long.toHexString(rel.offset())
                            + " for relo #" + i, null, i, -1, sym.name());
                }
                long slot = rel.offset() / 8;
                String symName = sym.type() == SymbolType.SECTION && sym.name().isEmpty()
                        ? elf.section(sym.sectionIndex()).name() : sym.name();
                int pi = findProgram(programs, target.index(), slot);
                if (pi < 0) {
                    LOG.debug("sec '{}': relo #{}: couldn't find program in section '{}' for insn #{}, probably overridden weak function, skipping...",
                            relName, i, target.name(), slot);
                    continue;
                }
                ProgramSpec p = programs.get(pi);
                int local = (int) (slot - p.sectionSlotOffset());
                RelocationRecord r = classify(elf, sections, p, local, symName, sym, maps, externs);
                byProgram.computeIfAbsent(pi, k -> new ArrayList<>()).add(r);
            }
        }
        List<ProgramSpec> out = new ArrayList<>(programs.size());
        for (int i = 0; i < programs.size(); i++) {
            List<RelocationRecord> list = byProgram.getOrDefault(i, List.of());
            List<RelocationRecord> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparingInt(RelocationRecord::slot).thenComparing(RelocationRecord::kind));
            out.add(programs.get(i).withRelocations(sorted));
        }
        return out;
    }

    private static Slot slotAt(ProgramSpec p, int slot) {
        Instructions insns = p.instructions();
        int idx = insns.indexAtSlot(slot);
        if (idx >= 0) {
            return insns.get(idx).slot();
        }
        // the second half of an ld_imm64: libbpf looks at it as an instruction of its own
        int before = insns.indexAtSlot(slot - 1);
        return before >= 0 ? insns.get(before).raw().get(1) : Slot.ZERO;
    }

    private static RelocationRecord classify(ElfObject elf, ObjectSections sections, ProgramSpec p, int slot,
                                             String symName, ElfSymbol sym, List<MapSpec> maps, List<Extern> externs) {
        Slot insn = slotAt(p, slot);
        boolean call = insn.code() == Opcodes.CODE_CALL;
        boolean ldimm64 = insn.code() == Opcodes.CODE_LD_IMM64;
        if (!call && !ldimm64) {
            throw new RelocationException("prog '" + p.name() + "': invalid relo against '" + symName + "' for insns["
                    + slot + "].code 0x" + Integer.toHexString(insn.code()), p.name(), -1, slot, symName);
        }
        // every ld_imm64 relocation also writes the second half; libbpf would write past its buffer
        if (ldimm64 && slot + 1 >= p.slotCount()) {
            throw new RelocationException("prog '" + p.name() + "': invalid relo against '" + symName + "' for insns["
                    + slot + "]: ld_imm64 is cut off at the end of the program in section '" + p.section().elfSectionName()
                    + "' (" + p.slotCount() + " instructions)", p.name(), -1, slot, symName);
        }
        if (io.bpf4j.elf.spec.Externs.isExtern(sym)) {
            for (int i = 0; i < externs.size(); i++) {
                if (externs.get(i).symbolIndex() == sym.index()) {
                    return new RelocationRecord(call ? RelocationKind.EXTERN_CALL : RelocationKind.EXTERN_LD64, slot, symName,
                            sym.index(), -1, 0, i);
                }
            }
            throw new RelocationException("prog '" + p.name() + "': extern relo failed to find extern for '" + symName + "' ("
                    + sym.index() + ")", p.name(), -1, slot, symName);
        }
        int shndx = sym.sectionIndex();
        int text = sections.textIndex();
        if (call) {
            if (insn.src() != Opcodes.PSEUDO_CALL) {
                throw new RelocationException("prog '" + p.name() + "': incorrect bpf_call opcode", p.name(), -1, slot, symName);
            }
            if (shndx == 0 || shndx != text) {
                throw new RelocationException("prog '" + p.name() + "': bad call relo against '" + symName + "' in section '"
                        + sectionName(elf, shndx) + "'", p.name(), -1, slot, symName);
            }
            if (sym.value() % 8 != 0) {
                throw new RelocationException("prog '" + p.name() + "': bad call relo against '" + symName + "' at offset "
                        + sym.value(), p.name(), -1, slot, symName);
            }
            return new RelocationRecord(RelocationKind.CALL, slot, symName, sym.index(), -1, sym.value(), -1);
        }
        if (shndx == 0 || shndx >= ElfSymbol.LORESERVE) {
            throw new RelocationException("prog '" + p.name() + "': invalid relo against '" + symName
                    + "' in special section 0x" + Integer.toHexString(shndx) + "; forgot to initialize global var?..",
                    p.name(), -1, slot, symName);
        }
        boolean subprog = shndx == text && (sym.binding() == SymbolBinding.LOCAL && sym.type() == SymbolType.SECTION
                || (sym.binding() == SymbolBinding.GLOBAL || sym.binding() == SymbolBinding.WEAK) && sym.type() == SymbolType.FUNC);
        if (subprog) {
            if (sym.value() % 8 != 0 || insn.imm() % 8 != 0) {
                throw new RelocationException("prog '" + p.name() + "': bad subprog addr relo against '" + symName
                        + "' at offset " + sym.value() + "+" + insn.imm(), p.name(), -1, slot, symName);
            }
            return new RelocationRecord(RelocationKind.SUBPROG_ADDR, slot, symName, sym.index(), -1, sym.value(), -1);
        }
        RelocationRecord table = IndirectTables.classify(elf, sections, slot, symName, sym, insn.imm());
        if (table != null) {
            return table;
        }
        ElfSymbol writable = IndirectTables.writableFunctionPointers(elf, sections, sym, insn.imm());
        if (writable != null) {
            throw new RelocationException("prog '" + p.name() + "': '" + writable.name() + "' in writable section '"
                    + sectionName(elf, shndx) + "' holds function pointers: a function pointer a program can overwrite"
                    + " cannot be verified (declare the table const)", p.name(), -1, slot, writable.name());
        }
        SectionKind kind = sections.kind(shndx);
        String secName = sectionName(elf, shndx);
        if (kind == SectionKind.ARENA) {
            for (int i = 0; i < maps.size(); i++) {
                if (maps.get(i).typeId() == io.bpf4j.isa.abi.MapType.ARENA.id()) {
                    // libbpf: RELO_DATA against the arena map; the kernel makes the load the arena's user address + offset
                    return new RelocationRecord(RelocationKind.DATA, slot, symName, sym.index(), i, sym.value(), -1);
                }
            }
            throw new RelocationException("prog '" + p.name() + "': bad arena data relocation at insn " + slot
                    + ", no arena maps defined", p.name(), -1, slot, symName);
        }
        if (!kind.isGlobalData()) {
            if (kind != SectionKind.MAPS && kind != SectionKind.LEGACY_MAPS) {
                throw new RelocationException("prog '" + p.name() + "': bad map relo against '" + symName + "' in section '"
                        + secName + "'", p.name(), -1, slot, symName);
            }
            for (int i = 0; i < maps.size(); i++) {
                MapSpec m = maps.get(i);
                if (!m.kind().isGlobalData() && m.sectionIndex() == shndx && m.sectionOffset() == sym.value()) {
                    return new RelocationRecord(RelocationKind.LD64, slot, symName, sym.index(), i, 0, -1);
                }
            }
            throw new RelocationException("prog '" + p.name() + "': map relo failed to find map for section '" + secName
                    + "', off " + sym.value(), p.name(), -1, slot, symName);
        }
        MapSpec.Kind want = kind == SectionKind.DATA ? MapSpec.Kind.DATA : kind == SectionKind.RODATA ? MapSpec.Kind.RODATA
                : MapSpec.Kind.BSS;
        for (int i = 0; i < maps.size(); i++) {
            MapSpec m = maps.get(i);
            if (m.kind() == want && m.sectionIndex() == shndx) {
                return new RelocationRecord(RelocationKind.DATA, slot, symName, sym.index(), i, sym.value(), -1);
            }
        }
        throw new RelocationException("prog '" + p.name() + "': data relo failed to find map for section '" + secName + "'",
                p.name(), -1, slot, symName);
    }

    private static String sectionName(ElfObject elf, int index) {
        return index >= 0 && index < elf.sections().size() ? elf.section(index).name() : "";
    }

    /**
     * {@code .rel.maps}: {@code .values} of prog arrays and maps of maps
     * ({@code bpf_object__collect_map_relos}); returns the maps with their initial slots.
     */
    static List<MapSpec> mapRelocations(ElfObject elf, ObjectSections sections, Btf btf, List<ProgramSpec> programs,
                                        List<MapSpec> maps) {
        int mapsIndex = sections.first(SectionKind.MAPS);
        if (mapsIndex < 0) {
            return maps;
        }
        Map<Integer, TreeMap<Integer, String>> slots = new HashMap<>();
        for (RelocationSection rs : elf.relocationSections()) {
            if (rs.target().index() != mapsIndex || sections.kind(rs.section().index()) != SectionKind.RELOCATIONS) {
                continue;
            }
            for (Relocation rel : rs.relocations()) {
                int i = rel.index();
                ElfSymbol sym = rel.symbol();
                String name = sym.name().isEmpty() ? "<?>" : sym.name();
                int mi = -1;
                for (int j = 0; j < maps.size(); j++) {
                    MapSpec m = maps.get(j);
                    if (m.kind() == MapSpec.Kind.BTF_DEFINED && m.sectionOffset() <= rel.offset()
                            && rel.offset() + 8 <= m.sectionOffset() + m.declarationSize()) {
                        mi = j;
                        break;
                    }
                }
                if (mi < 0) {
                    throw new RelocationException(".maps relo #" + i + ": cannot find map '" + name + "' at rel->r_offset "
                            + rel.offset(), null, i, -1, name);
                }
                MapSpec map = maps.get(mi);
                boolean mapInMap = map.typeId() == MapType.ARRAY_OF_MAPS.id() || map.typeId() == MapType.HASH_OF_MAPS.id();
                boolean progArray = map.typeId() == MapType.PROG_ARRAY.id();
                if (mapInMap) {
                    if (sym.sectionIndex() != mapsIndex) {
                        throw new RelocationException(".maps relo #" + i + ": '" + name + "' isn't a BTF-defined map", null, i,
                                -1, name);
                    }
                    if (map.typeId() == MapType.HASH_OF_MAPS.id() && map.keySize() != 4) {
                        throw new RelocationException(".maps relo #" + i + ": hash-of-maps '" + map.name()
                                + "' should have key size 4.", null, i, -1, name);
                    }
                    boolean found = false;
                    for (MapSpec m : maps) {
                        found |= m.name().equals(name);
                    }
                    if (!found) {
                        throw new RelocationException(".maps relo #" + i + ": '" + name + "' isn't a valid map reference", null,
                                i, -1, name);
                    }
                } else if (IndirectTables.isCallTableMap(map)) {
                    name = IndirectTables.callTableValue(elf, sections, programs, map, rel);
                } else if (progArray) {
                    ProgramSpec target = null;
                    for (ProgramSpec p : programs) {
                        if (!p.subprogram() && p.name().equals(name)) {
                            target = p;
                            break;
                        }
                    }
                    if (target == null) {
                        throw new RelocationException(".maps relo #" + i + ": '" + name + "' isn't a valid program reference",
                                null, i, -1, name);
                    }
                    if (target.sectionIndex() != sym.sectionIndex() || target.sectionSlotOffset() * 8L != sym.value()) {
                        throw new RelocationException(".maps relo #" + i + ": '" + name + "' isn't an entry-point program", null,
                                i, -1, name);
                    }
                } else {
                    throw new RelocationException(".maps relo #" + i + ": map '" + map.name()
                            + "' is neither a map-in-map nor a prog-array", null, i, -1, name);
                }
                BtfType.Struct def = mapDefinition(btf, map.name());
                List<BtfType.Member> members = def == null ? List.of() : def.members();
                if (members.isEmpty() || !members.get(members.size() - 1).name().equals("values")) {
                    throw new RelocationException(".maps relo #" + i + ": map '" + map.name() + "' has no 'values' member",
                            null, i, -1, name);
                }
                long moff = members.get(members.size() - 1).bitOffset() / 8;
                long rel0 = rel.offset() - map.sectionOffset();
                if (rel0 < moff || (rel0 - moff) % 8 != 0) {
                    throw new RelocationException(".maps relo #" + i + ": offset " + rel.offset()
                            + " is not a slot of '" + map.name() + ".values'", null, i, -1, name);
                }
                slots.computeIfAbsent(mi, k -> new TreeMap<>()).put((int) ((rel0 - moff) / 8), name);
            }
        }
        List<MapSpec> out = new ArrayList<>(maps);
        for (Map.Entry<Integer, TreeMap<Integer, String>> e : slots.entrySet()) {
            out.set(e.getKey(), out.get(e.getKey()).withInitialSlots(e.getValue()));
        }
        return out;
    }

    private static BtfType.Struct mapDefinition(Btf btf, String mapName) {
        BtfType.DataSec ds = DataSecs.find(btf, ".maps").orElse(null);
        if (ds == null) {
            return null;
        }
        for (BtfType.VarSecInfo v : ds.vars()) {
            BtfType t = btf.type(v.type());
            if (t instanceof BtfType.Var && t.name().equals(mapName)) {
                BtfType def = btf.resolve(((BtfType.Var) t).type());
                return def instanceof BtfType.Struct ? (BtfType.Struct) def : null;
            }
        }
        return null;
    }
}
