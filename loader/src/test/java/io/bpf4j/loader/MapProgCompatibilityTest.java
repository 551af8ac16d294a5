package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.KernelVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maps whose values hold a {@code bpf_timer} or a {@code bpf_spin_lock}, used from tracing,
 * socket filter and tc programs ({@code check_map_prog_compatibility}, applied as each map load
 * is resolved): the source is compiled with clang-19 in this run and every program is judged by
 * the running kernel through libbpf and by bpf4j as {@code load()} verifies it.
 */
@Tag("kernel")
class MapProgCompatibilityTest {

    @Test
    void specialFieldsPerProgramType(@TempDir Path dir) throws Exception {
        KernelVerifier k = KernelVerifier.require();
        Path object = compile(dir);
        List<VerifierParity.Program> all = VerifierParity.compare(k, object, 1, KernelProfiles.probe());
        assertThat(all).extracting(VerifierParity.Program::name).contains("timer_kprobe", "lock_socket", "timer_tc");
        for (VerifierParity.Program p : all) {
            assertThat(p.outcome()).as("%s: kernel %s, bpf4j %s", p.name(), p.kernel(), p.bpf4j())
                    .isEqualTo(VerifierParity.Outcome.AGREE);
        }
        // the rule is exercised: the kernel refuses some of these and accepts others
        assertThat(all).anyMatch(p -> p.kernel().startsWith("rejected")).anyMatch(p -> p.kernel().equals("accepted"));
    }

    private static Path compile(Path dir) throws IOException, InterruptedException {
        Path src = dir.resolve("map_prog_compat.bpf.c");
        try (InputStream in = MapProgCompatibilityTest.class.getResourceAsStream("map_prog_compat.bpf.c")) {
            Files.copy(in, src);
        }
        Path obj = dir.resolve("map_prog_compat.o");
        Process p;
        try {
            p = new ProcessBuilder("clang-19", "-O2", "-g", "-target", "bpfel", "-mcpu=v3",
                    "-I/usr/include/x86_64-linux-gnu", "-c", src.toString(), "-o", obj.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.assumeTrue(false, "clang-19 not on the PATH: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return obj;
    }
}
