package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.testdata.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes, error lines, JSON and help, as a user of the command meets them. */
class CommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySubcommandHasHelp() {
        for (String[] cmd : new String[][] {{"--help"}, {"dump", "--help"}, {"inspect", "--help"}, {"btf", "dump", "--help"},
                {"conformance-plugin", "--help"}}) {
            CliRun run = CliRun.of(cmd);
            assertThat(run.exitCode()).as(String.join(" ", cmd)).isZero();
            assertThat(run.out()).startsWith("Usage: bpf4j");
        }
    }

    @Test
    void notAnElfObjectIsOneLineNamingTheFileAndExitOne(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.o"), "this is not an ELF object at all, just text");
        CliRun run = CliRun.of("dump", junk.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("bpf4j: error: " + junk).doesNotContain("Exception");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void truncatedObjectNamesThePlace(@TempDir Path dir) throws Exception {
        byte[] whole = Files.readAllBytes(TestData.objects().get(0));
        Path cut = Files.write(dir.resolve("cut.o"), java.util.Arrays.copyOf(whole, whole.length / 2));
        CliRun run = CliRun.of("inspect", cut.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("bpf4j: error: " + cut + ": ");
    }

    @Test
    void missingFileAndDebugStackTrace() {
        CliRun plain = CliRun.of("inspect", "/no/such/object.o");
        assertThat(plain.exitCode()).isEqualTo(1);
        assertThat(plain.err()).isEqualTo("bpf4j: error: /no/such/object.o: no such file\n");
        CliRun debug = CliRun.of("--debug", "inspect", "/no/such/object.o");
        assertThat(debug.exitCode()).isEqualTo(1);
        assertThat(debug.err()).contains("NoSuchFileException").contains("\tat ");
    }

    @Test
    void usageErrorIsExitTwo() {
        assertThat(CliRun.of("dump").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("no-such-command").exitCode()).isEqualTo(2);
    }

    /** inspect -j against the llvm-objdump golden: its function labels and relocation lines. */
    @Test
    void inspectJsonAgreesWithLlvmObjdump() throws Exception {
        int checked = 0;
        Pattern label = Pattern.compile("^[0-9a-f]{16} <(.+)>:$");
        Pattern reloc = Pattern.compile("^\\s+[0-9a-f]+:\\s+(R_BPF_\\w+)\\s+(\\S+)$");
        for (Path obj : TestData.objectsStartingWith("calculon")) {
            JsonNode root = JSON.readTree(CliRun.of("-j", "inspect", obj.toString()).out());
            List<String> goldenRelocs = new ArrayList<>();
            List<String> goldenLabels = new ArrayList<>();
            for (String line : Files.readAllLines(TestData.golden("llvm-objdump", obj))) {
                Matcher m = reloc.matcher(line);
                if (m.matches()) {
                    goldenRelocs.add(m.group(1) + " " + m.group(2));
                }
                Matcher l = label.matcher(line);
                if (l.matches()) {
                    goldenLabels.add(l.group(1));
                }
            }
            List<String> codeRelocs = new ArrayList<>();
            for (JsonNode r : root.get("relocations")) {
                String section = r.get("section").asText();
                boolean code = false;
                for (JsonNode s : root.get("sections")) {
                    code |= s.get("name").asText().equals(section) && (s.get("flags").asLong() & 4) != 0;
                }
                if (code) {
                    codeRelocs.add(r.get("type").asText() + " " + r.get("symbol").asText());
                }
            }
            assertThat(codeRelocs).as(obj.toString()).containsExactlyInAnyOrderElementsOf(goldenRelocs);
            List<String> functions = new ArrayList<>();
            root.get("functions").forEach(f -> functions.add(f.get("name").asText()));
            assertThat(goldenLabels).as(obj.toString()).containsAll(functions);
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(3);
    }

    @Test
    void jsonFlagWorksBeforeAndAfterTheSubcommand() throws Exception {
        String obj = TestData.objects().get(0).toString();
        JsonNode before = JSON.readTree(CliRun.of("-j", "inspect", obj).out());
        JsonNode after = JSON.readTree(CliRun.of("inspect", "--json", obj).out());
        assertThat(before).isEqualTo(after);
        assertThat(before.get("sections").size()).isGreaterThan(3);
    }
}
