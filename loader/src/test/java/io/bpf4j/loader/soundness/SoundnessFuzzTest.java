package io.bpf4j.loader.soundness;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Random;

/**
 * Coverage-guided form of {@link SoundnessTest}: Jazzer's bytes make the generator's choices
 * and the packets' seed, so it steers toward programs the verifier accepts at its edges. A
 * finding is a verified program that faults or on which the two engines disagree. Without
 * {@code JAZZER_FUZZ=1} it replays its committed inputs in the normal build. A long run (15 minutes,
 * continuing the corpus of the one before): {@code JAZZER_FUZZ=1 JAZZER_INSTRUMENT='io.bpf4j.**'
 * mvn -o -pl loader -am verify -Dtest=SoundnessFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SoundnessFuzzTest {
    @FuzzTest(maxDuration = "15m")
    void verifiedProgramsNeverFault(FuzzedDataProvider data) {
        long packets = data.consumeLong();
        ProgramGenerator.Program p = ProgramGenerator.generate(bound -> data.remainingBytes() > 0 ? data.consumeInt(0, bound - 1) : 0);
        SoundnessCheck.Outcome o = SoundnessCheck.check(p, new Random(packets), 4);
        if (!o.sound()) {
            throw new AssertionError("unsound verdict: " + o.findings() + "\n" + SoundnessCheck.listing(p));
        }
    }
}
