package io.bpf4j.relocator;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.isa.CallX;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.relocator.tables.TableDeclaration;
import io.bpf4j.relocator.tables.TableKind;
import io.bpf4j.relocator.tables.TableMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cases of issue 4 one by one on the corpus objects: a jump table in a subprogram shared by
 * two programs, a table loaded twice, the kernel's successor rule for gotox, a call table's
 * map, callx in LLVM 18's encoding, damaged tables, and function-address loads equal to what
 * libbpf 1.1 handed the kernel.
 */
class TablesAndPointersTest {
    private static final Path OBJECTS = CorpusTest.OBJECTS;

    private static ObjectSpec open(String name) throws IOException {
        return CorpusTest.open(OBJECTS.resolve(name));
    }

    private static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(OBJECTS.resolve(name));
    }

    private static ObjectSpec open(byte[] bytes) {
        return Relocator.open(ElfObject.read(bytes), "obj", RelocatorOptions.defaults());
    }

    private static TableMap table(RelocatedProgram rp, String symbol) {
        return rp.indirect().tables().stream().filter(t -> t.table().equals(symbol)).findFirst().orElseThrow();
    }

    @Test
    void aSubprogramTableGetsOneMapPerProgramAtItsOwnOffsets() throws IOException {
        ObjectSpec obj = open("jumptables.v4.el.o");
        RelocatedProgram a = Relocator.relocate(obj, "jt_sub_a");
        RelocatedProgram b = Relocator.relocate(obj, "jt_sub_b");
        assertThat(a.subprograms()).containsExactly("jt_classify");
        assertThat(b.subprograms()).containsExactly("jt_helper", "jt_classify");
        int startA = a.functions().get(1).startSlot();
        int startB = b.functions().get(2).startSlot();
        assertThat(startA).isEqualTo(6);
        assertThat(startB).isEqualTo(10 + 4);
        // jt_classify: cases 0-2 -> slot 7, 3-6 -> 9, odd 7-11 -> 13, even 8-12 -> 11 (of the function)
        List<Integer> local = List.of(7, 7, 7, 9, 9, 9, 9, 13, 11, 13, 11, 13, 11);
        assertThat(table(a, "BPF.JT.1.0").targetSlots()).isEqualTo(local.stream().map(x -> x + startA).toList());
        assertThat(table(b, "BPF.JT.1.0").targetSlots()).isEqualTo(local.stream().map(x -> x + startB).toList());
        assertThat(table(a, "BPF.JT.1.0").entries()).allMatch(e -> e.function().equals("jt_classify"));
        assertThat(a.gotoxSlots()).containsExactly(startA + 6);
        assertThat(a.gotoxTargets(startA + 6)).containsExactly(startA + 7, startA + 9, startA + 11, startA + 13);
    }

    @Test
    void aTableLoadedTwiceIsOneMapAndEveryGotoxInAFunctionSeesEveryTableOfIt() throws IOException {
        ObjectSpec obj = open("jumptables.v4.el.o");
        RelocatedProgram sw = Relocator.relocate(obj, "jt_switch");
        assertThat(sw.indirect().tables()).hasSize(1);
        assertThat(sw.indirect().references()).extracting(r -> r.slot() + ":" + r.table()).containsExactly("4:0", "12:0");
        assertThat(sw.mapReferences()).extracting(MapReference::mapName).containsExactly(".jumptables", ".jumptables");
        TableMap m = sw.indirect().tables().get(0);
        assertThat(m.spec().maxEntries()).isEqualTo(13);
        assertThat(m.distinctTargets()).containsExactly(17, 19, 21, 23, 25, 27);
        assertThat(sw.gotoxSlots()).containsExactly(8, 16);
        assertThat(sw.gotoxTargets(8)).isEqualTo(sw.gotoxTargets(16)).isEqualTo(m.distinctTargets());
        assertThat(sw.gotoxTargets(9)).isEmpty();

        // two tables in jt_computed (a label array and a single block address): each gotox may reach both
        RelocatedProgram cg = Relocator.relocate(obj, "jt_computed");
        assertThat(cg.indirect().jumpTables()).extracting(TableMap::table).containsExactly("BPF.JT.2.0", "BPF.JT.2.1");
        assertThat(cg.gotoxTargets(7)).containsExactly(8, 10, 12, 18);
        assertThat(cg.gotoxTargets(17)).containsExactly(8, 10, 12, 18);
        // the entry program is second in its section: entries are rebased by its section offset (20 slots)
        assertThat(Relocator.relocate(obj, "jt_switch").indirect().tables().get(0).targetSlots().get(0)).isEqualTo(37 - 20);
    }

    @Test
    void bigEndianTablesReadAsLittleEndianOnes() throws IOException {
        ObjectSpec el = open("jumptables.v4.el.o");
        ObjectSpec eb = open("jumptables.v4.eb.o");
        for (ProgramSpec p : el.programs()) {
            RelocatedProgram x = Relocator.relocate(el, p.name());
            RelocatedProgram y = Relocator.relocate(eb, p.name());
            assertThat(y.indirect()).as(p.name()).isEqualTo(x.indirect());
            assertThat(y.instructions().slotCount()).isEqualTo(x.instructions().slotCount());
        }
        assertThat(IndirectTables.declarations(eb)).isEqualTo(IndirectTables.declarations(el));
    }

    @Test
    void declarationsListEveryTableOfTheObject() throws IOException {
        List<TableDeclaration> jt = IndirectTables.declarations(open("jumptables.v4.el.o"));
        assertThat(jt).extracting(TableDeclaration::name).containsExactly("BPF.JT.2.0", "BPF.JT.2.1", "BPF.JT.3.0", "BPF.JT.1.0");
        assertThat(jt.get(0).targets()).containsExactly(0x40L, 0x50L, 0x60L);
        List<TableDeclaration> ct = IndirectTables.declarations(open("calculon_table.v1.el.o"));
        assertThat(ct).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(TableKind.CALL_TABLE);
            assertThat(d.functions()).containsExactly("calculon_add", "calculon_sub", "calculon_mul");
        });
    }

    @Test
    void aCallTableAppendsItsCalleesAndBecomesAnInsnArrayWithTheCallTableFlag() throws IOException {
        ObjectSpec obj = open("calculon_table.v1.el.o");
        RelocatedProgram rp = Relocator.relocate(obj, "calculon_rodata");
        assertThat(rp.subprograms()).containsExactly("calculon_eval", "calculon_add", "calculon_sub", "calculon_mul");
        TableMap m = table(rp, "calculon_ops");
        assertThat(m.spec().mapExtra()).isEqualTo(1);
        assertThat(m.spec().typeId()).isEqualTo(34);
        assertThat(m.entries()).extracting(e -> e.function()).containsExactly("calculon_add", "calculon_sub", "calculon_mul");
        List<FunctionEntry> f = rp.functions();
        assertThat(m.targetSlots()).containsExactly(f.get(2).startSlot(), f.get(3).startSlot(), f.get(4).startSlot());
        assertThat(f.get(3).startSlot()).isEqualTo(f.get(2).startSlot() + 3); // calculon_add is 3 instructions
        byte[] v = new byte[16];
        ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).putInt(f.get(3).startSlot());
        assertThat(m.value(1, ByteOrder.LITTLE_ENDIAN)).isEqualTo(v);
        assertThat(rp.indirect().indirectlyCallable()).containsExactly("calculon_add", "calculon_sub", "calculon_mul");
        assertThat(rp.indirect().callTablesHolding("calculon_sub")).containsExactly(m);
        assertThat(rp.indirect().callTablesHolding("calculon_eval")).isEmpty();
        int load = rp.indirect().references().get(0).slot();
        assertThat(rp.indirect().tableLoadedAt(load)).contains(m);
    }

    @Test
    void callxInLlvm18EncodingIsNormalised() throws IOException {
        byte[] b = bytes("calculon_funcptr.v1.el.o");
        ElfObject elf = ElfObject.read(b);
        ElfSection text = elf.section(".text").orElseThrow();
        int rewritten = 0;
        for (int off = 0; off < text.size(); off += 8) {
            int at = (int) text.offset() + off;
            if ((b[at] & 0xff) == Opcodes.CODE_CALLX) {
                int reg = b[at + 1] & 0x0f;
                b[at + 1] = 0;
                ByteBuffer.wrap(b, at + 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(reg);
                rewritten++;
            }
        }
        assertThat(rewritten).isPositive();
        RelocatedProgram legacy = Relocator.relocate(open(b), "calculon_run");
        RelocatedProgram current = Relocator.relocate(open("calculon_funcptr.v1.el.o"), "calculon_run");
        assertThat(legacy.instructions()).isEqualTo(current.instructions());
        long callx = 0;
        for (Instruction i : current.instructions()) {
            if (i instanceof CallX) {
                assertThat(i.slot().imm()).isZero();
                assertThat(i.slot().dst()).isBetween(1, 9);
                callx++;
            }
        }
        assertThat(callx).isEqualTo(rewritten);
    }

    /** Patches 8 bytes at {@code offset} of section {@code name}. */
    private static byte[] patch(String object, String section, long offset, long value) throws IOException {
        byte[] b = bytes(object);
        ElfSection s = ElfObject.read(b).section(section).orElseThrow();
        ByteBuffer.wrap(b, (int) (s.offset() + offset), 8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        return b;
    }

    @Test
    void damagedTablesAreRefusedWithTheirNames() throws IOException {
        ObjectSpec far = open(patch("jumptables.v4.el.o", ".jumptables", 0, 0x100000));
        assertThatThrownBy(() -> Relocator.relocate(far, "jt_computed")).isInstanceOf(RelocationException.class)
                .hasMessage("map '.jumptables': invalid jump table value 0x100000 at index 0 in prog 'jt_computed'");
        ObjectSpec before = open(patch("jumptables.v4.el.o", ".jumptables", 0, -8));
        assertThatThrownBy(() -> Relocator.relocate(before, "jt_computed")).isInstanceOf(RelocationException.class)
                .hasMessageStartingWith("map '.jumptables': invalid jump table value 0xfffffffffffffff8");
        // the second call-table slot points 8 bytes into calculon_sub instead of at its start
        ObjectSpec inside = open(patch("calculon_table.v1.el.o", "callx", 8, readLong("calculon_table.v1.el.o", "callx", 8) + 8));
        assertThatThrownBy(() -> Relocator.relocate(inside, "calculon_run")).isInstanceOf(RelocationException.class)
                .hasMessageMatching("call table 'calculon_ops': entry 1 points to \\.text\\+\\d+, which is not the start of a function");
    }

    private static long readLong(String object, String section, long offset) throws IOException {
        byte[] b = bytes(object);
        ElfSection s = ElfObject.read(b).section(section).orElseThrow();
        return ByteBuffer.wrap(b, (int) (s.offset() + offset), 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * Programs taking function addresses (callbacks, function pointers) that libbpf 1.1 loaded:
     * every {@code BPF_PSEUDO_FUNC} slot libbpf handed the kernel equals ours (the whole program
     * is compared in {@link LibbpfGoldenTest}).
     */
    @Test
    void functionAddressLoadsEqualLibbpfs() {
        int compared = 0;
        TreeSet<String> programs = new TreeSet<>();
        for (LibbpfGolden g : LibbpfGolden.all()) {
            String n = g.name();
            if (!g.opened() || !(n.startsWith("callbacks.") || n.startsWith("funcptr.") || n.startsWith("calculon_funcptr."))
                    || !Files.exists(g.object())) {
                continue;
            }
            ObjectSpec obj = Relocator.resolveExterns(LibbpfGoldenTest.open(g));
            for (JsonNode load : g.json().get("loads")) {
                JsonNode pl = load.get("prog_load");
                if (pl == null || pl.isNull()) {
                    continue;
                }
                RelocatedProgram rp = Relocator.relocate(obj, load.get("program").asText());
                byte[] ours = InstructionCodec.encode(rp.instructions(), ByteOrder.LITTLE_ENDIAN);
                JsonNode insns = pl.get("insns");
                assertThat(ours.length / 8).isEqualTo(insns.size());
                for (int i = 0; i < insns.size(); i++) {
                    Slot want = LibbpfGoldenTest.slot(insns.get(i).asText());
                    if (want.code() == Opcodes.CODE_LD_IMM64 && want.src() == Opcodes.PSEUDO_FUNC) {
                        assertThat(HexFormat.of().formatHex(ours, i * 8, i * 8 + 16)).as("%s %s slot %d", n, rp.name(), i)
                                .isEqualTo(insns.get(i).asText() + insns.get(i + 1).asText());
                        assertThat(rp.indirect().functionPointerAt(i)).isPresent();
                        compared++;
                        programs.add(n + ":" + rp.name() + (pl.get("accepted").asBoolean() ? " (accepted)" : ""));
                    }
                }
            }
        }
        System.out.println("PSEUDO_FUNC slots equal to libbpf's: " + compared + " in " + programs);
        assertThat(programs).anyMatch(p -> p.startsWith("callbacks.v1.el.o:callbacks_loop") && p.endsWith("(accepted)"));
        assertThat(compared).isGreaterThanOrEqualTo(20);
    }

    @Test
    void jumpTableSymbolsAreWhatLlvm22Writes() throws IOException {
        ElfObject elf = ElfObject.read(bytes("jumptables.v4.el.o"));
        ElfSection jt = elf.section(".jumptables").orElseThrow();
        assertThat(jt.flags()).isZero();
        assertThat(jt.type()).isEqualTo(1L); // SHT_PROGBITS
        assertThat(elf.relocationSections()).noneMatch(r -> r.target().index() == jt.index());
        for (ElfSymbol s : elf.symbolsIn(jt)) {
            if (s.name().startsWith("BPF.JT.")) {
                assertThat(s.type()).isEqualTo(io.bpf4j.elf.SymbolType.OBJECT);
                assertThat(s.binding()).isEqualTo(io.bpf4j.elf.SymbolBinding.GLOBAL);
                assertThat(s.size() % 8).isZero();
            }
        }
    }
}
