package io.bpf4j.relocator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.relocator.core.CoreTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CO-RE as a step of the whole pipeline ({@link Relocator#open}, {@link Relocator#relocateCore},
 * {@link Relocator#relocate}) on the project corpus' CO-RE program (testdata core_reads, every
 * -mcpu) and on CO-RE inside subprograms and a '?' program (core_subprog), against this machine's vmlinux and a made-up kernel: the program libbpf handed to
 * BPF_PROG_LOAD equals ours slot for slot (map loads compared without the fd, which differs
 * by run), and the CO-RE log equals libbpf's.
 */
class CorePipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> goldens() {
        List<String> out = new ArrayList<>();
        for (String dir : List.of("goldens", "goldens-1.7")) {
            for (int v = 1; v <= 4; v++) {
                out.add(dir + "/core_reads.v" + v + ".el@vmlinux.json");
                out.add(dir + "/core_reads.v" + v + ".el@core_target.btf.json");
            }
            out.add(dir + "/core_subprog.el@vmlinux.json");
            out.add(dir + "/core_subprog.el@core_target.btf.json");
        }
        return out.stream();
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = CorePipelineTest.class.getResourceAsStream("/core/" + path)) {
            return path.endsWith(".gz") ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void wholePipelineEqualsLibbpf(String goldenPath) throws IOException {
        JsonNode g = JSON.readTree(resource(goldenPath));
        String objectName = g.get("object").asText();
        Path own = Path.of("src/test/resources/core/objects", objectName);
        ElfObject elf = ElfObject.read(Files.readAllBytes(Files.exists(own) ? own : Path.of("../testdata/objects", objectName)));
        String target = g.get("target").asText();
        Btf btf = target.equals("vmlinux") ? Btf.parse(resource("targets/vmlinux.btf.gz")) : CoreTarget.parseBtf(resource("targets/" + target));

        ObjectSpec opened = Relocator.open(elf, objectName.substring(0, objectName.indexOf('.')), RelocatorOptions.defaults());
        CoreRelocatedObject core = Relocator.relocateCore(opened, CoreTarget.of(btf));

        List<String> libbpfLog = new ArrayList<>();
        for (JsonNode l : g.get("core_log")) {
            String t = l.get("text").asText();
            if (!t.startsWith("failed to perform") && !t.matches("prog '[^']*': relo #\\d+: failed to .*")) libbpfLog.add(t);
        }
        assertThat(core.log()).containsExactlyElementsOf(libbpfLog);
        int compared = 0;
        for (JsonNode p : g.get("programs")) {
            if (p.get("insns").isNull()) {
                continue; // autoload off: libbpf neither relocated nor loaded it
            }
            compared++;
            List<String> expected = new ArrayList<>();
            p.get("insns").forEach(n -> expected.add(n.asText()));
            RelocatedProgram mine = Relocator.relocate(core.object(), p.get("name").asText());
            byte[] bytes = InstructionCodec.encode(mine.instructions(), ByteOrder.LITTLE_ENDIAN);
            assertThat(bytes.length / 8).isEqualTo(expected.size());
            for (int s = 0; s < expected.size(); s++) {
                String want = expected.get(s);
                String got = hex(bytes, s);
                // byte 1 is src << 4 | dst: src 1 (map fd) or 2 (map value)
                boolean mapLoad = want.startsWith("18") && (want.charAt(2) == '1' || want.charAt(2) == '2');
                if (mapLoad) {
                    // ld_imm64 of a map: libbpf put a file descriptor where we put the map index
                    assertThat(got.substring(0, 8)).as("program '%s' slot %d", p.get("name").asText(), s).isEqualTo(want.substring(0, 8));
                    s++;
                    continue;
                }
                assertThat(got).as("program '%s' slot %d", p.get("name").asText(), s).isEqualTo(want);
            }
        }
        assertThat(compared).isPositive();
    }

    /**
     * The corpus goldens of testdata/libbpf-capture (libbpf 1.1 on this machine's kernel, one
     * program autoloaded per load, the kernel verifying it): with CO-RE applied against the
     * committed copy of that kernel's BTF, every slot equals, CO-RE sites included.
     */
    @ParameterizedTest(name = "core_reads.v{0}.el")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 4})
    void corpusGoldensMatchWithCoreSlots(int cpu) throws IOException {
        String name = "core_reads.v" + cpu + ".el";
        JsonNode g = JSON.readTree(Files.readAllBytes(Path.of("../testdata/goldens/libbpf-relo", name + ".json")));
        ElfObject elf = ElfObject.read(Files.readAllBytes(Path.of("../testdata/objects", name + ".o")));
        CoreTarget vmlinux = CoreTarget.of(Btf.parse(resource("targets/vmlinux.btf.gz")));
        int compared = 0;
        for (JsonNode load : g.get("loads")) {
            if (load.get("prog_load").isNull()) continue;
            String prog = load.get("program").asText();
            ObjectSpec opened = Relocator.open(elf, "core_reads", RelocatorOptions.defaults());
            for (ProgramSpec p : opened.programs()) {
                opened = opened.withProgram(p.withAutoload(p.name().equals(prog)));
            }
            RelocatedProgram mine = Relocator.relocate(Relocator.relocateCore(opened, vmlinux).object(), prog);
            byte[] bytes = InstructionCodec.encode(mine.instructions(), ByteOrder.LITTLE_ENDIAN);
            JsonNode insns = load.get("prog_load").get("insns");
            assertThat(bytes.length / 8).isEqualTo(insns.size());
            for (int s = 0; s < insns.size(); s++) {
                String want = insns.get(s).asText();
                if (want.startsWith("18") && (want.charAt(2) == '1' || want.charAt(2) == '2')) {
                    assertThat(hex(bytes, s).substring(0, 8)).isEqualTo(want.substring(0, 8));
                    s++;
                    continue;
                }
                assertThat(hex(bytes, s)).as("%s '%s' slot %d", name, prog, s).isEqualTo(want);
            }
            compared += mine.coreSites().size();
        }
        assertThat(compared).isPositive();
    }

    private static String hex(byte[] b, int slot) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) sb.append(String.format("%02x", b[slot * 8 + k] & 0xff));
        return sb.toString();
    }
}
