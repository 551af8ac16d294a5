package io.bpf4j.loader.soundness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The verifier's soundness on generated programs, fixed seed (issue 15): every program bpf4j
 * accepts runs on random packets in both engines without a fault and with equal results. The
 * counts are printed for the closing note; {@code -Dbpf4j.soundness.programs=N} runs more.
 */
class SoundnessTest {
    static final long SEED = 0x50_0D_15_BADL;

    @Test
    void everyAcceptedProgramRunsWithoutAFault() {
        int programs = Integer.getInteger("bpf4j.soundness.programs", 600);
        Random choices = new Random(SEED);
        Random inputs = new Random(SEED + 1);
        int accepted = 0;
        int runs = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < programs; i++) {
            ProgramGenerator.Program p = ProgramGenerator.generate(choices::nextInt);
            SoundnessCheck.Outcome o = SoundnessCheck.check(p, inputs, 6);
            if (o.accepted()) {
                accepted++;
                runs += o.runs();
                if (!o.sound()) {
                    findings.add("program " + i + ": " + o.findings() + "\n" + SoundnessCheck.listing(p));
                }
            } else {
                reasons.merge(o.rejection().replaceAll("-?\\d+", "N"), 1, Integer::sum);
            }
        }
        System.out.printf("soundness: %d programs, %d accepted, %d runs, %d findings; rejections by kind: %s%n",
                programs, accepted, runs, findings.size(), reasons);
        assertThat(findings).as("verified programs that faulted or whose engines disagreed").isEmpty();
        // both verdicts occur, or the generator tests nothing
        assertThat(accepted).isBetween(programs / 10, programs - programs / 10);
    }
}
