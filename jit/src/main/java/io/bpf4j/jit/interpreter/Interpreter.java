package io.bpf4j.jit.interpreter;

import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionEngine;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.internal.DecodedProgram;
import io.bpf4j.maps.MapFactory;

/** The reference engine: a switch-dispatch interpreter over the pre-decoded program. */
public final class Interpreter implements ExecutionEngine {
    /** The one instance (the interpreter keeps no state of its own). */
    public static final Interpreter INSTANCE = new Interpreter();

    private Interpreter() {}

    @Override
    public Executable prepare(ProgramImage image) {
        InterpretedProgram p = new InterpretedProgram(image, new DecodedProgram(image));
        MapFactory.registerProgram(p);
        return p;
    }

    /**
     * The interpreter's form of a program another engine prepared from {@code code}, so that an
     * interpreted program can tail-call into it; not registered (the other engine's program is).
     */
    public Executable interpreterForm(ProgramImage image, DecodedProgram code) {
        return new InterpretedProgram(image, code);
    }
}
