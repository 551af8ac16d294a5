package io.bpf4j.relocator;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.relocator.tables.FunctionPointer;
import io.bpf4j.relocator.tables.IndirectTargets;
import io.bpf4j.relocator.tables.TableDeclaration;
import io.bpf4j.relocator.tables.TableEntry;
import io.bpf4j.relocator.tables.TableKind;
import io.bpf4j.relocator.tables.TableMap;
import io.bpf4j.relocator.tables.TableReference;
import io.bpf4j.isa.abi.MapType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The indirect-call and indirect-jump part of relocating one entry program, run by
 * {@link ProgramLinker}: which call-table callees must be appended, and, once every subprogram
 * is in place, one instruction-array map per (program, table) whose entries are slots of the
 * final program, with every load of a table's address turned into a map-value load of it.
 * Jump tables follow libbpf 1.7 ({@code create_jt_map}); call tables are bpf4j's.
 */
final class IndirectLinker {
    /** {@code sizeof(struct bpf_insn_array_value)}. */
    static final int INSN_ARRAY_VALUE_SIZE = TableMap.VALUE_SIZE;

    private final ObjectSpec obj;
    private List<TableDeclaration> declarations;
    private final List<TableMap> tables = new ArrayList<>();
    private final Map<String, Integer> tableByKey = new HashMap<>();
    private final List<TableReference> references = new ArrayList<>();
    private final List<FunctionPointer> pointers = new ArrayList<>();

    IndirectLinker(ObjectSpec obj) {
        this.obj = obj;
    }

    private List<TableDeclaration> declarations() {
        if (declarations == null) {
            declarations = IndirectTables.declarations(obj);
        }
        return declarations;
    }

    private TableDeclaration callTable(String prog, RelocationRecord r, Slot insn) {
        long off = r.symbolOffset() + insn.imm();
        int shndx = r.symbolIndex() >= 0 && r.symbolIndex() < obj.elf().symbols().size()
                ? obj.elf().symbols().get(r.symbolIndex()).sectionIndex() : -1;
        String section = shndx >= 0 && shndx < obj.elf().sections().size() ? obj.elf().section(shndx).name() : null;
        TableDeclaration d = IndirectTables.find(declarations(), TableKind.CALL_TABLE, section, off);
        if (d == null) {
            throw new RelocationException("prog '" + prog + "': bad call table relo against '" + r.symbol() + "' at offset "
                    + r.symbolOffset() + "+" + insn.imm(), prog, -1, r.slot(), r.symbol());
        }
        return d;
    }

    /**
     * The {@code .text} byte offsets of the callees of the call table an {@code ld_imm64} of
     * program {@code p} refers to: each is appended to the entry program, in table order, as if
     * the instruction called it.
     */
    List<Long> calleesOf(ProgramSpec p, RelocationRecord r, Slot insn) {
        return callTable(p.name(), r, insn).targets();
    }

    /**
     * The {@code .text} slots of the functions in a call-table map's {@code .values}, by key:
     * each is appended to a program that refers to the map.
     */
    List<Long> calleesOf(MapSpec map) {
        List<Long> out = new ArrayList<>();
        for (String f : map.initialSlots().values()) {
            out.add((long) program(f).sectionSlotOffset());
        }
        return out;
    }

    private ProgramSpec program(String function) {
        for (ProgramSpec p : obj.allPrograms()) {
            if (p.subprogram() && p.name().equals(function)) {
                return p;
            }
        }
        throw new RelocationException("call table function '" + function + "' is not in .text", null, -1, -1, function);
    }

