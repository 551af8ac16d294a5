package io.bpf4j.relocator;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.isa.InstructionCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second, independent capture of libbpf 1.1: the testdata helper's goldens
 * (testdata/goldens/libbpf/*.o.json, testdata/libbpf-capture). Every program there is
 * relocated here and compared instruction by instruction (map references by name).
 */
class TestdataLibbpfGoldenTest {
    private static final Path ROOT = Path.of(System.getProperty("bpf4j.root", "."));
    private static final HexFormat HEX = HexFormat.of();
    private static final int[] COUNTS = new int[2];

    @AfterAll
    static void report() {
        System.out.println("testdata libbpf goldens compared: " + COUNTS[0] + " objects, " + COUNTS[1] + " programs");
    }

    @TestFactory
    List<DynamicTest> programs() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        Path dir = ROOT.resolve("testdata/goldens/libbpf");
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".o.json")).sorted().toList()) {
                JsonNode g = LibbpfGolden.MAPPER.readTree(f.toFile());
                tests.add(DynamicTest.dynamicTest(g.get("object").asText(), () -> compare(g)));
            }
        }
        assertThat(tests).hasSizeGreaterThan(20);
        return tests;
    }

    private static void compare(JsonNode g) throws IOException {
        String object = g.get("object").asText();
        RelocatorOptions o = RelocatorOptions.builder().kernelVersion(0x06122c).kconfig("CONFIG_HZ=250\n").build();
        String name = object.substring(0, object.indexOf('.'));
        ObjectSpec obj = Relocator.resolveExterns(Relocator.open(ElfObject.read(Files.readAllBytes(ROOT.resolve("testdata/objects").resolve(object))),
                name.length() > 15 ? name.substring(0, 15) : name, o));
        synchronized (COUNTS) {
            COUNTS[0]++;
        }
        for (JsonNode p : g.get("programs")) {
            String kernelName = p.get("name").asText();
            ProgramSpec spec = obj.programs().stream()
                    .filter(x -> x.name().length() > 15 ? x.name().startsWith(kernelName) : x.name().equals(kernelName))
                    .findFirst().orElseThrow(() -> new AssertionError("no program " + kernelName));
            RelocatedProgram rp = Relocator.relocate(obj, spec.name());
            synchronized (COUNTS) {
                COUNTS[1]++;
            }
            assertThat(rp.programType().id()).isEqualTo(p.get("type").asInt());
            assertThat(rp.expectedAttachTypeId()).isEqualTo(p.get("expected_attach_type").asInt());
            assertThat(rp.license()).isEqualTo(p.get("license").asText());
            Map<Integer, String> refs = new HashMap<>();
            for (JsonNode r : p.get("map_refs")) {
                refs.put(r.get("insn").asInt(), r.get("map").asText());
            }
            Map<Integer, String> ours = new HashMap<>();
            rp.mapReferences().forEach(r -> ours.put(r.slot(), r.mapName()));
            // "?" marks an fd that capture could not name (a map libbpf reused from a pin instead of creating it)
            refs.forEach((slot, map) -> {
                if (map.equals("?")) {
                    ours.computeIfPresent(slot, (k, v) -> "?");
                }
            });
            assertThat(ours).as("map references of %s", spec.name()).isEqualTo(refs);
            Set<Integer> core = new java.util.HashSet<>();
            for (CoreSite c : rp.coreSites()) {
                core.add(c.slot());
                core.add(c.slot() + 1);
            }
            // typeless __ksym addresses come from the host's /proc/kallsyms (KASLR): not part of relocation
            for (RelocationRecord r : rp.relocations()) {
                if (r.kind() == RelocationKind.EXTERN_LD64 && obj.externs().get(r.externIndex()).typeless()) {
                    core.add(r.slot());
                    core.add(r.slot() + 1);
                }
            }
            byte[] enc = InstructionCodec.encode(rp.instructions(), ByteOrder.LITTLE_ENDIAN);
            JsonNode insns = p.get("insns");
            assertThat(enc.length / 8).as("slots of %s", spec.name()).isEqualTo(insns.size());
            for (int i = 0; i < insns.size(); i++) {
                if (core.contains(i)) {
                    continue; // CO-RE is not applied by bpf4j yet
                }
                String want = insns.get(i).asText();
                String got = HEX.formatHex(enc, i * 8, i * 8 + 8);
                if (refs.containsKey(i)) {
                    assertThat(got.substring(0, 8)).as("slot %d of %s", i, spec.name()).isEqualTo(want.substring(0, 8));
                } else {
                    assertThat(got).as("slot %d of %s", i, spec.name()).isEqualTo(want);
                }
            }
            if (p.get("func_info_cnt").asInt() > 0) {
                assertThat(rp.funcInfo()).as("func_info of %s", spec.name()).hasSize(p.get("func_info_cnt").asInt());
                assertThat(rp.lineInfo()).as("line_info of %s", spec.name()).hasSize(p.get("line_info_cnt").asInt());
            }
        }
    }
}
