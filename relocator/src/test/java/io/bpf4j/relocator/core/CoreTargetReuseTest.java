package io.bpf4j.relocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The expected use: kernel BTF parsed and indexed once, then many objects relocated against
 * it, each with its own session. Uses this host's /sys/kernel/btf/vmlinux when readable (the
 * committed copy otherwise); speed is measured in module bench, not here.
 */
class CoreTargetReuseTest {
    private static Btf hostOrCommittedVmlinux() throws IOException {
        Path sys = Path.of("/sys/kernel/btf/vmlinux");
        return Files.isReadable(sys) ? Btf.parse(Files.readAllBytes(sys)) : CoreFixtures.target("vmlinux");
    }

    private static List<String> outcome(ElfObject obj, CoreTarget target) {
        CoreFixtures.ObjectResult r = CoreFixtures.relocateObject(obj, target);
        assertThat(r.failure()).isNull();
        List<String> out = new ArrayList<>();
        r.programs().forEach((name, p) -> {
            out.add(name + " " + CoreFixtures.hexSlots(p.instructions()));
            p.results().forEach(res -> out.add(res.explain(name)));
        });
        return out;
    }

    @Test
    void oneIndexedTargetServesManySessionsIdentically() throws IOException {
        CoreTarget target = CoreTarget.of(hostOrCommittedVmlinux());
        ElfObject obj = CoreFixtures.object("core_kernel.el.o");

        List<String> first = outcome(obj, target);
        for (int i = 0; i < 20; i++) {
            assertThat(outcome(obj, target)).isEqualTo(first);
        }
        assertThat(first).anyMatch(line -> line.contains("=> [") && line.contains("struct task_struct"));
    }

    @Test
    void candidatesComeFromTheIndexInLibbpfOrder() throws IOException {
        Btf vmlinux = hostOrCommittedVmlinux();
        CoreTarget target = CoreTarget.of(vmlinux);
        Btf local = CoreFixtures.object("core_kernel.el.o").btf().orElseThrow();

        for (int id = 1; id < local.typeCount(); id++) {
            var t = local.type(id);
            if (t.name().isEmpty()) continue;
            List<Integer> scan = new ArrayList<>();
            // libbpf's linear scan, as the reference
            for (int k = 1; k < vmlinux.typeCount(); k++) {
                var c = vmlinux.type(k);
                if (!c.name().isEmpty() && CoreTarget.kindsCompatible(c, t) && CoreNames.sameEssential(c.name(), t.name())) scan.add(k);
            }
            List<Integer> indexed = new ArrayList<>();
            target.candidates(t).forEach(c -> indexed.add(c.typeId()));
            assertThat(indexed).as("candidates of %s", t).isEqualTo(scan);
        }
    }
}
