package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpf4j.testdata.TestData;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bpf4j test} over testdata's selftest-style objects: a line per test and the summary line. */
class TestCommandTest {
    @Test
    void annotationsThatHoldPassInBothModes() {
        CliRun run = CliRun.of("test", TestData.selftestObject("selftest_pass.v3.el.o").toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> lines = Arrays.asList(run.out().split("\n"));
        assertThat(lines).hasSize(17);
        assertThat(lines.get(0)).isEqualTo("PASS  selftest_pass.v3.el.o/pass_returns_xdp_pass");
        assertThat(lines).contains("PASS  selftest_pass.v3.el.o/packet_length (the packet is TEST_DATA_LEN bytes long)",
                "PASS  selftest_pass.v3.el.o/also_unprivileged @unpriv",
                "PASS  selftest_pass.v3.el.o/unprivileged_pointer_leak @unpriv",
                "PASS  selftest_pass.v3.el.o/syscall_retval",
                "SKIP  selftest_pass.v3.el.o/strict_alignment: test_prog_flags 0x1: bpf4j does not model these program flags yet");
        assertThat(lines.get(16)).isEqualTo("15 passed, 0 failed, 1 skipped");
    }

    @Test
    void wrongAnnotationsFailWithTheirReasonAndExitCodeOne() {
        CliRun run = CliRun.of("test", TestData.selftestObject("selftest_pass.v3.el.o").toString(),
                TestData.selftestObject("selftest_wrong.v3.el.o").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("FAIL  selftest_wrong.v3.el.o/wrong_expects_failure: unexpected_load_success\n")
                .contains("FAIL  selftest_wrong.v3.el.o/wrong_retval: Unexpected retval: 2 != 1\n")
                .contains("FAIL  selftest_wrong.v3.el.o/wrong_message: expect_msg\n      EXPECTED   SUBSTR: 'R0 invalid mem access 'scalar''\n")
                .endsWith("15 passed, 5 failed, 1 skipped\n");
    }

    @Test
    void jsonAndUnreadableObjects() throws Exception {
        CliRun run = CliRun.of("-j", "test", TestData.selftestObject("selftest_wrong.v3.el.o").toString(), "no-such.o");
        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("summary").asText()).isEqualTo("0 passed, 6 failed, 0 skipped");
        JsonNode first = doc.get("tests").get(0);
        assertThat(first.get("prog").asText()).isEqualTo("wrong_expects_success");
        assertThat(first.get("status").asText()).isEqualTo("fail");
        assertThat(doc.get("tests").get(4).get("retval").asLong()).isEqualTo(2);
        assertThat(doc.get("tests").get(5).get("file").asText()).isEqualTo("no-such.o");
        assertThat(doc.get("tests").get(5).get("message").asText()).contains("no-such.o");
    }
}
