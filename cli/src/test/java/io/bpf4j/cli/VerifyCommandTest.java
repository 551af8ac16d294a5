package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.testdata.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bpf4j verify} prints veristat's layouts (the 6.12 tree's veristat.c: table headers,
 * CSV names, comparison columns) and refuses, through its exit code, what the verifier rejects.
 */
class VerifyCommandTest {
    private static final String CSV_HEADER =
            "file_name,prog_name,verdict,duration,total_insns,total_states,peak_states,max_states_per_insn,max_mark_read_len";

    @Test
    void tableAsVeristatPrintsIt() {
        CliRun run = CliRun.of("verify", TestData.object("minimal.v3.el.o").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().split("\n");
        assertThat(lines[0]).isEqualTo("Processing 'minimal.v3.el.o'...");
        assertThat(lines[1]).matches("File +Program +Verdict  Duration \\(us\\)  Insns  States  Peak states");
        assertThat(lines[2]).matches("-+  -+  -+  -+  -----  ------  -----------");
        // sorted by program name, numbers right-aligned under their headers
        assertThat(lines[3]).matches("minimal\\.v3\\.el\\.o  xdp_drop  success  +\\d+      2       0            0");
        assertThat(lines[4]).startsWith("minimal.v3.el.o  xdp_pass  success");
        assertThat(lines[5]).isEqualTo(lines[2]);
        assertThat(lines[6]).isEqualTo("Done. Processed 1 files, 2 programs. Skipped 0 files, 0 programs.");
    }

    @Test
    void csvAndJsonUseVeristatsColumnNames() throws Exception {
        CliRun csv = CliRun.of("verify", "-o", "csv", TestData.object("minimal.v3.el.o").toString());
        assertThat(csv.out().split("\n")[0]).isEqualTo(CSV_HEADER);
        assertThat(csv.out().split("\n")[1]).matches("minimal\\.v3\\.el\\.o,xdp_drop,success,\\d+,2,0,0,0,0");

        CliRun json = CliRun.of("-j", "verify", "--prog", "xdp_pass", TestData.object("minimal.v3.el.o").toString());
        JsonNode a = new ObjectMapper().readTree(json.out());
        assertThat(a).hasSize(1);
        JsonNode p = a.get(0);
        assertThat(p.get("file_name").asText()).isEqualTo("minimal.v3.el.o");
        assertThat(p.get("prog_name").asText()).isEqualTo("xdp_pass");
        assertThat(p.get("verdict").asText()).isEqualTo("success");
        assertThat(p.get("total_insns").asInt()).isEqualTo(2);
        assertThat(p.has("stack_depth")).isTrue();
        assertThat(p.get("error").isNull()).isTrue();
        assertThat(p.get("log").isArray()).isTrue();
    }

    @Test
    void aRejectedProgramIsAFailureAndExitCodeOne() throws Exception {
        // table_test calls through a stack array indexed at run time: the loaded pointer is a scalar
        CliRun json = CliRun.of("-j", "verify", "--prog", "table_test", TestData.object("funcptr.v3.el.o").toString());
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode p = new ObjectMapper().readTree(json.out()).get(0);
        assertThat(p.get("verdict").asText()).isEqualTo("failure");
        assertThat(p.get("error").asText()).isEqualTo("R2 has type scalar, expected func");
        assertThat(p.get("targets")).isEmpty();
    }

    @Test
    void aSmallLogSizeKeepsTheEndOfTheLogAndTheErrorLine() throws Exception {
        String obj = TestData.object("funcptr.v3.el.o").toString();
        JsonNode full = new ObjectMapper().readTree(CliRun.of("-j", "verify", "--prog", "table_test", obj).out()).get(0);
        CliRun cut = CliRun.of("-j", "verify", "--prog", "table_test", "--log-size", "64", obj);
        assertThat(cut.exitCode()).isEqualTo(1);
        JsonNode p = new ObjectMapper().readTree(cut.out()).get(0);
        assertThat(p.get("error").asText()).isEqualTo("R2 has type scalar, expected func");
        String fullLog = String.join("\n", lines(full.get("log")));
        String cutLog = String.join("\n", lines(p.get("log")));
        assertThat(fullLog.length()).isGreaterThan(63);
        assertThat(cutLog.length()).isLessThanOrEqualTo(63);
        assertThat(fullLog).endsWith(cutLog);

        CliRun bad = CliRun.of("verify", "--log-size", "0", obj);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--log-size");
    }

    private static java.util.List<String> lines(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void explainShowsTheSliceAndTheHintAfterTheTable() throws Exception {
        String obj = TestData.selftestObject("selftest_explain.v3.el.o").toString();
        CliRun run = CliRun.of("verify", "--explain", "--prog", "value_unchecked", obj);
        assertThat(run.exitCode()).isEqualTo(1);
        String out = run.out();
        String table = out.substring(0, out.indexOf("Done. Processed"));
        assertThat(table).doesNotContain("explanation");
        assertThat(out.substring(out.indexOf("Done. Processed"))).contains(
                "prog 'value_unchecked' in selftest_explain.v3.el.o: R0 invalid mem access 'map_value_or_null'"
                        + " (selftest_explain.bpf.c:57)\n"
                        + "explanation (null_pointer):\n",
                "; sets R0 to what the call returns   @ selftest_explain.bpf.c:55: __u64 *v = bpf_map_lookup_elem(&hashed, &k);",
                "hint: check the result of bpf_map_lookup_elem (line 55) for NULL before line 57\n");

        CliRun json = CliRun.of("-j", "verify", "--prog", "value_unchecked", obj);
        JsonNode e = new ObjectMapper().readTree(json.out()).get(0).get("explanation");
        assertThat(e.get("rule").asText()).isEqualTo("null_pointer");
        assertThat(e.get("slice")).hasSize(2);
        assertThat(e.get("slice").get(0).get("source").asText()).isEqualTo("selftest_explain.bpf.c:55");
        assertThat(e.get("slice").get(1).get("insn").asInt()).isEqualTo(7);
        assertThat(e.get("hint").asText()).isEqualTo("check the result of bpf_map_lookup_elem (line 55) for NULL before line 57");

        CliRun accepted = CliRun.of("-j", "verify", "--prog", "xdp_pass", TestData.object("minimal.v3.el.o").toString());
        assertThat(new ObjectMapper().readTree(accepted.out()).get(0).get("explanation").isNull()).isTrue();
    }

    @Test
    void indirectInstructionsListTheirTargets() throws Exception {
        // jt_computed: a computed goto through a three-entry jump table and a one-entry one (jumptables.bpf.c)
        CliRun json = CliRun.of("-j", "verify", "--prog", "jt_computed", TestData.object("jumptables.v4.el.o").toString());
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode t = new ObjectMapper().readTree(json.out()).get(0).get("targets");
        assertThat(t).hasSize(2);
        CliRun dump = CliRun.of("dump", TestData.object("jumptables.v4.el.o").toString(), "--prog", "jt_computed");
        for (JsonNode n : t) {
            // every listed insn is a gotox of the relocated program, every target one of its jump tables' entries
            assertThat(dump.out()).containsPattern("(?m)^\\s*" + n.get("insn").asInt() + ": \\(0d\\) gotox r\\d");
            assertThat(n.get("targets")).isNotEmpty();
        }
    }

    @Test
    void comparisonModeJoinsTwoCsvFiles(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.csv"), CSV_HEADER + "\nx.o,p,success,10,100,5,2,1,0\nx.o,q,failure,1,3,0,0,0,0\n");
        Path b = Files.writeString(dir.resolve("b.csv"), CSV_HEADER + "\nx.o,p,success,20,150,5,2,1,0\nx.o,r,success,1,1,0,0,0,0\n");
        CliRun csv = CliRun.of("verify", "-C", "-o", "csv", a.toString(), b.toString());
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        String[] lines = csv.out().split("\n");
        assertThat(lines[0]).startsWith("file_name,prog_name,verdict_base,verdict_comp,verdict_diff,duration_base,duration_comp,duration_diff,");
        assertThat(lines[1]).startsWith("x.o,p,success,success,MATCH,10,20,+10 (+100.00%),100,150,+50 (+50.00%),");
        assertThat(lines[2]).startsWith("x.o,q,failure,N/A,N/A,1,N/A,N/A,");
        assertThat(lines[3]).startsWith("x.o,r,N/A,success,N/A,N/A,1,N/A,");

        CliRun table = CliRun.of("verify", "--compare", a.toString(), b.toString());
        assertThat(table.out().split("\n")[0]).startsWith("File  Program  Verdict (A)  Verdict (B)  Verdict (DIFF)  Duration (us) (A)");
    }

    @Test
    void runRefusesWhatTheVerifierRejectsUnlessNoVerify(@TempDir Path dir) throws Exception {
        String obj = TestData.object("funcptr.v3.el.o").toString();
        String ctx = Files.write(dir.resolve("ctx"), new byte[96]).toString();
        CliRun refused = CliRun.of("run", obj, "--prog", "table_test", "--ctx-in", ctx);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("prog 'table_test': BPF program load failed: Permission denied",
                "R2 has type scalar, expected func", "--no-verify");
        CliRun ran = CliRun.of("run", obj, "--prog", "table_test", "--no-verify", "--ctx-in", ctx);
        assertThat(ran.exitCode()).as(ran.err()).isZero();
        assertThat(ran.out()).startsWith("Return value: 0, ");
    }
}
