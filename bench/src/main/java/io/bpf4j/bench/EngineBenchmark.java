package io.bpf4j.bench;

import io.bpf4j.loader.Engine;
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
 * One run of a testdata program on each engine, same workload and input as
 * {@link InterpreterBenchmark}: the compiler/interpreter ratio per program comes from one JMH run.
 * Setup prints the engine's return value and which executable ran (a program the compiler cannot
 * compile yet runs on the interpreter, and the ratio then says so).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineBenchmark {
    @Param({"LOOPS_CHECK", "LOOPS_XDP", "PACKET_XDP_UDP", "MAPS_HASH_CHECK", "MAPS_COUNT_XDP", "SUBPROGS_STATIC",
            "SUBPROGS_XDP", "CALCULON_SELFTEST", "CALCULON_RODATA"})
    public Workload workload;

    @Param({"INTERPRETER", "COMPILER"})
    public Engine engine;

    private Workload.Prepared prepared;

    @Setup
    public void prepare() {
        prepared = workload.prepare(engine);
        long r0 = prepared.run();
        System.err.println("bench: " + workload + " on " + engine + " (" + prepared.executable().getClass().getSimpleName()
                + ") retval " + r0 + ", " + prepared.context().instructionsExecuted() + " instructions per run");
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
