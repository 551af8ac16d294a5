package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.KernelVerifier;
import io.bpf4j.testdata.TestData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Spin-lock programs verified as {@code load()} verifies them: the lock is found in the map
 * value's BTF ({@link MapShapes}), so bpf_spin_lock/unlock on it are judged like the running
 * kernel judges them (which loads the same objects through libbpf in this run).
 */
@Tag("kernel")
class SpinLockParityTest {
    @Test
    void helpersCheckAgreesWithTheKernel() {
        KernelVerifier k = KernelVerifier.require();
        List<Path> objects = TestData.objectsStartingWith("helpers.").stream().filter(o -> !TestData.isBigEndian(o)).toList();
        assertThat(objects).as("helpers objects (one per cpu version)").hasSizeGreaterThanOrEqualTo(3);
        for (Path o : objects) {
            List<VerifierParity.Program> progs = VerifierParity.compare(k, o, 1, KernelProfiles.probe());
            VerifierParity.Program p = progs.stream().filter(x -> x.name().equals("helpers_check")).findFirst().orElseThrow();
            assertThat(p.outcome()).as("%s: kernel %s, bpf4j %s", o.getFileName(), p.kernel(), p.bpf4j())
                    .isEqualTo(VerifierParity.Outcome.AGREE);
            assertThat(p.kernel()).as(o.getFileName().toString()).isEqualTo("accepted");
        }
    }
}
