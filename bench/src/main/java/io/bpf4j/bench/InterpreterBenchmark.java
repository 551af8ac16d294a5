package io.bpf4j.bench;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One run of a testdata program in the reference interpreter, on the input of its
 * {@link Workload} (the same input the kernel gets in run-interp-vs-kernel.sh). Setup runs the
 * program once and prints its return value, so the script can compare it with the kernel's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InterpreterBenchmark {
    @Param({"LOOPS_CHECK", "LOOPS_XDP", "PACKET_XDP_UDP", "MAPS_HASH_CHECK", "MAPS_COUNT_XDP", "SUBPROGS_STATIC",
            "SUBPROGS_XDP", "CALCULON_SELFTEST", "CALCULON_RODATA"})
    public Workload workload;

    private Workload.Prepared prepared;

    @Setup
    public void prepare() {
        prepared = workload.prepare();
        long r0 = prepared.run();
        System.err.println("bench: " + workload + " retval " + r0 + ", " + prepared.context().instructionsExecuted()
                + " instructions per run");
    }

    @Benchmark
    public long run() {
        return prepared.run();
    }

    @TearDown
    public void close() {
        prepared.object().close();
    }
}
