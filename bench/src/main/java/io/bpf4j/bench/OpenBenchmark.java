package io.bpf4j.bench;

import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.OpenOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Opening objects through the loader's public API, as libbpf's {@code bpf_object__open_file}
 * opens them: the file is read (from the page cache), the ELF, BTF and BTF.ext parsed, programs,
 * maps, externs and relocations classified. {@link #open} is that phase alone (what libbpf 1.1
 * does before load); {@link #openRelocate} also relocates every entry program (subprograms
 * appended, map/data/call/CO-RE relocations applied), which libbpf only does inside load.
 *
 * <p>One operation is the whole list of objects: with the default parameter that is every
 * object under testdata/objects that bpf4j opens (and, for {@code openRelocate}, every program
 * that relocates); objects/s = ops/s x the count printed at setup. A parameter naming one
 * object gives per-object figures for the side-by-side with libbpf.
 *
 * <p>The host is not consulted while measuring: the kernel version is fixed and the host's
 * Kconfig is not read (libbpf 1.1 reads it at load, not at open).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class OpenBenchmark {
    /** An object file name under testdata/objects (or a path); empty means every object. */
    @Param("")
    public String object;

    /**
     * Seconds spent opening and relocating the whole corpus before JMH's own warm-up, so a
     * one-object fork measures code the JIT compiled for every kind of object (as in a process
     * that opens many), not code still being compiled (each parameter value runs in its own fork).
     */
    @Param("0")
    public int prewarmSeconds;

    private final List<Path> objects = new ArrayList<>();
    private final List<List<String>> relocatable = new ArrayList<>();
    private OpenOptions options;

    @Setup
    public void select() {
        options = OpenOptions.builder().readHostKconfig(false).kernelVersion(KERNEL_VERSION).build();
        List<Path> candidates = object.isEmpty() ? Corpus.objects() : List.of(Corpus.resolve(object));
        List<String> refused = new ArrayList<>();
        int programs = 0;
        for (Path p : candidates) {
            List<String> ok = new ArrayList<>();
            try (BpfObject o = BpfObject.open(p, options)) {
                for (BpfProgram prog : o.programs()) {
                    try {
                        prog.instructions();
                        ok.add(prog.name());
                    } catch (RuntimeException e) {
                        refused.add(p.getFileName() + " prog '" + prog.name() + "': " + e.getMessage());
                    }
                }
            } catch (RuntimeException e) {
                refused.add(p.getFileName() + ": " + e.getMessage());
                continue;
            }
            objects.add(p);
            relocatable.add(ok);
            programs += ok.size();
        }
        prewarm();
        System.err.println("bench: " + objects.size() + " objects open, " + programs + " programs relocate; not measured: "
                + (refused.isEmpty() ? "none" : String.join("; ", refused)));
    }

    private void prewarm() {
        if (prewarmSeconds <= 0) {
            return;
        }
        long end = System.nanoTime() + prewarmSeconds * 1_000_000_000L;
        List<Path> all = Corpus.objects();
        while (System.nanoTime() < end) {
            for (Path p : all) {
                try (BpfObject o = BpfObject.open(p, options)) {
                    for (BpfProgram prog : o.programs()) {
                        prog.instructions();
                    }
                } catch (RuntimeException e) {
                    // objects or programs bpf4j refuses still exercise the code up to the refusal
                }
            }
        }
    }

    /** 6.18.0, what {@code KERNEL_VERSION(6, 18, 0)} gives: fixed so no run reads /proc. */
    static final int KERNEL_VERSION = (6 << 16) + (18 << 8);

    /** The open phase of every selected object; the object is closed again. */
    @Benchmark
    public void open(Blackhole bh) {
        for (Path p : objects) {
            try (BpfObject o = BpfObject.open(p, options)) {
                bh.consume(o.programs());
            }
        }
    }

    /** Open, then relocate every program that relocates, then close. */
    @Benchmark
    public void openRelocate(Blackhole bh) {
        for (int i = 0; i < objects.size(); i++) {
            try (BpfObject o = BpfObject.open(objects.get(i), options)) {
                for (String name : relocatable.get(i)) {
                    bh.consume(o.program(name).orElseThrow().instructions());
                }
            }
        }
    }
}
