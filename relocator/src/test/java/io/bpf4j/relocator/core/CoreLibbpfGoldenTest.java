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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CO-RE test object against every target BTF, compared with what libbpf 1.1 did to the
 * same object with the same BTF as {@code btf_custom_path} (goldens from
 * src/test/c/core/capture.sh): the instructions handed to BPF_PROG_LOAD, slot for slot, and
 * libbpf's CO-RE log line for line (candidates, specs, matches, patches, poisoning, errors).
 */
class CoreLibbpfGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> goldens() {
        return Stream.of(
                "core_kernel.el@vmlinux.json",
                "core_kernel.el@core_target.o.json",
                "core_kernel.el@core_target.btf.json",
                "core_flavors.el@core_flavors_target.btf.json",
                "core_ambiguous.el@core_flavors_target.btf.json",
                "core_decision.el@core_flavors_target.btf.json");
    }

    static JsonNode golden(String name) throws IOException {
        return JSON.readTree(CoreFixtures.resource("goldens/" + name));
    }

    /** libbpf's CO-RE lines that the relocator itself says (the object-level wrappers are the loader's). */
    static List<String> relocatorLines(JsonNode golden) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : golden.get("core_log")) {
            String t = l.get("text").asText();
            if (t.startsWith("sec '") || t.startsWith("failed to perform") || t.matches("prog '[^']*': relo #\\d+: failed to (relocate|patch insn #\\d+): -?\\d+")) {
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
