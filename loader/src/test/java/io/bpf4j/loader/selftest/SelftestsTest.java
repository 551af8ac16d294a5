package io.bpf4j.loader.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.TestData;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The selftests convention over testdata/selftests: every annotation of selftest_pass holds
 * (its unprivileged runs too), every annotation of selftest_wrong is wrong and fails for
 * the reason test_loader.c would give.
 */
class SelftestsTest {
    private static Map<String, SelftestResult> run(String object) {
        Map<String, SelftestResult> out = new LinkedHashMap<>();
        for (Selftest t : Selftests.read(TestData.selftestObject(object))) {
            out.put(t.name(), Selftests.run(t));
        }
        return out;
    }

    @Test
    void annotationsThatHoldPass() {
        Map<String, SelftestResult> r = run("selftest_pass.v3.el.o");
        assertThat(r.keySet()).containsExactly("pass_returns_xdp_pass", "packet_length (the packet is TEST_DATA_LEN bytes long)",
                "null_map_value", "null_map_value_ordered (several messages in log order)", "regex_in_msg",
                "whole_regex_and_plain_msg", "success_log_level_2", "testing_flag", "strict_alignment", "no_annotations",
                "tc_hex_retval", "syscall_retval", "also_unprivileged", "also_unprivileged @unpriv",
                "unprivileged_pointer_leak", "unprivileged_pointer_leak @unpriv");
        r.forEach((name, res) -> {
            if (name.equals("strict_alignment")) {
                assertThat(res.status()).as(name).isEqualTo(SelftestResult.Status.SKIPPED);
                assertThat(res.message()).isEqualTo("test_prog_flags 0x1: bpf4j does not model these program flags yet");
            } else {
                assertThat(res.status()).as(name + ": " + res.message()).isEqualTo(SelftestResult.Status.PASSED);
            }
        });
        assertThat(r.get("packet_length (the packet is TEST_DATA_LEN bytes long)").retval()).isEqualTo(64L);
        assertThat(r.get("tc_hex_retval").retval()).isEqualTo(0x2aL);
        assertThat(r.get("syscall_retval").retval()).isEqualTo(7L);
        assertThat(r.get("no_annotations").retval()).isNull();
        assertThat(r.get("testing_flag").retval()).isEqualTo(2L);
        assertThat(r.get("null_map_value").log()).contains("R0 invalid mem access 'map_value_or_null'");
        // the unprivileged run has its own expectation: the pointer leak root may commit
        assertThat(r.get("unprivileged_pointer_leak").log()).isEmpty();
        assertThat(r.get("unprivileged_pointer_leak @unpriv").log()).contains("R0 leaks addr as return value");
        assertThat(Selftests.summary(List.copyOf(r.values()))).isEqualTo("15 passed, 0 failed, 1 skipped");
    }

    @Test
    void wrongAnnotationsFailWithTestLoadersReason() throws Exception {
        Map<String, SelftestResult> r = run("selftest_wrong.v3.el.o");
        r.forEach((name, res) -> assertThat(res.status()).as(name).isEqualTo(SelftestResult.Status.FAILED));
        // the place is the line of the source that dereferences the lookup's result
        List<String> source = Files.readAllLines(TestData.dir().resolve("selftests/src/selftest_wrong.bpf.c"));
        int line = source.indexOf("\treturn *v;") + 1;
        assertThat(line).isPositive();
        assertThat(r.get("wrong_expects_success").message())
                .isEqualTo("unexpected_load_failure: R0 invalid mem access 'map_value_or_null' (selftest_wrong.bpf.c:" + line + ")");
        assertThat(r.get("wrong_expects_failure").message()).isEqualTo("unexpected_load_success");
        assertThat(r.get("wrong_message").message())
                .isEqualTo("expect_msg\nEXPECTED   SUBSTR: 'R0 invalid mem access 'scalar''");
        assertThat(r.get("wrong_message_order").message()).isEqualTo("expect_msg\n"
                + "MATCHED    SUBSTR: 'R0 invalid mem access 'map_value_or_null''\n"
                + "EXPECTED   SUBSTR: 'call bpf_map_lookup_elem#1'");
        assertThat(r.get("wrong_retval").message()).isEqualTo("Unexpected retval: 2 != 1");
        assertThat(Selftests.summary(List.copyOf(r.values()))).isEqualTo("0 passed, 5 failed, 0 skipped");
    }

    @Test
    void tagValuesAreParsedAsTestLoaderParsesThem() {
        SelftestSpec.Message m = SelftestSpec.Message.msg("R{{[0-9]}} invalid mem access 'map_{{[a-z_]+}}'");
        assertThat(m.isRegex()).isTrue();
        assertThat(m.find("x\nR0 invalid mem access 'map_value_or_null'\n", 0)).isNotNull();
        assertThat(m.find("R0 invalid mem access 'scalar'", 0)).isNull();
        // outside {{ }} every character is literal, as test_loader escapes them
        assertThat(SelftestSpec.Message.msg("a.b{{c}}").find("axbc", 0)).isNull();
        assertThat(SelftestSpec.Message.msg("a.b{{c}}").find("a.bc", 0)).isNotNull();
        assertThat(Selftests.validateMessages("one\ntwo\n", List.of(SelftestSpec.Message.msg("two"),
                SelftestSpec.Message.msg("one")))).startsWith("expect_msg\nMATCHED");
    }
}
