package io.bpf4j.relocator;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.elf.spec.MapSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RelocatorTest {
    static ObjectSpec open(String file) throws IOException {
        byte[] bytes = Files.readAllBytes(Path.of("src/test/resources/objects", file));
        RelocatorOptions o = RelocatorOptions.builder().kernelVersion(0x06122c).kconfig("CONFIG_HZ=250\n").build();
        return Relocator.open(ElfObject.read(bytes), "reloc_rich", o);
    }

    @Test
    void functionTableFollowsLibbpfsDepthFirstFirstUseOrder() throws IOException {
        ObjectSpec obj = open("reloc_rich.el.o");
        RelocatedProgram kp = Relocator.relocate(obj, "kp");
        // libbpf 1.1 put loop_cb (function pointer, first use), then global_helper, whose call to
        // static_helper appends it right after (see the func_info of the kp golden)
        assertThat(kp.functions()).extracting(FunctionEntry::name, FunctionEntry::startSlot)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("kp", 0), org.assertj.core.groups.Tuple.tuple("loop_cb", 66),
                        org.assertj.core.groups.Tuple.tuple("global_helper", 73),
                        org.assertj.core.groups.Tuple.tuple("static_helper", 80));
        assertThat(kp.subprograms()).containsExactly("loop_cb", "global_helper", "static_helper");
        assertThat(kp.functions()).allSatisfy(f -> assertThat(f.btfFuncId()).isPositive());
        // every call and function address lands on the start of a function in the table
        for (Instruction insn : kp.instructions()) {
            int slot = kp.instructions().slotOf(kp.instructions().indexOf(insn));
            boolean local = insn.code() == Opcodes.CODE_CALL && insn.srcReg() == Opcodes.PSEUDO_CALL;
            boolean func = insn instanceof LoadImm64 && insn.srcReg() == Opcodes.PSEUDO_FUNC;
            if (local || func) {
                int target = slot + insn.imm() + 1;
                assertThat(kp.functions()).extracting(FunctionEntry::startSlot).contains(target);
            }
        }
    }

    @Test
    void subprogramUsedByTwoProgramsIsCopiedIntoEach() throws IOException {
        ObjectSpec obj = open("reloc_rich.el.o");
        RelocatedProgram s2 = Relocator.relocate(obj, "s2");
        RelocatedProgram xdp = Relocator.relocate(obj, "xdp_prog");
        assertThat(s2.subprograms()).containsExactly("global_helper", "static_helper");
        assertThat(xdp.subprograms()).containsExactly("static_helper", "hidden_helper");
        assertThat(s2.functionAt(s2.functions().get(2).startSlot()).name()).isEqualTo("static_helper");
    }

    @Test
    void mapInMapAndProgArrayValuesBecomeInitialSlots() throws IOException {
        ObjectSpec obj = open("reloc_rich.el.o");
        assertThat(obj.map("outer").orElseThrow().initialSlots()).isEqualTo(Map.of(0, "in1", 2, "in2"));
        assertThat(obj.map("jmp").orElseThrow().initialSlots()).isEqualTo(Map.of(2, "tail1"));
        assertThat(obj.map("outer").orElseThrow().innerMap().name()).isEqualTo("outer.inner");
    }

    @Test
    void kconfigImageIsFilledFromTheOptions() throws IOException {
        ObjectSpec obj = Relocator.resolveExterns(open("reloc_rich.el.o"));
        MapSpec kconfig = obj.maps().get(obj.maps().size() - 1);
        assertThat(kconfig.kind()).isEqualTo(MapSpec.Kind.KCONFIG);
        // CONFIG_BPF4J_MISSING_THING (weak, unset) @0, CONFIG_HZ @4, LINUX_KERNEL_VERSION @8
        assertThat(kconfig.initialData()).containsExactly(0, 0, 0, 0, 250, 0, 0, 0, 0x2c, 0x12, 0x06, 0);
    }

    @Test
    void bigEndianObjectRelocatesToTheSameHostFormInstructions() throws IOException {
        ObjectSpec el = open("reloc_rich.el.o");
        ObjectSpec eb = open("reloc_rich.eb.o");
        assertThat(eb.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(eb.programs()).extracting(ProgramSpec::name).isEqualTo(el.programs().stream().map(ProgramSpec::name).toList());
        for (ProgramSpec p : el.programs()) {
            RelocatedProgram a = Relocator.relocate(el, p.name());
            RelocatedProgram b = Relocator.relocate(eb, p.name());
            assertThat(b.instructions()).as(p.name()).isEqualTo(a.instructions());
            assertThat(b.functions()).isEqualTo(a.functions());
            assertThat(b.funcInfo()).isEqualTo(a.funcInfo());
            assertThat(b.mapReferences()).isEqualTo(a.mapReferences());
        }
        List<MapSpec> ebMaps = eb.maps();
        for (int i = 0; i < ebMaps.size(); i++) {
            MapSpec x = el.maps().get(i);
            MapSpec y = ebMaps.get(i);
            assertThat(y.name()).isEqualTo(x.name());
            assertThat(y.typeId()).isEqualTo(x.typeId());
            assertThat(y.maxEntries()).isEqualTo(x.maxEntries());
            assertThat(y.flags()).isEqualTo(x.flags());
        }
        // global data keeps the object's byte order, as libbpf >= 1.5 keeps it
        assertThat(eb.map("reloc_ri.data").orElseThrow().initialData()).startsWith(0, 0, 0, 7);
        assertThat(el.map("reloc_ri.data").orElseThrow().initialData()).startsWith(7, 0, 0, 0);
    }

    @Test
    void objectNameAndInternalMapNamesFollowLibbpf() {
        assertThat(io.bpf4j.elf.spec.MapSpecReader.objectName("/x/my_long_object_name.bpf.o")).isEqualTo("my_long_object_");
        assertThat(io.bpf4j.elf.spec.MapSpecReader.objectName("t1_bpf.o")).isEqualTo("t1_bpf");
        assertThat(io.bpf4j.elf.spec.MapSpecReader.internalMapName("my_long_object_", ".data")).isEqualTo("my_long_.data");
        assertThat(io.bpf4j.elf.spec.MapSpecReader.internalMapName("my_long_object_", ".kconfig")).isEqualTo("my_long.kconfig");
        assertThat(io.bpf4j.elf.spec.MapSpecReader.internalMapName("t1_bpf", ".bss")).isEqualTo("t1_bpf.bss");
        assertThat(io.bpf4j.elf.spec.MapSpecReader.internalMapName("t1_bpf", ".rodata.str1.1")).isEqualTo(".rodata.str1.1");
        assertThat(io.bpf4j.elf.spec.MapSpecReader.internalMapName("t1_bpf", ".data.a-very-long-custom-name"))
                .isEqualTo(".data.a_very_lo");
    }

    @Test
    void referencesToAMapThatIsNotCreatedArePoisonedAsLibbpfDoes() throws IOException {
        ObjectSpec obj = open("reloc_rich.el.o");
        int in1 = obj.mapIndex("in1");
        ObjectSpec without = obj.withMap(in1, obj.maps().get(in1).withAutocreate(false));
        RelocatedProgram s1 = Relocator.relocate(without, "s1");
        RelocatedProgram before = Relocator.relocate(obj, "s1");
        MapReference ref = before.mapReferences().stream().filter(r -> r.mapName().equals("in1")).findFirst().orElseThrow();
        assertThat(s1.mapReferences()).extracting(MapReference::mapName).doesNotContain("in1");
        // both slots of the ld_imm64 become "call 2001000000 + map index"
        byte[] enc = io.bpf4j.isa.InstructionCodec.encode(s1.instructions(), ByteOrder.LITTLE_ENDIAN);
        for (int half = 0; half < 2; half++) {
            io.bpf4j.isa.Slot slot = io.bpf4j.isa.InstructionCodec.readSlot(enc, (ref.slot() + half) * 8, ByteOrder.LITTLE_ENDIAN);
            assertThat(slot).isEqualTo(io.bpf4j.isa.Slot.of(0x85, 0, 0, 0, 2001000000 + in1));
        }
    }

    @Test
    void questionMarkProgramIsOpenedWithAutoloadOff() throws IOException {
        ObjectSpec obj = open("reloc_rich.el.o");
        ProgramSpec maybe = obj.program("maybe").orElseThrow();
        assertThat(maybe.autoload()).isFalse();
        assertThat(maybe.section().elfSectionName()).isEqualTo("?tp/syscalls/sys_enter_getpid");
        assertThat(Relocator.relocateAll(obj)).extracting(RelocatedProgram::name).doesNotContain("maybe");
        assertThat(obj.program("global_helper")).isEmpty();
    }
}
