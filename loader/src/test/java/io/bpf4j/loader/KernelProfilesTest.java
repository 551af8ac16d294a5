package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.isa.BpfException;
import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.isa.abi.KernelProfile;
import io.bpf4j.isa.abi.ProgramType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The built-in helper table of Linux 6.18 against the running kernel, asked in this run. A helper
 * the kernel lacks is fine when the table marks it as a build choice (config option, lockdown);
 * any other difference, in either direction, is an error in the table.
 */
@Tag("kernel")
class KernelProfilesTest {

    private static KernelProfiles.HelperProbe live;

    @BeforeAll
    static void probe() {
        try {
            live = KernelProfiles.probeHelpers();
        } catch (BpfException e) {
            if (Boolean.getBoolean("bpf4j.requireKernel")) {
                fail("bpf4j.requireKernel is set but the kernel cannot be probed: " + e.getMessage());
            }
            Assumptions.assumeTrue(false, "kernel cannot be probed here: " + e.getMessage());
        }
    }

    @Test
    void builtInTableMatchesTheRunningKernel() {
        KernelProfile builtIn = KernelProfile.linux618();
        Map<Integer, String> build = builtIn.buildOptions();
        List<String> errors = new ArrayList<>();
        List<String> buildChoices = new ArrayList<>();
        for (Map.Entry<ProgramType, Set<Integer>> e : live.allowed().entrySet()) {
            ProgramType t = e.getKey();
            Set<Integer> mine = builtIn.helperIds(t);
            Set<Integer> onlyMine = new TreeSet<>(mine);
            onlyMine.removeAll(e.getValue());
            Set<Integer> onlyLive = new TreeSet<>(e.getValue());
            onlyLive.removeAll(mine);
            for (int id : onlyMine) {
                String why = build.get(id);
                String line = t.displayName() + ": " + HelperId.ofId(id).helperName();
                if (why != null) {
                    buildChoices.add(line + " (" + why + ")");
                } else {
                    errors.add(line + ": in the table, refused by the kernel");
                }
            }
            for (int id : onlyLive) {
                errors.add(t.displayName() + ": " + HelperId.ofId(id).helperName() + ": offered by the kernel, missing from the table");
            }
        }
        System.out.println("[KernelProfilesTest] probed " + live.allowed().size() + " program types; not loadable here: "
                + live.notLoadable());
        System.out.println("[KernelProfilesTest] kernel build choices (helpers this kernel lacks): " + buildChoices.size());
        buildChoices.forEach(l -> System.out.println("  " + l));
        System.out.println("[KernelProfilesTest] differences by name:");
        KernelProfiles.differences(builtIn, live).forEach(l -> System.out.println("  " + l));
        assertThat(live.allowed()).containsKey(ProgramType.XDP).containsKey(ProgramType.SCHED_CLS);
        assertThat(errors).as("differences the table does not explain").isEmpty();
    }

    @Test
    void probedProfileIsTheBuiltInOneNarrowedToTheKernel() {
        KernelProfile probed = KernelProfiles.restrict(KernelProfile.linux618(), live);
        for (Map.Entry<ProgramType, Set<Integer>> e : live.allowed().entrySet()) {
            Set<Integer> expected = new TreeSet<>(KernelProfile.linux618().helperIds(e.getKey()));
            expected.retainAll(e.getValue());
            assertThat(probed.helperIds(e.getKey())).as(e.getKey().displayName()).isEqualTo(expected);
        }
        // types the kernel would not load keep the built-in table
        for (ProgramType t : live.notLoadable().keySet()) {
            assertThat(probed.helperIds(t)).isEqualTo(KernelProfile.linux618().helperIds(t));
        }
        assertThat(probed.helper(1)).isEqualTo(KernelProfile.linux618().helper(1));
    }
}
