package io.bpf4j.relocator;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.elf.Relocation;
import io.bpf4j.elf.SymbolType;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.relocator.tables.FunctionPointer;
import io.bpf4j.relocator.tables.TableEntry;
import io.bpf4j.relocator.tables.TableKind;
import io.bpf4j.relocator.tables.TableMap;
import io.bpf4j.relocator.tables.TableReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Function pointers, call tables and jump tables of every corpus object that has any, checked
 * against what the test itself computes from the ELF file (symbol table, relocations, section
 * bytes), not from the relocator's own bookkeeping: each function of a relocated program is
 * first shown to be a byte copy of its ELF symbol's code (so its start slot is known), then
 * every {@code BPF_PSEUDO_FUNC} imm, every table map's entries, every relocated table load
 * and every {@code gotox}'s target set is recomputed from the ELF and compared.
 */
class IndirectTargetsTest {
    private static final Map<String, Integer> COUNTS = new TreeMap<>();

    @AfterAll
    static void report() {
        System.out.println("indirect targets checked: " + COUNTS);
    }

    private static void count(String what, int n) {
        synchronized (COUNTS) {
            COUNTS.merge(what, n, Integer::sum);
        }
    }

    /** Objects whose code loads a function's or a table's address. */
    static List<Path> objectsWithIndirection() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(CorpusTest.OBJECTS)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".o")).sorted().toList()) {
                ElfObject elf = ElfObject.read(Files.readAllBytes(p));
                if (hasIndirection(elf)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static boolean hasIndirection(ElfObject elf) {
        for (ElfSection s : elf.sections()) {
            if (!s.isExecutable()) {
                continue;
            }
            for (Relocation r : elf.relocationsFor(s)) {
                Slot insn = slotAt(elf, s, r.offset());
                if (insn.code() == Opcodes.CODE_LD_IMM64 && (isCode(elf, r.symbol()) || isTable(elf, r.symbol(), insn.imm()))
                        || elf.section(".maps").isPresent() && r.symbol().sectionIndex() == elf.section(".maps").get().index()
                        && elf.section(".maps").get().isExecutable() == false && isInsnArrayDecl(elf, r.symbol())) {
                    return true;
                }
            }
        }
        return false;
    }

    // a .maps variable whose name the .relcallx-free explicit call-table form uses: decided from the ELF alone by
    // the presence of .rel.maps relocations against .text inside the variable
    private static boolean isInsnArrayDecl(ElfObject elf, ElfSymbol sym) {
        ElfSection maps = elf.section(".maps").orElseThrow();
        for (Relocation r : elf.relocationsFor(maps)) {
            if (r.offset() >= sym.value() && r.offset() < sym.value() + sym.size() && isCode(elf, r.symbol())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCode(ElfObject elf, ElfSymbol sym) {
        return sym.isInSection() && sym.sectionIndex() < elf.sections().size() && elf.section(sym.sectionIndex()).isExecutable();
    }

    private static boolean isTable(ElfObject elf, ElfSymbol sym, long imm) {
        if (!sym.isInSection() || sym.sectionIndex() >= elf.sections().size()) {
            return false;
        }
        ElfSection section = elf.section(sym.sectionIndex());
        String n = section.name();
        if (n.equals(".rodata") || n.startsWith(".rodata.")) {
            // a const array or struct of function pointers: every 8-byte slot of the object
            // holding the loaded address is an R_BPF_64_ABS64 against code
            long at = sym.value() + imm;
            for (ElfSymbol t : elf.symbolsIn(section)) {
                if (t.type() == SymbolType.OBJECT && t.size() > 0 && at >= t.value() && at < t.value() + t.size()) {
                    for (long off = t.value(); off < t.value() + t.size(); off += 8) {
                        long slot = off;
                        if (t.size() % 8 != 0 || elf.relocationsFor(section).stream().noneMatch(r -> r.offset() == slot
                                && r.type() == io.bpf4j.elf.RelocationType.R_BPF_64_ABS64 && isCode(elf, r.symbol()))) {
                            return false;
                        }
                    }
                    return true;
                }
            }
            return false;
        }
        return n.equals("callx") || n.equals(".jumptables");
    }

    private static Slot slotAt(ElfObject elf, ElfSection s, long offset) {
        return InstructionCodec.readSlot(s.bytes(), (int) offset, elf.byteOrder());
    }

    @Test
    void theCorpusHasEveryKind() throws IOException {
        List<String> names = objectsWithIndirection().stream().map(p -> p.getFileName().toString()).toList();
        assertThat(names).contains("callbacks.v1.el.o", "callbacks.v3.el.o", "callbacks.v4.el.o", "funcptr.v1.el.o",
                "funcptr.v3.el.o", "calculon_funcptr.v1.el.o", "calculon_table.v1.el.o", "jumptables.v4.el.o",
                "jumptables.v4.eb.o", "calltables.v1.el.o", "calltables.v3.el.o", "fptables.v1.el.o", "fptables.v4.el.clang22.o",
                "switches.v4.el.clang22.o", "switches.v4.eb.clang22.o", "jumptables.v4.el.clang22.o");
    }

    @TestFactory
    List<DynamicTest> everyProgramAgainstTheElf() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : objectsWithIndirection()) {
            ObjectSpec obj = CorpusTest.open(p);
            for (ProgramSpec prog : obj.programs()) {
                tests.add(DynamicTest.dynamicTest(p.getFileName() + ": " + prog.name(), () -> check(obj, prog.name())));
            }
        }
        return tests;
    }

    /** The code of one ELF function: its section, first byte and size. */
    private record ElfFunction(ElfSymbol symbol, ElfSection section) {
        long start() {
            return symbol.value();
        }

        long end() {
            return symbol.value() + symbol.size();
        }
    }

    private static Map<String, ElfFunction> elfFunctions(ElfObject elf) {
        Map<String, ElfFunction> out = new HashMap<>();
        for (ElfSymbol s : elf.symbols()) {
            if (s.type() == SymbolType.FUNC && isCode(elf, s)) {
                out.put(s.name(), new ElfFunction(s, elf.section(s.sectionIndex())));
            }
        }
        return out;
    }

    /** The function symbol starting at byte {@code offset} of section {@code section}. */
    private static String functionStartingAt(ElfObject elf, int section, long offset) {
        for (ElfSymbol s : elf.symbols()) {
            if (s.type() == SymbolType.FUNC && s.sectionIndex() == section && s.value() == offset) {
                return s.name();
            }
        }
        throw new AssertionError("no function at " + elf.section(section).name() + "+" + offset);
    }

    private static ElfFunction functionContaining(Map<String, ElfFunction> fns, int section, long offset) {
        for (ElfFunction f : fns.values()) {
            if (f.section().index() == section && offset >= f.start() && offset < f.end()) {
                return f;
            }
        }
        throw new AssertionError("no function holds " + section + "+" + offset);
    }

    private static void check(ObjectSpec obj, String name) {
        ElfObject elf = obj.elf();
        RelocatedProgram rp = Relocator.relocate(obj, name);
        List<Slot> slots = new ArrayList<>();
        for (Instruction i : rp.instructions()) {
            slots.addAll(i.raw());
        }
        Map<String, ElfFunction> fns = elfFunctions(elf);
        Map<String, Integer> start = new HashMap<>();
        int objectMaps = obj.maps().size();

        Set<Integer> seenPointers = new HashSet<>();
        Map<String, Integer> tableOf = new HashMap<>();
        Map<String, List<Integer>> expectedEntries = new HashMap<>();
        Set<Integer> seenReferences = new HashSet<>();

        // 1. every function is a copy of its ELF code, so its start slot is established independently
        for (FunctionEntry f : rp.functions()) {
            ElfFunction ef = fns.get(f.name());
            assertThat(ef).as("ELF function %s", f.name()).isNotNull();
            assertThat(f.slotCount()).isEqualTo((int) (ef.symbol().size() / 8));
            Set<Long> relocated = new HashSet<>();
            for (Relocation r : elf.relocationsFor(ef.section())) {
                if (r.offset() >= ef.start() && r.offset() < ef.end()) {
                    relocated.add(r.offset());
                    relocated.add(r.offset() + 8);
                }
            }
            for (int k = 0; k < f.slotCount(); k++) {
                long off = ef.start() + 8L * k;
                Slot want = slotAt(elf, ef.section(), off);
                Slot got = slots.get(f.startSlot() + k);
                if (relocated.contains(off)) {
                    continue;
                }
                if (want.code() == Opcodes.CODE_CALL && want.src() == Opcodes.PSEUDO_CALL) {
                    assertThat(got.withImm(0)).isEqualTo(want.withImm(0)); // a same-section call is rebased
                } else if (want.code() == Opcodes.CODE_CALLX) {
                    assertThat(got.dst()).isEqualTo(want.dst() == 0 ? want.imm() : want.dst());
                } else {
                    assertThat(got).as("%s slot %d of %s", name, f.startSlot() + k, f.name()).isEqualTo(want);
                }
            }
            start.put(f.name(), f.startSlot());
        }
        count("functions compared byte for byte", rp.functions().size());

        // 2. every relocated ld_imm64 of a function or a table, from the ELF relocation
        for (FunctionEntry f : rp.functions()) {
            ElfFunction ef = fns.get(f.name());
            for (Relocation r : elf.relocationsFor(ef.section())) {
                if (r.offset() < ef.start() || r.offset() >= ef.end()) {
                    continue;
                }
                Slot orig = slotAt(elf, ef.section(), r.offset());
                if (orig.code() != Opcodes.CODE_LD_IMM64) {
                    continue;
                }
                int at = f.startSlot() + (int) ((r.offset() - ef.start()) / 8);
                Slot got = slots.get(at);
                Slot second = slots.get(at + 1);
                ElfSymbol sym = r.symbol();
                if (isCode(elf, sym)) {
                    // RELO_SUBPROG_ADDR: symbol (function, or section + addend in imm) names the callee
                    String callee = functionStartingAt(elf, sym.sectionIndex(), sym.value() + orig.imm());
                    assertThat(got.src()).as("src of slot %d", at).isEqualTo(Opcodes.PSEUDO_FUNC);
                    assertThat(start).as("callee %s appended", callee).containsKey(callee);
                    assertThat(at + got.imm() + 1).as("PSEUDO_FUNC imm at slot %d -> %s", at, callee).isEqualTo(start.get(callee));
                    assertThat(second.imm()).isZero();
                    assertThat(rp.indirect().functionPointers()).contains(new FunctionPointer(at, start.get(callee), callee));
                    assertThat(rp.calleeAt(at)).get().extracting(FunctionEntry::name).isEqualTo(callee);
                    seenPointers.add(at);
                    count("PSEUDO_FUNC imms", 1);
                } else if (isTable(elf, sym, orig.imm())) {
                    ElfSection tsec = elf.section(sym.sectionIndex());
                    boolean jump = tsec.name().equals(".jumptables");
                    long byteInSection = sym.value() + (jump ? 0 : orig.imm());
                    ElfSymbol table = null;
                    for (ElfSymbol t : elf.symbolsIn(tsec)) {
                        if (t.type() == SymbolType.OBJECT && byteInSection >= t.value() && byteInSection < t.value() + t.size()) {
                            table = t;
                        }
                    }
                    assertThat(table).as("table at %s+%d", tsec.name(), byteInSection).isNotNull();
                    List<Integer> entries = jump ? jumpEntries(elf, fns, start, tsec, table) : callEntries(elf, start, tsec, table);
                    assertThat(got.src()).as("src of slot %d", at).isEqualTo(Opcodes.PSEUDO_MAP_VALUE);
                    int k = got.imm() - objectMaps;
                    assertThat(k).as("table map index at slot %d", at).isBetween(0, rp.indirect().tables().size() - 1);
                    TableMap m = rp.indirect().tables().get(k);
                    Integer known = tableOf.putIfAbsent(table.name(), k);
                    assertThat(known == null ? k : known).as("one map per table in a program").isEqualTo(k);
                    expectedEntries.put(table.name(), entries);
                    assertThat(m.table()).isEqualTo(table.name());
                    assertThat(m.kind()).isEqualTo(jump ? TableKind.JUMP_TABLE : TableKind.CALL_TABLE);
                    assertThat(m.spec().typeId()).isEqualTo(MapType.INSN_ARRAY.id());
                    assertThat(m.spec().keySize()).isEqualTo(4);
                    assertThat(m.spec().valueSize()).isEqualTo(16);
                    assertThat(m.spec().maxEntries()).isEqualTo((int) (table.size() / 8));
                    assertThat(m.spec().flags()).isZero();
                    assertThat(m.spec().mapExtra()).isEqualTo(jump ? 0 : MapFlags.BPF_F_CALL_TABLE);
                    assertThat(m.name()).isEqualTo(jump ? ".jumptables" : table.name());
                    int valueOffset = jump ? second.imm() : (int) (byteInSection - table.value());
                    if (jump) {
                        assertThat(got.off()).isZero();
                        assertThat(second).isEqualTo(slotAt(elf, ef.section(), r.offset() + 8));
                    } else {
                        assertThat(second.imm()).as("value offset at slot %d", at).isEqualTo(valueOffset);
                    }
                    assertThat(rp.indirect().references()).contains(new TableReference(at, k, valueOffset));
                    assertThat(rp.mapReferenceAt(at)).get().isEqualTo(new MapReference(at, objectMaps + k, m.name(), true,
                            valueOffset));
                    seenReferences.add(at);
                    count(jump ? "jump table loads" : "call table loads", 1);
                } else if (isCallTableMap(obj, sym)) {
                    // the explicit form: a .maps INSN_ARRAY with BPF_F_CALL_TABLE whose .values name functions
                    List<Integer> entries = mapEntries(obj, start, sym);
                    assertThat(got.src()).as("src of slot %d", at).isEqualTo(Opcodes.PSEUDO_MAP_FD);
                    int k = got.imm() - objectMaps;
                    assertThat(k).isBetween(0, rp.indirect().tables().size() - 1);
                    TableMap m = rp.indirect().tables().get(k);
                    Integer known = tableOf.putIfAbsent(sym.name(), k);
                    assertThat(known == null ? k : known).isEqualTo(k);
                    expectedEntries.put(sym.name(), entries);
                    assertThat(m.kind()).isEqualTo(TableKind.CALL_TABLE);
                    assertThat(m.name()).isEqualTo(sym.name());
                    assertThat(m.spec().typeId()).isEqualTo(MapType.INSN_ARRAY.id());
                    assertThat(m.spec().valueSize()).isEqualTo(16);
                    assertThat(m.spec().mapExtra()).isEqualTo(MapFlags.BPF_F_CALL_TABLE);
                    assertThat(rp.indirect().references()).contains(new TableReference(at, k, 0));
                    assertThat(rp.mapReferenceAt(at)).get().isEqualTo(new MapReference(at, objectMaps + k, m.name(), false, 0));
                    assertThat(obj.map(sym.name()).orElseThrow().autocreate()).as("the declaration itself is not created").isFalse();
                    seenReferences.add(at);
                    count("call table map loads", 1);
                }
            }
        }
        assertThat(rp.indirect().functionPointers()).extracting(FunctionPointer::slot).containsExactlyInAnyOrderElementsOf(seenPointers);
        assertThat(rp.indirect().references()).extracting(TableReference::slot).containsExactlyInAnyOrderElementsOf(seenReferences);
        assertThat(rp.indirect().tables()).hasSize(tableOf.size());

        // 3. table entries
        for (Map.Entry<String, Integer> e : tableOf.entrySet()) {
            TableMap m = rp.indirect().tables().get(e.getValue());
            assertThat(m.targetSlots()).as("entries of %s", e.getKey()).isEqualTo(expectedEntries.get(e.getKey()));
            for (TableEntry te : m.entries()) {
                FunctionEntry holder = rp.functionAt(te.targetSlot());
                assertThat(te.function()).isEqualTo(holder.name());
                if (m.kind() == TableKind.CALL_TABLE) {
                    assertThat(te.targetSlot()).isEqualTo(holder.startSlot());
                }
            }
            count(m.kind() == TableKind.JUMP_TABLE ? "jump table entries" : "call table entries", m.entries().size());
        }

        // 4. gotox: the union of the jump tables whose first target is in the gotox's function
        for (int at : rp.gotoxSlots()) {
            FunctionEntry f = rp.functionAt(at);
            TreeSet<Integer> want = new TreeSet<>();
            for (Map.Entry<String, Integer> e : tableOf.entrySet()) {
                TableMap m = rp.indirect().tables().get(e.getValue());
                List<Integer> entries = expectedEntries.get(e.getKey());
                int min = entries.stream().min(Integer::compare).orElseThrow();
                if (m.kind() == TableKind.JUMP_TABLE && min >= f.startSlot() && min < f.startSlot() + f.slotCount()) {
                    want.addAll(entries);
                }
            }
            // a gotox in a function that loads no jump table (indirect_jumps' gx_no_table) has none:
            // the verifier rejects it ("no jump tables found"), the relocator must not invent any
            assertThat(rp.gotoxTargets(at)).as("targets of gotox at %d", at).isEqualTo(want);
            count(want.isEmpty() ? "gotox without a jump table" : "gotox target sets", 1);
        }

        // 5. everything reachable indirectly is appended and known
        Set<String> callable = new LinkedHashSet<>();
        seenPointers.forEach(s -> callable.add(rp.calleeAt(s).orElseThrow().name()));
        for (TableMap m : rp.indirect().callTables()) {
            m.entries().forEach(x -> callable.add(x.function()));
        }
        assertThat(rp.indirect().indirectlyCallable()).containsExactlyInAnyOrderElementsOf(callable);
    }

    private static boolean isCallTableMap(ObjectSpec obj, ElfSymbol sym) {
        if (!sym.isInSection() || sym.sectionIndex() >= obj.elf().sections().size()
                || !obj.elf().section(sym.sectionIndex()).name().equals(".maps")) {
            return false;
        }
        return obj.map(sym.name()).map(m -> m.typeId() == MapType.INSN_ARRAY.id() && (m.mapExtra() & 1) != 0).orElse(false);
    }

    /** A call-table map's entries: its {@code .rel.maps} relocations, in the trailing {@code values} slots. */
    private static List<Integer> mapEntries(ObjectSpec obj, Map<String, Integer> start, ElfSymbol map) {
        ElfObject elf = obj.elf();
        ElfSection maps = elf.section(map.sectionIndex());
        int max = obj.map(map.name()).orElseThrow().maxEntries();
        long values = map.value() + map.size() - 8L * max;
        Integer[] out = new Integer[max];
        for (Relocation r : elf.relocationsFor(maps)) {
            if (r.offset() >= values && r.offset() < map.value() + map.size()) {
                String callee = functionStartingAt(elf, r.symbol().sectionIndex(), r.symbol().value() + r.addend());
                assertThat(start).as("call table map callee %s appended", callee).containsKey(callee);
                out[(int) ((r.offset() - values) / 8)] = start.get(callee);
            }
        }
        return List.of(out);
    }

    /** A call table's entries: the relocations of its slots name the callees; their start slots in the program. */
    private static List<Integer> callEntries(ElfObject elf, Map<String, Integer> start, ElfSection tsec, ElfSymbol table) {
        ByteBuffer data = ByteBuffer.wrap(tsec.bytes()).order(elf.byteOrder());
        List<Integer> out = new ArrayList<>();
        for (long off = table.value(); off < table.value() + table.size(); off += 8) {
            Relocation rel = null;
            for (Relocation r : elf.relocationsFor(tsec)) {
                if (r.offset() == off) {
                    rel = r;
                }
            }
            assertThat(rel).as("relocation of %s+%d", table.name(), off).isNotNull();
            String callee = functionStartingAt(elf, rel.symbol().sectionIndex(), rel.symbol().value() + data.getLong((int) off));
            assertThat(start).as("call table callee %s appended", callee).containsKey(callee);
            out.add(start.get(callee));
        }
        return out;
    }

    /** A jump table's entries: byte offsets in the code section, turned into slots of the function holding them. */
    private static List<Integer> jumpEntries(ElfObject elf, Map<String, ElfFunction> fns, Map<String, Integer> start,
                                             ElfSection tsec, ElfSymbol table) {
        ByteBuffer data = ByteBuffer.wrap(tsec.bytes()).order(elf.byteOrder());
        List<Integer> out = new ArrayList<>();
        for (long off = table.value(); off < table.value() + table.size(); off += 8) {
            long target = data.getLong((int) off);
            // the table's users are in one code section: find the function holding the target there
            ElfFunction holder = null;
            for (ElfFunction f : fns.values()) {
                if (start.containsKey(f.symbol().name()) && target >= f.start() && target < f.end() && usesTable(elf, f, table)) {
                    holder = f;
                }
            }
            assertThat(holder).as("function holding %s entry %d", table.name(), (off - table.value()) / 8).isNotNull();
            out.add(start.get(holder.symbol().name()) + (int) ((target - holder.start()) / 8));
        }
        return out;
    }

    private static boolean usesTable(ElfObject elf, ElfFunction f, ElfSymbol table) {
        for (Relocation r : elf.relocationsFor(f.section())) {
            if (r.offset() >= f.start() && r.offset() < f.end() && r.symbol().index() == table.index()) {
                return true;
            }
        }
        return false;
    }
}
