package io.bpf4j.relocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CO-RE test object against every target BTF, compared with what libbpf (Debian's 1.1 and
 * 1.7.0 built from source) did to the same object with the same BTF as {@code btf_custom_path} (goldens from
 * testdata/libbpf-capture/capture.sh core): the instructions handed to BPF_PROG_LOAD, slot for slot, and
 * libbpf's CO-RE log line for line (candidates, specs, matches, patches, poisoning, errors).
 */
class CoreLibbpfGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> GOLDENS = List.of(
            "core_kernel.el@vmlinux.json",
            "core_kernel.el@core_target.o.json",
            "core_kernel.el@core_target.btf.json",
            "core_kernel.v4.el@vmlinux.json",
            "core_kernel.v4.el@core_target.btf.json",
            "core_versions.el@vmlinux.json",
            "core_versions.el@core_target.btf.json",
            "core_flavors.el@core_flavors_target.btf.json",
            "core_ambiguous.el@core_flavors_target.btf.json",
            "core_decision.el@core_flavors_target.btf.json");

    /** Where libbpf 1.1 and 1.5+ differ, bpf4j does what the newer libbpf does (see core_versions.bpf.c). */
    private static final String OLD_ARRAY_LOAD_RULE = "core_versions.el@core_target.btf.json";

    /** Golden paths: libbpf 1.7.0 for every case, Debian's libbpf 1.1 where it agrees with 1.7. */
    static Stream<String> goldens() {
        return Stream.concat(GOLDENS.stream().map(g -> "goldens-1.7/" + g),
                GOLDENS.stream().filter(g -> !g.equals(OLD_ARRAY_LOAD_RULE)).map(g -> "goldens/" + g));
    }

    static JsonNode golden(String name) throws IOException {
        return JSON.readTree(CoreFixtures.resource(name));
    }

    /** libbpf's CO-RE lines that the relocator itself says (the object-level wrappers are the loader's). */
    static List<String> relocatorLines(JsonNode golden) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : golden.get("core_log")) {
            String t = l.get("text").asText();
            if (t.startsWith("sec '") || t.startsWith("failed to perform") || t.matches("prog '[^']*': relo #\\d+: failed to (relocate|patch insn #\\d+): -?E?[A-Z0-9]+")) {
                continue;
            }
            out.add(t);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void sameInstructionsAndLogAsLibbpf(String goldenName) throws IOException {
        JsonNode g = golden(goldenName);
        ElfObject obj = CoreFixtures.object(g.get("object").asText());
        Btf target = CoreFixtures.target(g.get("target").asText());

        CoreFixtures.ObjectResult result = CoreFixtures.relocateObject(obj, CoreTarget.of(target));

        assertThat(result.log()).containsExactlyElementsOf(relocatorLines(g));
        if (g.get("load_error").asInt() != 0) {
            assertThat(result.failure()).as("libbpf failed the load with %s", g.get("load_error")).isNotNull();
            String firstWarning = null;
            for (JsonNode l : g.get("core_log")) {
                if (l.get("level").asText().equals("warn")) {
                    firstWarning = l.get("text").asText();
                    break;
                }
            }
            assertThat(result.failure().getMessage()).isEqualTo(firstWarning);
            assertThat(-errnoNumber(result.failure().errno())).isEqualTo(g.get("load_error").asInt());
            assertThat(result.failure().completed()).hasSize(result.failure().reloIndex());
            return;
        }
        assertThat(result.failure()).isNull();
        int compared = 0;
        for (JsonNode p : g.get("programs")) {
            String name = p.get("name").asText();
            List<String> expected = new ArrayList<>();
            p.get("insns").forEach(n -> expected.add(n.asText()));
            CoreRelocation mine = result.programs().get(name);
            assertThat(CoreFixtures.hexSlots(mine.instructions())).as("program '%s'", name).containsExactlyElementsOf(expected);
            compared += mine.results().size();
        }
        assertThat(compared).isPositive();
    }

    @Test
    void libbpf11PoisonsAnArrayLoadThatNewerLibbpfAndBpf4jRelocate() throws IOException {
        JsonNode old = golden("goldens/" + OLD_ARRAY_LOAD_RULE);
        JsonNode current = golden("goldens-1.7/" + OLD_ARRAY_LOAD_RULE);
        ElfObject obj = CoreFixtures.object(old.get("object").asText());
        CoreFixtures.ObjectResult result = CoreFixtures.relocateObject(obj, CoreTarget.of(CoreFixtures.target(old.get("target").asText())));
        CoreReloResult load = result.programs().get("array_load").results().stream()
                .filter(r -> r.before() instanceof io.bpf4j.isa.Load).findFirst().orElseThrow();

        String oldSlot = old.get("programs").get(0).get("insns").get(load.insnIndex()).asText();
        String newSlot = current.get("programs").get(0).get("insns").get(load.insnIndex()).asText();
        assertThat(oldSlot).isEqualTo("85000000" + "1023ad0b");
        assertThat(CoreFixtures.hexSlots(result.programs().get("array_load").instructions()).get(load.insnIndex())).isEqualTo(newSlot);
        assertThat(load.poisoned()).isFalse();
        assertThat(load.newValue()).isEqualTo(10);
    }

    private static int errnoNumber(String name) {
        switch (name) {
            case "EINVAL": return 22;
            case "E2BIG": return 7;
            case "ERANGE": return 34;
            case "EOPNOTSUPP": return 95;
            default: throw new AssertionError(name);
        }
    }
}
