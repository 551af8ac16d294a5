package io.bpf4j.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * goldens/kernel-accepts.txt and goldens/kernel-runs.txt are inputs: the kernel-tagged test
 * surveys the running kernel again and reports every verdict and test run that this kernel gives
 * differently (a build without a helper refuses a program the golden lists as accepted), so a
 * stale golden is seen, not trusted. The diff itself is tested on a simulated build.
 */
class KernelSurveyTest {

    @Test
    void aSimulatedBuildWithoutAHelperIsReportedProgramByProgram() {
        KernelSurvey committed = KernelSurvey.parse(
                List.of("# header", "x.o xdp xdp_adjust accepted", "x.o xdp xdp_fields accepted"),
                List.of("x.o xdp_adjust zero-packet-64 retval 2", "x.o xdp_fields zero-packet-64 retval 2",
                        "c.o calculon_run 1+ result 28 status 0", "c.o calculon_run 1+ retval 0"));
        KernelSurvey other = KernelSurvey.parse(
                List.of("x.o xdp xdp_adjust rejected: program of this type cannot use helper bpf_xdp_adjust_meta#54",
                        "x.o xdp xdp_fields accepted"),
                List.of("x.o xdp_fields zero-packet-64 retval 2", "c.o calculon_run 1+ result 28 status 0", "c.o calculon_run 1+ retval 0"));
        assertThat(KernelSurvey.diff(committed, other)).extracting(Object::toString).containsExactly(
                "verdict of x.o xdp_adjust: committed xdp accepted, live xdp rejected: program of this type cannot use helper bpf_xdp_adjust_meta#54",
                "test run of x.o xdp_adjust zero-packet-64 retval: committed retval 2, live (absent)");
        assertThat(KernelSurvey.diff(committed, committed)).isEmpty();
    }

    @Test
    void theCommittedSurveyParses() {
        KernelSurvey s = KernelSurvey.committed();
        assertThat(s.verdicts()).hasSizeGreaterThan(200);
        assertThat(s.runs()).containsEntry("calculon_switch.v1.el.o calculon_run 1234567++++++ result", "result 28 status 0");
    }

    /**
     * The running kernel surveyed now: every object of the committed survey is surveyed again,
     * and every fact that differs is printed (with whether the refusal is one of the kernel's
     * build), not failed: the tests that need a verdict take it from the kernel themselves.
     */
    @Test
    @Tag("kernel")
    void theCommittedSurveyIsDiffedAgainstTheRunningKernel() {
        KernelSurvey committed = KernelSurvey.committed();
        KernelSurvey live = KernelSurvey.live();
        List<KernelFacts.Change> changes = KernelFacts.report("goldens/kernel-accepts.txt and kernel-runs.txt", KernelSurvey.diff(committed, live));
        for (KernelFacts.Change c : changes) {
            if (c.fact().startsWith("verdict of ") && c.live().contains(" rejected: ")) {
                Refusal r = new Refusal(c.fact().substring("verdict of ".length()), c.live().split(" rejected: ", 2)[1]);
                System.out.println("  " + (r.ofTheKernelBuild() ? "a limit of this kernel build: " : "refused: ") + r);
            }
        }
        assertThat(live.verdicts().keySet()).as("programs surveyed").containsAll(committed.verdicts().keySet());
        long accepted = live.verdicts().values().stream().filter(v -> v.endsWith(" accepted")).count();
        System.out.println("kernel survey of " + KernelFacts.release() + ": " + accepted + " programs accepted, "
                + (live.verdicts().size() - accepted) + " refused, " + live.runs().size() + " test-run facts; "
                + changes.size() + " facts differ from the committed survey");
        assertThat(accepted).isPositive();
        Map<String, String> runs = live.runs();
        assertThat(runs).containsEntry("calculon_switch.v1.el.o calculon_run 1234567++++++ result", "result 28 status 0");
    }
}
