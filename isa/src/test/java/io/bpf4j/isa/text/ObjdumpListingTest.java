package io.bpf4j.isa.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole listings against {@code llvm-objdump-19 -dr} of clang-19 objects (maps, calls, global
 * data, v1/v3/v4, both byte orders), an llvm-mc object built to probe label choice, and the
 * instruction corpus (goldens from isa/tools/gen_listing_goldens.sh).
 */
class ObjdumpListingTest {
    private static final String DIR = "listing/";

    /** Fills the listing records from an ELF object the way the CLI is expected to. */
    static List<ObjdumpListing.CodeSection> sections(TestElf elf) {
        List<ObjdumpListing.CodeSection> out = new ArrayList<>();
        for (TestElf.Section s : elf.sections) {
            if ((s.flags() & 0x4) == 0 || s.type() != 1) { // SHF_EXECINSTR, SHT_PROGBITS
                continue;
            }
            List<ObjdumpListing.Symbol> symbols = new ArrayList<>();
            for (TestElf.Symbol sym : elf.symbols) {
                if (sym.shndx() == s.index()) {
                    symbols.add(new ObjdumpListing.Symbol(sym.name(), sym.value(), ObjdumpListing.SymbolType.ofElf(sym.type())));
                }
            }
            List<ObjdumpListing.Relocation> relocs = new ArrayList<>();
            for (TestElf.Section r : elf.sections) {
                if (r.type() == 9 && r.info() == s.index()) { // SHT_REL
                    for (TestElf.Rel rel : elf.rels(r)) {
                        TestElf.Symbol sym = elf.symbols.get(rel.symbol());
                        String name = sym.type() == 3 ? elf.sections.get(sym.shndx()).name() : sym.name();
                        relocs.add(new ObjdumpListing.Relocation(rel.offset(), ObjdumpListing.bpfRelocationTypeName(rel.type()), name));
                    }
                }
            }
            out.add(new ObjdumpListing.CodeSection(s.name(), elf.contents(s), elf.order, symbols, relocs));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} --mcpu={1}")
    @CsvSource({
        "progs-el-v1, V1, progs-el-v1.objdump", "progs-el-v1, V1, progs-el-v1.default.objdump",
        "progs-el-v3, V3, progs-el-v3.objdump", "progs-el-v3, V1, progs-el-v3.default.objdump",
        "progs-el-v4, V4, progs-el-v4.objdump", "progs-el-v4, V1, progs-el-v4.default.objdump",
        "progs-eb-v1, V1, progs-eb-v1.objdump", "progs-eb-v4, V4, progs-eb-v4.objdump",
        "progs-eb-v4, V1, progs-eb-v4.default.objdump",
        "extra-el-v4, V4, extra-el-v4.objdump", "extra-el-v4, V1, extra-el-v4.default.objdump",
        "extra-eb-v4, V4, extra-eb-v4.objdump",
        "labels, V1, labels.objdump",
        "v4asm-el-v4, V4, v4asm-el-v4.objdump", "v4asm-eb-v4, V4, v4asm-eb-v4.objdump", "v4asm-el-v4, V1, v4asm-el-v4.default.objdump",
        "../llvm-corpus/corpus-el, V1, corpus-el.objdump", "../llvm-corpus/corpus-eb, V4, corpus-eb-v4.objdump",
    })
    void rendersWhatLlvmObjdumpPrints(String object, LlvmSyntax.Cpu cpu, String golden) {
        TestElf elf = TestElf.resource(DIR + object + ".o");
        String listing = ObjdumpListing.of(sections(elf), LlvmSyntax.of(cpu)).render();
        String expected = TestElf.TestResources.text(DIR + golden);
        assertThat(listing.split("\n", -1)).containsExactly(expected.split("\n", -1));
    }

    /**
     * Annotation placement as llvm-objdump places its CO-RE lines (checked against real output
     * on clang objects by elf's CoreListingTest): under the instruction that starts at the
     * offset, before its relocation lines, in list order; never inside an ld_imm64.
     */
    @Test
    void annotationsGoUnderTheInstructionThatStartsThere() {
        byte[] code = {
            (byte) 0xb7, 0x01, 0, 0, 0x1c, 0, 0, 0,          // r1 = 0x1c
            0x18, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // r1 = 0x0 ll
            (byte) 0x95, 0, 0, 0, 0, 0, 0, 0,                // exit
        };
        ObjdumpListing.CodeSection s = new ObjdumpListing.CodeSection("tp/x", code, ByteOrder.LITTLE_ENDIAN,
                List.of(new ObjdumpListing.Symbol("f", 0, ObjdumpListing.SymbolType.FUNC)),
                List.of(new ObjdumpListing.Relocation(8, "R_BPF_64_64", "sink")),
                List.of(new ObjdumpListing.Annotation(8, "CO-RE b"), new ObjdumpListing.Annotation(16, "CO-RE inside"),
                        new ObjdumpListing.Annotation(0, "CO-RE a1"), new ObjdumpListing.Annotation(0, "CO-RE a2")));
        assertThat(ObjdumpListing.of(List.of(s)).render()).isEqualTo("""
                Disassembly of section tp/x:

                0000000000000000 <f>:
                       0:\tb7 01 00 00 1c 00 00 00\tr1 = 0x1c
                \t\t0000000000000000:  CO-RE a1
                \t\t0000000000000000:  CO-RE a2
                       1:\t18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00\tr1 = 0x0 ll
                \t\t0000000000000008:  CO-RE b
                \t\t0000000000000008:  R_BPF_64_64\tsink
                       3:\t95 00 00 00 00 00 00 00\texit
                """);
    }
}
