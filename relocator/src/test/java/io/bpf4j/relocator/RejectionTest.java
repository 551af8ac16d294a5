package io.bpf4j.relocator;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.ElfSymbol;
import io.bpf4j.elf.RelocationSection;
import io.bpf4j.isa.BpfException;
import io.bpf4j.elf.spec.DeclarationException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Objects libbpf refuses are refused here too, with libbpf's message and a typed exception. */
class RejectionTest {
    private static final Path BAD = Path.of("src/test/resources/objects/bad");
    private static final Path GOLDENS = Path.of("src/test/resources/goldens/libbpf/bad");

    static ObjectSpec open(byte[] bytes, String name) {
        return Relocator.open(ElfObject.read(bytes), name, RelocatorOptions.defaults());
    }

    /** Each clang-built bad object against the message libbpf 1.1 printed when it refused to open it. */
    @TestFactory
    List<DynamicTest> clangBuiltObjectsFailAsInLibbpf() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> s = Files.list(GOLDENS)) {
            for (Path f : s.sorted().toList()) {
                JsonNode g = LibbpfGolden.MAPPER.readTree(f.toFile());
                String object = g.get("object").asText();
                JsonNode log = g.get("open").get("log");
                String libbpf = log.get(log.size() - 1).asText().replaceFirst("^libbpf: ", "");
                tests.add(DynamicTest.dynamicTest(object, () -> {
                    assertThat(g.get("open").get("ok").asBoolean()).isFalse();
                    byte[] bytes = Files.readAllBytes(BAD.resolve(object));
                    Throwable t = catchThrowable(() -> open(bytes, g.get("object_name") == null ? "bad" : g.get("object_name").asText()));
                    assertThat(t).isInstanceOfAny(RelocationException.class, ObjectFormatException.class, DeclarationException.class);
                    assertThat(t.getMessage()).isEqualTo(libbpf);
                }));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(7);
        return tests;
    }

    private static byte[] rich() throws IOException {
        return Files.readAllBytes(Path.of("src/test/resources/objects/reloc_rich.el.o"));
    }

    @Test
    void relocationOnAnInstructionThatIsNeitherCallNorLdImm64() throws IOException {
        byte[] bytes = rich();
        ElfObject elf = ElfObject.read(bytes);
        ElfSection socket = elf.section("socket").orElseThrow();
        RelocationSection rs = elf.relocationSections().stream().filter(r -> r.target().index() == socket.index())
                .findFirst().orElseThrow();
        // the first map reference of s1 (ld_imm64 of in1): make it a plain mov
        long off = rs.relocations().stream().filter(r -> r.symbol().name().equals("in1")).findFirst().orElseThrow().offset();
        bytes[(int) (socket.offset() + off)] = (byte) 0xb7;
        RelocationException e = (RelocationException) catchThrowable(() -> open(bytes, "reloc_rich"));
        assertThat(e).isNotNull();
        ProgramSpec s1 = open(rich(), "reloc_rich").program("s1").orElseThrow();
        int slot = (int) (off / 8 - s1.sectionSlotOffset());
        assertThat(e.getMessage()).isEqualTo("prog 's1': invalid relo against 'in1' for insns[" + slot + "].code 0xb7");
        assertThat(e.program()).isEqualTo("s1");
        assertThat(e.instruction()).isEqualTo(slot);
        assertThat(e.symbol()).isEqualTo("in1");
    }

    @Test
    void programSymbolWithABadSize() throws IOException {
        byte[] bytes = rich();
        ElfObject elf = ElfObject.read(bytes);
        ElfSymbol kp = elf.symbol("kp").orElseThrow();
        ElfSection symtab = elf.sections().stream().filter(s -> s.name().equals(".symtab")).findFirst().orElseThrow();
        int at = (int) (symtab.offset() + 24L * kp.index() + 16); // st_size
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(at, kp.size() - 4);
        assertThatThrownBy(() -> open(bytes, "reloc_rich"))
                .isInstanceOf(ObjectFormatException.class)
                .hasMessage("sec 'kprobe/do_nanosleep': corrupted program 'kp', offset 0, size " + (kp.size() - 4));
    }

    @Test
    void relocationOffsetOutsideItsSection() throws IOException {
        byte[] bytes = rich();
        ElfObject elf = ElfObject.read(bytes);
        ElfSection xdp = elf.section("xdp").orElseThrow();
        RelocationSection rs = elf.relocationSections().stream().filter(r -> r.target().index() == xdp.index())
                .findFirst().orElseThrow();
        int at = (int) rs.section().offset(); // r_offset of relo #0
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(at, 3);
        Throwable t = catchThrowable(() -> open(bytes, "reloc_rich"));
        assertThat(t).isInstanceOf(BpfException.class);
        assertThat(t.getMessage()).isEqualTo("sec '.relxdp': invalid offset 0x3 for relo #0");
    }
}
