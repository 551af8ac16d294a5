package io.bpf4j.jit;

/**
 * A program ready to run. Immutable and safe to share between threads; each thread runs with
 * its own {@link ExecutionContext}.
 */
public interface Executable {
    /** The image this was prepared from. */
    ProgramImage image();

    /**
     * Runs the program once from slot 0 with r1 to r5 from {@code context} and returns r0.
     *
     * @throws io.bpf4j.jit.runtime.ExecutionFault when the program does something the runtime
     *         does not allow; it stops at that instruction
     * @throws IllegalArgumentException when {@code context} was made for another program
     */
    long run(ExecutionContext context);

    /** A fresh context for this program (its global data and instruction arrays already mapped). */
    default ExecutionContext newContext() {
        return ExecutionContext.of(image());
    }
}
