package io.bpf4j.jit;

import io.bpf4j.jit.interpreter.Interpreter;

/**
 * The one seam between programs and the ways of running them: the interpreter (the reference,
 * {@link #interpreter()}) and, later, the bytecode compiler implement it, and behave the same.
 */
@FunctionalInterface
public interface ExecutionEngine {
    /**
     * Prepares {@code image} to run. Problems in the instructions do not fail here: they fault
     * when (and only when) a run reaches them, the way an unverified program would.
     */
    Executable prepare(ProgramImage image);

    /** The reference interpreter. */
    static ExecutionEngine interpreter() {
        return Interpreter.INSTANCE;
    }
}