    /**
     * Relocates a load of a call-table map (the explicit {@code .maps} form) at slot {@code at}:
     * the program's own instruction array of the map's functions replaces it, loaded as a map
     * ({@code BPF_PSEUDO_MAP_FD}) whose imm is {@code objectMaps + table index}.
     */
    MapReference relocateMapTable(String prog, RelocationRecord r, int at, List<Slot> insns, Map<ProgramSpec, Integer> subOffset) {
        MapSpec declared = obj.maps().get(r.mapIndex());
        String key = "map:" + r.mapIndex();
        Integer known = tableByKey.get(key);
        TableMap map;
        if (known != null) {
            map = tables.get(known);
        } else {
            List<TableEntry> entries = new ArrayList<>();
            for (int k = 0; k < declared.maxEntries(); k++) {
                String f = declared.initialSlots().get(k);
                if (f == null) {
                    throw new RelocationException("prog '" + prog + "': call table '" + declared.name() + "' entry " + k
                            + " has no function", prog, -1, at, declared.name());
                }
                entries.add(new TableEntry(k, subOffset.get(program(f)), f));
            }
            MapSpec spec = MapSpec.builder(declared.name(), MapSpec.Kind.TABLE).typeId(MapType.INSN_ARRAY.id()).keySize(4)
                    .valueSize(INSN_ARRAY_VALUE_SIZE).maxEntries(declared.maxEntries()).mapExtra(declared.mapExtra())
                    .section(declared.sectionName(), declared.sectionIndex(), declared.sectionOffset())
                    .declarationSize(declared.declarationSize()).build();
            map = add(key, TableKind.CALL_TABLE, declared.name(), spec, entries);
        }
        int objectMaps = obj.maps().size();
        insns.set(at, insns.get(at).withSrc(Opcodes.PSEUDO_MAP_FD).withImm(objectMaps + map.index()));
        references.add(new TableReference(at, map.index(), 0));
        return new MapReference(at, objectMaps + map.index(), map.name(), false, 0);
    }

    /** Records the function-address load at {@code slot} pointing at {@code target}. */
    void functionPointer(int slot, int target, List<FunctionEntry> functions) {
        pointers.add(new FunctionPointer(slot, target, functionStartingAt(functions, target)));
    }

    private static String functionStartingAt(List<FunctionEntry> functions, int slot) {
        for (FunctionEntry f : functions) {
            if (f.startSlot() == slot) {
                return f.name();
            }
        }
        return functionContaining(functions, slot);
    }

    private static String functionContaining(List<FunctionEntry> functions, int slot) {
        for (FunctionEntry f : functions) {
            if (slot >= f.startSlot() && slot < f.startSlot() + f.slotCount()) {
                return f.name();
            }
        }
        return "";
    }

    /**
     * Relocates a table load at slot {@code at} of the entry program: creates (or reuses) the
     * program's map for that table and patches the {@code ld_imm64} into a
     * {@code BPF_PSEUDO_MAP_VALUE} load whose imm is {@code objectMaps + table index}.
     *
     * @param insns     the program's slots, all subprograms appended
     * @param subOffset where each appended function starts
     * @return the map reference to record
     */
    MapReference relocate(String prog, RelocationRecord r, int at, List<Slot> insns, Map<ProgramSpec, Integer> subOffset,
                          List<FunctionEntry> functions) {
        Slot first = insns.get(at);
        int objectMaps = obj.maps().size();
        TableMap map;
        int valueOffset;
        if (r.kind() == RelocationKind.CALL_TABLE) {
            TableDeclaration d = callTable(prog, r, first);
            map = callTableMap(prog, d, subOffset, functions);
            valueOffset = (int) (r.symbolOffset() + first.imm() - d.sectionOffset());
            insns.set(at, first.withSrc(Opcodes.PSEUDO_MAP_VALUE).withImm(objectMaps + map.index()));
            insns.set(at + 1, insns.get(at + 1).withImm(valueOffset));
        } else {
            map = jumpTableMap(prog, r, at, insns.size(), subOffset, functions);
            // libbpf leaves insn[1].imm (the byte offset into the table) as clang wrote it
            valueOffset = insns.get(at + 1).imm();
            insns.set(at, first.withSrc(Opcodes.PSEUDO_MAP_VALUE).withImm(objectMaps + map.index()).withOff(0));
        }
        references.add(new TableReference(at, map.index(), valueOffset));
        return new MapReference(at, objectMaps + map.index(), map.name(), true, valueOffset);
    }

