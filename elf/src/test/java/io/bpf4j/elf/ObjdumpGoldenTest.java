package io.bpf4j.elf;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sections, symbols, relocations and instruction bytes against {@code llvm-objdump -dr}
 * (testdata/goldens/llvm-objdump): which sections are code, the bytes of every slot, every
 * function label, and every relocation of a code section with its offset, type and symbol.
 */
class ObjdumpGoldenTest {
    private static final Pattern SECTION = Pattern.compile("^Disassembly of section (.*):$");
    private static final Pattern LABEL = Pattern.compile("^([0-9a-f]{16}) <(.*)>:$");
    private static final Pattern INSN = Pattern.compile("^\\s+(\\d+):\\t([0-9a-f]{2}(?: [0-9a-f]{2})*)(?:\\t.*)?$");
    private static final Pattern RELO = Pattern.compile("^\\t\\t([0-9a-f]{16}):  (\\S+)\\t(.*)$");

    record Golden(Path path) {
        Path golden() {
            return TestData.golden("llvm-objdump", path);
        }
    }

    static Stream<Path> objects() {
        return Corpus.objects().stream().filter(p -> Files.exists(new Golden(p).golden()));
    }

    @Test
    void everyCorpusObjectHasAnObjdumpGolden() {
        assertThat(objects().count()).isEqualTo(TestData.objects().size()).isPositive();
    }

    /** What the golden says about one section. */
    static final class SectionDump {
        final Map<Long, String> slotBytes = new LinkedHashMap<>();
        final List<String> labels = new ArrayList<>();
        final List<String> relocations = new ArrayList<>();
    }

    private static Map<String, SectionDump> parse(Path golden) throws IOException {
        Map<String, SectionDump> out = new LinkedHashMap<>();
        SectionDump cur = null;
        for (String line : Files.readAllLines(golden)) {
            Matcher m;
            if ((m = SECTION.matcher(line)).matches()) {
                cur = out.computeIfAbsent(m.group(1), k -> new SectionDump());
            } else if (cur != null && (m = LABEL.matcher(line)).matches()) {
                cur.labels.add(Long.parseLong(m.group(1), 16) + " " + m.group(2));
            } else if (cur != null && (m = RELO.matcher(line)).matches()) {
                cur.relocations.add(Long.parseLong(m.group(1), 16) + " " + m.group(2) + " " + m.group(3));
            } else if (cur != null && (m = INSN.matcher(line)).matches()) {
                String[] bytes = m.group(2).trim().split(" ");
                long slot = Long.parseLong(m.group(1));
                for (int i = 0; i < bytes.length; i += 8) {
                    cur.slotBytes.put(slot + i / 8, String.join(" ", java.util.Arrays.copyOfRange(bytes, i, i + 8)));
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("objects")
    void agreesWithLlvmObjdump(Path object) throws IOException {
        ElfObject o = ElfObject.read(object);
        Map<String, SectionDump> golden = parse(new Golden(object).golden());
        List<ElfSection> code = o.sections().stream().filter(s -> s.isExecutable() && s.size() > 0).toList();
        assertThat(golden.keySet()).containsExactlyElementsOf(code.stream().map(ElfSection::name).toList());
        for (ElfSection s : code) {
            SectionDump d = golden.get(s.name());
            byte[] bytes = s.bytes();
            assertThat(d.slotBytes).as("slots of %s", s.name()).hasSize(bytes.length / 8);
            for (Map.Entry<Long, String> e : d.slotBytes.entrySet()) {
                int at = (int) (e.getKey() * 8);
                StringBuilder hex = new StringBuilder();
                for (int i = 0; i < 8; i++) hex.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[at + i]));
                assertThat(hex.toString()).as("%s slot %d", s.name(), e.getKey()).isEqualTo(e.getValue());
            }
            List<String> symbols = o.symbolsIn(s).stream().map(y -> y.value() + " " + o.displayName(y)).collect(Collectors.toList());
            assertThat(symbols).as("symbols of %s", s.name()).containsAll(d.labels);
            assertThat(o.relocationsFor(s)).extracting(r -> r.offset() + " " + r.type().name() + " " + o.displayName(r.symbol()))
                    .as("relocations of %s", s.name()).containsExactlyElementsOf(d.relocations);
        }
    }
}
