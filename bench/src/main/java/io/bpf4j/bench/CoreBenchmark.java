package io.bpf4j.bench;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfExtSection;
import io.bpf4j.elf.btf.CoreRelo;
import io.bpf4j.relocator.core.CoreRelocation;
import io.bpf4j.relocator.core.CoreRelocator;
import io.bpf4j.relocator.core.CoreTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CO-RE against this machine's kernel BTF (/sys/kernel/btf/vmlinux, parsed and indexed once):
 * every CO-RE relocation of every testdata core_reads object, a fresh relocation session per
 * object as libbpf has per bpf_object. The score is relocations per second (the
 * {@code relocations} counter); {@link #parseAndIndexVmlinux} is the one-time cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CoreBenchmark {
    /** One code section's instructions with its CO-RE records. */
    record Work(Btf local, String section, io.bpf4j.isa.Instructions insns, List<CoreRelo> relos) {}

    private byte[] vmlinuxBytes;
    private CoreTarget target;
    private final List<List<Work>> objects = new ArrayList<>();
    private int relocationsPerPass;

    /** Counts relocations done, so JMH reports relocations/s beside passes/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts {
        public long relocations;

        @Setup(Level.Iteration)
        public void reset() {
            relocations = 0;
        }
    }

    @Setup
    public void setUp() throws IOException {
        vmlinuxBytes = Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux"));
        target = CoreTarget.of(Btf.parse(vmlinuxBytes));
        target.candidates(new io.bpf4j.elf.btf.BtfType.Void()); // builds the name index now, not in the first pass
        for (Path p : Corpus.objects()) {
            String name = p.getFileName().toString();
            if (!name.startsWith("core_reads") || !name.contains(".el.")) {
                continue;
            }
            ElfObject elf = ElfObject.read(Files.readAllBytes(p));
            List<Work> work = new ArrayList<>();
            for (BtfExtSection<CoreRelo> s : elf.btfExt().orElseThrow().coreRelos()) {
                ElfSection section = elf.section(s.sectionName()).orElseThrow();
                work.add(new Work(elf.btf().orElseThrow(), s.sectionName(), elf.instructions(section), s.records()));
                relocationsPerPass += s.records().size();
            }
            objects.add(work);
        }
        System.err.println("CO-RE: " + objects.size() + " objects, " + relocationsPerPass + " relocations per pass");
    }

    @Benchmark
    public int relocateCorpus(Counts counts) {
        int patched = 0;
        for (List<Work> object : objects) {
            CoreRelocator session = new CoreRelocator(object.get(0).local(), target);
            for (Work w : object) {
                CoreRelocation r = session.relocate(w.section(), w.insns(), w.relos());
                patched += r.results().size();
            }
        }
        counts.relocations += patched;
        return patched;
    }

    @Benchmark
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 2)
    public CoreTarget parseAndIndexVmlinux() {
        CoreTarget t = CoreTarget.of(Btf.parse(vmlinuxBytes));
        t.candidates(new io.bpf4j.elf.btf.BtfType.Void());
        return t;
    }
}
