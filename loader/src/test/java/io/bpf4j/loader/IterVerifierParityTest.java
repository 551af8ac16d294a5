package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.KernelProfile;
import io.bpf4j.testdata.KernelVerifier;
import io.bpf4j.testdata.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * bpf4j's verifier on open-coded iterator programs (the kfuncs {@code bpf_iter_num_*}), judged
 * by the running kernel in the same run: verdict, error line and the {@code processed} line of
 * every program of the iterator objects, at log level 1.
 */
@Tag("kernel")
class IterVerifierParityTest {

    @Test
    void iteratorProgramsAsTheKernelJudgesThem() {
        KernelVerifier k = KernelVerifier.require();
        KernelProfile profile = KernelProfiles.probe();
        int programs = 0;
        int sameVerdict = 0;
        int sameProcessed = 0;
        List<String> report = new ArrayList<>();
        for (Path object : TestData.objectsStartingWith("iters")) {
            if (TestData.isBigEndian(object)) {
                continue;
            }
            KernelVerifier.ObjectVerdicts kv = k.verifyObject(object, 1);
            assertThat(kv.openError()).as("libbpf opens %s", object.getFileName()).isNull();
            try (BpfObject obj = BpfObject.open(object)) {
                for (KernelVerifier.ObjectProgram kp : kv.programs()) {
                    KernelVerifier.Verdict kernel = kp.verdict();
                    ProgramVerification ours = obj.program(kp.name()).orElseThrow()
                            .verify(LoadOptions.builder().logLevel(1).kernelProfile(profile).build());
                    programs++;
                    String where = object.getFileName() + " " + kp.name();
                    String ourLine = ours.accepted() ? null : KernelVerifier.errorLine(ours.log());
                    boolean verdict = ours.accepted() == kernel.accepted()
                            && (kernel.accepted() || kernel.errorLine().equals(ourLine));
                    String kp1 = processed(kernel.log());
                    String op1 = processed(ours.log());
                    sameVerdict += verdict ? 1 : 0;
                    sameProcessed += kp1.equals(op1) ? 1 : 0;
                    report.add(where + ": kernel " + kernel.summary() + " [" + kp1 + "], bpf4j "
                            + (ours.accepted() ? "accepted" : "rejected: " + ourLine) + " [" + op1 + "]");
                    assertThat(verdict).as("%s: kernel %s, bpf4j %s%n%s", where, kernel.summary(), ourLine, ours.log()).isTrue();
                }
            }
        }
        report.forEach(System.out::println);
        System.out.printf("iterator verifier parity: %d programs, %d same verdict and error line, %d same processed line%n",
                programs, sameVerdict, sameProcessed);
        assertThat(programs).isPositive();
        assertThat(sameProcessed).as("programs with the kernel's processed line").isEqualTo(programs);
    }

    private static String processed(String log) {
        int at = log == null ? -1 : log.lastIndexOf("processed ");
        if (at < 0) {
            return "-";
        }
        int end = log.indexOf('\n', at);
        return log.substring(at, end < 0 ? log.length() : end);
    }
}
