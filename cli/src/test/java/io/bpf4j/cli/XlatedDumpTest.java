package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LibbpfCapture;
import io.bpf4j.testdata.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code bpf4j dump} (xlated) against what libbpf 1.1 handed the kernel for the same program
 * (testdata/goldens/libbpf-relo): every instruction's fields through {@code -j}, maps by name.
 * Objects with externs (Kconfig values, typeless ksym addresses, BTF ids: facts of the kernel
 * build and boot) are compared with libbpf's capture made against the running kernel in the
 * same run ({@link LibbpfCapture}); their committed golden only lists the programs and is
 * diffed against the live capture to report what changed.
 */
class XlatedDumpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> goldens() throws Exception {
        try (Stream<Path> s = Files.list(TestData.dir().resolve("goldens/libbpf-relo"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> jsonInstructionsEqualWhatLibbpfLoaded() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path golden : goldens()) {
            JsonNode g = JSON.readTree(golden.toFile());
            Path obj = TestData.object(g.get("object").asText());
            for (JsonNode load : g.get("loads")) {
                JsonNode pl = load.get("prog_load");
                if (pl == null || !pl.path("accepted").asBoolean() || hasCore(obj)) {
                    continue;
                }
                String prog = load.get("program").asText();
                if (TestData.externs(obj).isEmpty()) {
                    tests.add(DynamicTest.dynamicTest(obj.getFileName() + " " + prog, () -> compare(obj, prog, pl)));
                } else {
                    tests.add(DynamicTest.dynamicTest(obj.getFileName() + " " + prog + " (live capture)",
                            () -> compare(obj, prog, liveLoad(golden, obj, prog))));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(20);
        return tests.stream();
    }

    /** The BPF_PROG_LOAD of {@code prog} in libbpf's capture of {@code obj} against the running kernel. */
    private static JsonNode liveLoad(Path golden, Path obj, String prog) {
        KernelFacts.assume(LibbpfCapture.unavailableReason());
        for (JsonNode load : LibbpfCapture.liveComparedWith(golden, obj).get("loads")) {
            if (load.get("program").asText().equals(prog)) {
                JsonNode pl = load.get("prog_load");
                if (pl == null || pl.isNull() || !pl.path("accepted").asBoolean()) {
                    throw KernelFacts.refused(obj.getFileName() + " " + prog, "libbpf: " + load.get("log"));
                }
                return pl;
            }
        }
        throw new AssertionError("libbpf's live capture of " + obj.getFileName() + " has no load of " + prog);
    }

    /** CO-RE programs are compared by the relocator's own golden test against a target BTF. */
    private static boolean hasCore(Path obj) {
        return obj.getFileName().toString().startsWith("core_");
    }

    private static void compare(Path obj, String prog, JsonNode pl) throws Exception {
        CliRun run = CliRun.of("-j", "dump", "--prog", prog, obj.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode insns = JSON.readTree(run.out()).get(0).get("insns");
        Map<Integer, String> mapAt = new HashMap<>();
        for (JsonNode r : pl.get("map_refs")) {
            mapAt.put(r.get("slot").asInt(), r.get("map").asText());
        }
        JsonNode want = pl.get("insns");
        int slots = 0;
        for (JsonNode insn : insns) {
            int pc = insn.get("pc").asInt();
            String hex = want.get(pc).asText();
            assertThat(insn.get("code").asInt()).as("code at %d", pc).isEqualTo(Integer.parseInt(hex.substring(0, 2), 16));
            int regs = Integer.parseInt(hex.substring(2, 4), 16);
            assertThat(insn.get("dst_reg").asInt()).as("dst at %d", pc).isEqualTo(regs & 0xf);
            assertThat(insn.get("src_reg").asInt()).as("src at %d", pc).isEqualTo(regs >> 4);
            assertThat((short) insn.get("off").asInt()).as("off at %d", pc).isEqualTo((short) le(hex.substring(4, 8)));
            if (mapAt.containsKey(pc)) {
                assertThat(insn.get("map").asText()).as("map at %d", pc).isEqualTo(mapAt.get(pc));
            } else {
                assertThat(insn.get("imm").asInt()).as("imm at %d", pc).isEqualTo((int) le(hex.substring(8, 16)));
            }
            slots = pc + (insn.has("imm_hi") ? 2 : 1);
        }
        assertThat(slots).isEqualTo(want.size());
    }

    private static long le(String hex) {
        long v = 0;
        for (int i = hex.length() - 2; i >= 0; i -= 2) {
            v = v << 8 | Integer.parseInt(hex.substring(i, i + 2), 16);
        }
        return v;
    }

    @Test
    void callbacksShowTheirTargetByName() {
        Path obj = TestData.object("callbacks.v3.el.o");
        CliRun run = CliRun.of("dump", "--prog", "callbacks_loop", obj.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("r2 = subprog\\[[+-]\\d+\\]#\\w+");
        assertThat(run.out()).containsPattern("call bpf_loop#181");
    }

    @Test
    void opcodesLineUnderEveryInstruction() {
        Path obj = TestData.object("minimal.v1.el.o");
        List<String> lines = CliRun.of("dump", "--opcodes", obj.toString()).out().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\s*\\d+: \\(\\w\\w\\) .*")) {
                assertThat(lines.get(i + 1)).matches("       [0-9a-f]{2}( [0-9a-f]{2}){7}( [0-9a-f]{2}){0,8}");
                assertThat(lines.get(i + 1).substring(7, 9)).isEqualTo(lines.get(i).replaceFirst("\\s*\\d+: \\((\\w\\w)\\).*", "$1"));
            }
        }
    }

    @Test
    void unknownProgramIsARejectedInput() {
        CliRun run = CliRun.of("dump", "--prog", "no_such_prog", TestData.object("minimal.v1.el.o").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no program named 'no_such_prog'");
    }
}
