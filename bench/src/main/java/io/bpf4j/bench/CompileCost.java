package io.bpf4j.bench;

import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.compiler.Compiler;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.Engine;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.OpenOptions;
import io.bpf4j.loader.internal.LoaderInternals;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What compiling costs, per program of the testdata corpus (little-endian objects): the
 * compiler's own CPU time (generating the class and defining it; HotSpot compiles it later, on
 * its own threads, and that is not counted), as the median of {@code -Dbpf4j.bench.compileRepeat}
 * compilations after as many uncounted ones, per 1,000 instructions; and the bytes a compiled
 * program holds beyond its image: the class file and the decoded program's arrays. Programs the
 * compiler leaves to the interpreter are listed with the reason. Run from the repository root:
 * {@code java -cp bench/target/bpf4j-bench.jar io.bpf4j.bench.CompileCost}.
 */
public final class CompileCost {
    private CompileCost() {}

    /** CPU time, not wall time: on a loaded machine the thread's own time is the comparable figure. */
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int repeat = Integer.getInteger("bpf4j.bench.compileRepeat", 50);
        System.out.println("| object | program | slots | compile µs (median) | µs per 1000 slots | class bytes | decoded bytes | compiled |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---|");
        long totalSlots = 0;
        double totalMicros = 0;
        int compiled = 0, programs = 0;
        for (Path object : Corpus.objects()) {
            if (!object.getFileName().toString().contains(".el.")) {
                continue;
            }
            try (BpfObject obj = BpfObject.open(object, OpenOptions.builder().readHostKconfig(false).build())) {
                obj.load(LoadOptions.builder().verify(false).engine(Engine.INTERPRETER).build());
                for (BpfProgram p : obj.programs()) {
                    ProgramImage image = LoaderInternals.executable(p).image();
                    Compiler.Compilation c = null;
                    long[] ns = new long[repeat];
                    for (int i = 0; i < 2 * repeat; i++) {
                        long t0 = THREADS.getCurrentThreadCpuTime();
                        c = Compiler.INSTANCE.compile(image);
                        if (i >= repeat) {
                            ns[i - repeat] = THREADS.getCurrentThreadCpuTime() - t0;
                        }
                    }
                    Arrays.sort(ns);
                    double micros = ns[repeat / 2] / 1000.0;
                    int slots = image.instructions().slotCount();
                    // DecodedProgram: op, dst, src, off, target (int), imm (long), reason (ref), secondHalf (boolean) per slot + 1
                    long decoded = (long) (slots + 1) * (5 * 4 + 8 + 4 + 1);
                    programs++;
                    if (c.compiled()) {
                        compiled++;
                        totalSlots += slots;
                        totalMicros += micros;
                    }
                    System.out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %d | %d | %s |%n", object.getFileName(), p.name(), slots, micros,
                            micros * 1000 / Math.max(1, slots), c.classFile() == null ? 0 : c.classFile().length, decoded,
                            c.compiled() ? "yes" : "no: " + c.fallbackReason());
                }
            } catch (RuntimeException e) {
                System.out.printf("| %s | | | | | | | not loaded: %s |%n", object.getFileName(), e.getMessage());
            }
        }
        System.out.printf(Locale.ROOT, "%d of %d programs compiled; over those, %.1f µs per 1000 slots%n", compiled, programs,
                totalMicros * 1000 / Math.max(1, totalSlots));
    }
}
