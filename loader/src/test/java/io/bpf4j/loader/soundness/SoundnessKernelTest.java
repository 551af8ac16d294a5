package io.bpf4j.loader.soundness;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.KernelVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The generated programs of {@link SoundnessTest} judged by the running kernel in the same run
 * (issue 15): a program bpf4j accepts and the kernel rejects is a soundness gap (goal 0, each
 * listed with the kernel's reason); one the kernel accepts and bpf4j rejects is a precision gap
 * (counted and listed). Where both reject, the error lines are compared too.
 */
@Tag("kernel")
class SoundnessKernelTest {
    private static final int XDP = 6;

    @Test
    void bpf4jAcceptsNoProgramTheKernelRejects() {
        KernelVerifier kernel = KernelVerifier.require();
        int programs = Integer.getInteger("bpf4j.soundness.programs", 600);
        Random choices = new Random(SoundnessTest.SEED);
        KernelVerifier.MapDef values = KernelVerifier.MapDef.of(ProgramGenerator.MAP_TYPE_ARRAY, ProgramGenerator.KEY_SIZE,
                ProgramGenerator.VALUE_SIZE, ProgramGenerator.MAX_ENTRIES);
        int bothAccept = 0;
        int bothReject = 0;
        int sameLine = 0;
        List<String> onlyBpf4j = new ArrayList<>();
        List<String> onlyKernel = new ArrayList<>();
        List<String> otherLine = new ArrayList<>();
        for (int i = 0; i < programs; i++) {
            ProgramGenerator.Program p = ProgramGenerator.generate(choices::nextInt);
            String ours = SoundnessCheck.rejection(p);
            KernelVerifier.Verdict theirs = kernel.verify(KernelVerifier.Program.of(XDP, p.kernelInstructions())
                    .withMaps(p.mapLoads().isEmpty() ? List.of() : List.of(values)));
            if (ours == null && theirs.accepted()) {
                bothAccept++;
            } else if (ours == null) {
                onlyBpf4j.add("program " + i + ": kernel: " + theirs.summary() + "\n" + SoundnessCheck.listing(p));
            } else if (theirs.accepted()) {
                onlyKernel.add("program " + i + ": bpf4j: " + ours);
            } else {
                bothReject++;
                if (ours.equals(theirs.errorLine())) {
                    sameLine++;
                } else {
                    otherLine.add("program " + i + ": bpf4j '" + ours + "', kernel '" + theirs.errorLine() + "'");
                }
            }
        }
        System.out.printf("soundness vs kernel: %d programs; both accept %d, both reject %d (same error line %d); "
                + "only bpf4j accepts %d; only the kernel accepts %d%n", programs, bothAccept, bothReject, sameLine,
                onlyBpf4j.size(), onlyKernel.size());
        onlyKernel.forEach(s -> System.out.println("  precision gap: " + s));
        otherLine.forEach(s -> System.out.println("  other error line: " + s));
        assertThat(onlyBpf4j).as("programs bpf4j accepts and the kernel rejects").isEmpty();
    }
}
