package io.bpf4j.jit.runtime;

import io.bpf4j.maps.BpfMap;
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

    /**
     * The map a map pointer (from {@code ld_imm64} with a map source, or an inner map from a
     * map-in-map lookup) names; faults when it names none.
     */
    BpfMap map(long mapPointer);

    /** The pointer that names {@code map} (what a map-in-map lookup returns). */
    default long mapPointer(BpfMap map) {
        return Pointers.map(map.id());
    }

    /** The CPU the program runs on (per-CPU values). */
    default int cpu() {
        return task().cpu();
    }

    /** The run's packet, or {@code null} when it has none. */
    Packet packet();

    /**
     * State helpers keep for the rest of one run (which ring buffer a reserved record belongs
     * to, say); emptied when a run starts. Keys are compared as their class compares them
     * (arrays by identity).
     */
    java.util.Map<Object, Object> runState();

    /** The context pointer (what r1 held at entry), or 0. */
    long contextPointer();

    /**
     * Calls the program's function that {@code functionPointer} names with r1 to r5, in a new
     * stack frame, and returns its r0 (how {@code bpf_loop} runs its callback).
     */
    long callFunction(long functionPointer, long r1, long r2, long r3, long r4, long r5);
}