    private TableMap callTableMap(String prog, TableDeclaration d, Map<ProgramSpec, Integer> subOffset,
                                  List<FunctionEntry> functions) {
        String key = "callx:" + d.sectionName() + ":" + d.sectionOffset();
        Integer known = tableByKey.get(key);
        if (known != null) {
            return tables.get(known);
        }
        int text = obj.sections().textIndex();
        List<TableEntry> entries = new ArrayList<>();
        for (int i = 0; i < d.entryCount(); i++) {
            ProgramSpec callee = obj.allPrograms().get(OpenSteps.findProgram(obj.allPrograms(), text, d.targets().get(i) / 8));
            Integer start = subOffset.get(callee);
            if (start == null) {
                throw new RelocationException("prog '" + prog + "': call table '" + d.name() + "' entry " + i + ": '"
                        + callee.name() + "' was not appended", prog, -1, -1, d.name());
            }
            entries.add(new TableEntry(i, start, callee.name()));
        }
        return add(key, TableKind.CALL_TABLE, d.name(), tableSpec(d.name(), d, MapFlags.BPF_F_CALL_TABLE), entries);
    }

    private TableMap jumpTableMap(String prog, RelocationRecord r, int at, int programSlots, Map<ProgramSpec, Integer> subOffset,
                                  List<FunctionEntry> functions) {
        String key = "jt:" + r.symbolOffset();
        Integer known = tableByKey.get(key);
        if (known != null) {
            return tables.get(known);
        }
        io.bpf4j.elf.ElfSymbol sym = obj.elf().symbols().get(r.symbolIndex());
        io.bpf4j.elf.ElfSection section = obj.elf().section(sym.sectionIndex());
        IndirectTables.checkJumpTable(r.symbol(), r.symbolOffset(), sym.size(), section.size());
        if (at < 0 || at >= programSlots) {
            throw new RelocationException("map '.jumptables': invalid instruction index " + at + " in prog '" + prog + "'", prog,
                    -1, at, r.symbol());
        }
        // libbpf: the subprogram (or the main program) whose appended copy holds the load
        ProgramSpec holder = null;
        int holderStart = -1;
        for (Map.Entry<ProgramSpec, Integer> e : subOffset.entrySet()) {
            if (e.getValue() <= at && e.getValue() > holderStart) {
                holder = e.getKey();
                holderStart = e.getValue();
            }
        }
        java.nio.ByteBuffer data = section.data().order(obj.byteOrder());
        List<TableEntry> entries = new ArrayList<>();
        for (int i = 0; i < sym.size() / 8; i++) {
            long value = data.getLong((int) (r.symbolOffset() + 8L * i));
            long off = Long.divideUnsigned(value, 8) - holder.sectionSlotOffset() + holderStart;
            if (off < 0 || off > 0xffffffffL || off >= programSlots) {
                throw new RelocationException("map '.jumptables': invalid jump table value 0x" + Long.toHexString(value)
                        + " at index " + i + " in prog '" + prog + "'", prog, -1, at, r.symbol());
            }
            entries.add(new TableEntry(i, (int) off, functionContaining(functions, (int) off)));
        }
        TableDeclaration d = new TableDeclaration(TableKind.JUMP_TABLE, r.symbol(), section.name(), r.symbolOffset(), sym.size(),
                List.of(), List.of());
        return add(key, TableKind.JUMP_TABLE, r.symbol(), tableSpec(IndirectTables.JUMPTABLES_SECTION, d, 0), entries);
    }

    private MapSpec tableSpec(String name, TableDeclaration d, long mapExtra) {
        int sectionIndex = obj.elf().sectionsNamed(d.sectionName()).isEmpty() ? -1
                : obj.elf().sectionsNamed(d.sectionName()).get(0).index();
        return MapSpec.builder(name, MapSpec.Kind.TABLE).typeId(MapType.INSN_ARRAY.id()).keySize(4)
                .valueSize(INSN_ARRAY_VALUE_SIZE).maxEntries((int) (d.size() / 8)).mapExtra(mapExtra)
                .section(d.sectionName(), sectionIndex, d.sectionOffset()).declarationSize(d.size()).build();
    }

    private TableMap add(String key, TableKind kind, String table, MapSpec spec, List<TableEntry> entries) {
        TableMap m = new TableMap(tables.size(), kind, table, spec, entries);
        tables.add(m);
        tableByKey.put(key, m.index());
        return m;
    }

    IndirectTargets result() {
        List<TableReference> refs = new ArrayList<>(references);
        refs.sort(java.util.Comparator.comparingInt(TableReference::slot));
        List<FunctionPointer> ptrs = new ArrayList<>(pointers);
        ptrs.sort(java.util.Comparator.comparingInt(FunctionPointer::slot));
        return new IndirectTargets(ptrs, tables, refs);
    }
}
