package io.bpf4j.jit;

import io.bpf4j.maps.ProgramRef;

/**
 * A program ready to run. Immutable and safe to share between threads; each thread runs with
 * its own {@link ExecutionContext}.
 *
 * <p>An executable is a {@link ProgramRef}: it can sit in a prog array slot and be the target
 * of {@code bpf_tail_call}. Its {@link #id()} is unique in the process and it is registered with
 * {@link io.bpf4j.maps.MapFactory#registerProgram}, so user-space prog array updates by id find it.
 */
public interface Executable extends ProgramRef {
    /** The image this was prepared from. */
    ProgramImage image();

    /**
     * Which engine runs this: {@code "interpreter"} or {@code "compiled"} (a program the compiler
     * handed to the interpreter says {@code "interpreter"}).
     */
    String engineName();

    /**
     * Runs the program once from slot 0 with r1 to r5 from {@code context} and returns r0.
     *
     * @throws io.bpf4j.jit.runtime.ExecutionFault when the program does something the runtime
     *         does not allow; it stops at that instruction
     */
    long run(ExecutionContext context);

    /**
     * Where the instruction at {@code slot} is in the form this engine runs (the
     * {@code jitted_off} of an instruction array entry naming it): a stable bytecode position in
     * a generated method for compiled code, the slot itself for the interpreter.
     *
     * @throws IllegalArgumentException when no instruction of the program starts at {@code slot}
     */
    default CodePosition position(int slot) {
        if (image().instructions().indexAtSlot(slot) < 0) {
            throw new IllegalArgumentException("prog '" + name() + "': no instruction starts at slot " + slot);
        }
        return CodePosition.interpreted(slot);
    }

    /**
     * A fresh context for this program (its global data and instruction arrays already mapped).
     * Any program may run in any context; a context is not thread safe.
     */
    default ExecutionContext newContext() {
        return ExecutionContext.of(image());
    }
}
