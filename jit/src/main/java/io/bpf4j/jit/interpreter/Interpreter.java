package io.bpf4j.jit.interpreter;

import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionEngine;
import io.bpf4j.jit.ProgramImage;

/** The reference engine: a switch-dispatch interpreter over the pre-decoded program. */
public final class Interpreter implements ExecutionEngine {
    /** The one instance (the interpreter keeps no state of its own). */
    public static final Interpreter INSTANCE = new Interpreter();

    private Interpreter() {}

    @Override
    public Executable prepare(ProgramImage image) {
        return new InterpretedProgram(image, new DecodedProgram(image));
    }
}
