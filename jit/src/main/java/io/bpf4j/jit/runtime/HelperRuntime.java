package io.bpf4j.jit.runtime;

import java.util.random.RandomGenerator;

/** What a helper may use while it runs: the run's memory, environment and a way to call back into the program. */
public interface HelperRuntime {
    /** The run's regions, for reading arguments and writing results. */
    Memory memory();

    /** The task the program runs "in" (pid, uid, comm, cpu). */
    TaskContext task();

    /** The clocks behind the ktime and jiffies helpers. */
    BpfClock clock();

    /** The run's random source ({@code bpf_get_prandom_u32}). */
    RandomGenerator random();

    /** Where {@code bpf_trace_printk} output goes. */
    TraceBuffer trace();

    /** The slot index of the call instruction, for faults. */
    int pc();

    /** The map a map pointer (from {@code ld_imm64} with a map source) names; faults when it names none. */
    MapHandle map(long mapPointer);

    /**
     * Calls the program's function that {@code functionPointer} names with r1 to r5, in a new
     * stack frame, and returns its r0 (how {@code bpf_loop} runs its callback).
     */
    long callFunction(long functionPointer, long r1, long r2, long r3, long r4, long r5);
}
