package io.bpf4j.isa.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every opcode byte with varied fields, in both byte orders, against what llvm-objdump-19 and
 * llvm-objdump-22 printed for the same object (goldens from isa/tools/gen_llvm_corpus.sh).
 */
class LlvmSyntaxCorpusTest {
    static final String DIR = "llvm-corpus/";
    private static final Pattern LINE = Pattern.compile(" *(\\d+):\\t([0-9a-f ]+)\\t(.*)");
    private static final Pattern TARGET = Pattern.compile(" <[^<>]*>$");

    static Stream<Arguments> corpora() {
        List<Arguments> out = new ArrayList<>();
        for (LlvmSyntax.Version version : LlvmSyntax.Version.values()) {
            for (String order : new String[] {"el", "eb"}) {
                for (LlvmSyntax.Cpu cpu : LlvmSyntax.Cpu.values()) {
                    out.add(Arguments.of(order, cpu, version));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("corpora")
    void everyInstructionReadsAsLlvmObjdumpPrintsIt(String order, LlvmSyntax.Cpu cpu, LlvmSyntax.Version version) {
        TestElf elf = TestElf.resource(DIR + "corpus-" + order + ".o");
        byte[] text = elf.contents(elf.section(".text"));
        String suffix = version == LlvmSyntax.Version.LLVM19 ? ".objdump" : "." + version.name().toLowerCase() + ".objdump";
        String golden = TestElf.TestResources.text(DIR + "corpus-" + order + "." + cpu.name().toLowerCase() + suffix);
        LlvmSyntax syntax = LlvmSyntax.of(version, cpu);

        List<String> mismatches = new ArrayList<>();
        int pos = 0;
        int count = 0;
        java.util.BitSet opcodes = new java.util.BitSet(256);
        for (String line : golden.split("\n")) {
            if (line.equals("\t\t...")) {
                pos += ObjdumpListing.skippableZeroes(text, pos, text.length);
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int len = m.group(2).split(" ").length;
            Slot first = InstructionCodec.readSlot(text, pos, elf.order);
            Slot next = pos + 16 <= text.length ? InstructionCodec.readSlot(text, pos + 8, elf.order) : null;
            // The instruction model reads the same bytes the same way.
            Instructions model = InstructionCodec.decode(text, pos, Math.min(16, text.length - pos), elf.order);
            assertThat(model.get(0).slot()).isEqualTo(first);

            opcodes.set(first.code());
            LlvmSyntax.Decoded d = syntax.decode(first, next);
            String expected = m.group(3);
            if (d.branch()) {
                expected = TARGET.matcher(expected).replaceFirst("");
            }
            if (!d.text().equals(expected) || d.slots() * 8 != len) {
                mismatches.add(String.format("%s: %s  want [%s] %d bytes, got [%s] %d slots", m.group(1), m.group(2), expected, len, d.text(), d.slots()));
            }
            pos += len;
            count++;
        }
        assertThat(pos).as("the golden covers the whole section").isEqualTo(text.length);
        assertThat(count).isGreaterThan(8000);
        assertThat(opcodes.cardinality()).as("opcode bytes covered").isEqualTo(256);
        assertThat(mismatches).as("%d of %d instructions differ", mismatches.size(), count).isEmpty();
    }
}
