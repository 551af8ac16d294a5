package io.bpf4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.bpf4j.testdata.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class BpfSelftestsTest {
    /** Every annotation of selftest_pass holds: these pass (the @unpriv runs too). */
    @TestFactory
    Stream<DynamicTest> selftestPass() {
        return BpfSelftests.dynamicTests(TestData.selftestObject("selftest_pass.v3.el.o"));
    }

    /** Run only through the launcher below: its annotations are wrong, so its tests must fail. */
    @Fixture
    static final class WrongAnnotations {
        @TestFactory
        Stream<DynamicTest> selftestWrong() {
            return BpfSelftests.dynamicTests(TestData.selftestObject("selftest_wrong.v3.el.o"));
        }

        @TestFactory
        Stream<DynamicTest> selftestPass() {
            return BpfSelftests.dynamicTests(TestData.selftestObject("selftest_pass.v3.el.o"));
        }
    }

    private record Outcome(String name, TestExecutionResult.Status status, String message) {}

    @Test
    void wrongAnnotationsFailAndTheOthersPassOrSkipOnTheJUnitPlatform() {
        List<Outcome> outcomes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(WrongAnnotations.class))
                .configurationParameter(Fixture.PARAMETER, "true")
                .build();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    outcomes.add(new Outcome(id.getDisplayName(), result.getStatus(),
                            result.getThrowable().map(Throwable::getMessage).orElse("")));
                }
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                skipped.add(id.getDisplayName());
            }
        });
        Path wrong = TestData.selftestObject("selftest_wrong.v3.el.o");
        List<Outcome> failed = outcomes.stream().filter(o -> o.status() == TestExecutionResult.Status.FAILED).toList();
        assertThat(failed).extracting(Outcome::name).containsExactly("wrong_expects_success", "wrong_expects_failure",
                "wrong_message", "wrong_message_order", "wrong_retval");
        assertThat(failed.get(0).message()).startsWith(wrong.getFileName() + "/wrong_expects_success: unexpected_load_failure: "
                + "R0 invalid mem access 'map_value_or_null' (selftest_wrong.bpf.c:").contains("VERIFIER LOG:");
        assertThat(failed.get(1).message()).isEqualTo(wrong.getFileName() + "/wrong_expects_failure: unexpected_load_success");
        assertThat(failed.get(3).message()).contains("MATCHED    SUBSTR: 'R0 invalid mem access 'map_value_or_null''\n"
                + "EXPECTED   SUBSTR: 'call bpf_map_lookup_elem#1'");
        assertThat(failed.get(4).message()).contains("Unexpected retval: 2 != 1");
        assertThat(outcomes.stream().filter(o -> o.status() == TestExecutionResult.Status.ABORTED))
                .extracting(Outcome::name).containsExactly("strict_alignment");
        assertThat(outcomes.stream().filter(o -> o.status() == TestExecutionResult.Status.SUCCESSFUL)).hasSize(15)
                .extracting(Outcome::name).contains("packet_length (the packet is TEST_DATA_LEN bytes long)", "no_annotations",
                        "also_unprivileged @unpriv", "unprivileged_pointer_leak @unpriv");
        assertThat(skipped).isEmpty();
    }
}
