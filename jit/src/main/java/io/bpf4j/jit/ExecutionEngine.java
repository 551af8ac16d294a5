package io.bpf4j.jit;

/**
 * The one seam between programs and the ways of running them: the interpreter (the reference,
 * {@code io.bpf4j.jit.interpreter.Interpreter}) and the bytecode compiler
 * ({@code io.bpf4j.jit.compiler.Compiler}, checked against it) implement it, and behave the same. Which engine runs a program is the loader's choice; this package knows
 * none of them.
 */
@FunctionalInterface
public interface ExecutionEngine {
    /**
     * Prepares {@code image} to run. Problems in the instructions do not fail here: they fault
     * when (and only when) a run reaches them, the way an unverified program would.
     */
    Executable prepare(ProgramImage image);
}
