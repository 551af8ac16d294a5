package io.bpf4j.loader;

import io.bpf4j.jit.ExecutionEngine;
import io.bpf4j.jit.compiler.Compiler;
import io.bpf4j.jit.interpreter.Interpreter;

/**
 * The ways a loaded program can run. The loader owns the choice: the {@code jit} module offers
 * engines but does not pick one.
 */
public enum Engine {
    /** The reference interpreter: every access checked, every fault names its instruction. */
    INTERPRETER,
    /**
     * The bytecode compiler ({@code io.bpf4j.jit.compiler}): the same results and faults as the
     * interpreter; a program it cannot compile yet runs on the interpreter (logged with the
     * reason). The default.
     */
    COMPILER;

    ExecutionEngine create() {
        return switch (this) {
            case INTERPRETER -> Interpreter.INSTANCE;
            case COMPILER -> Compiler.INSTANCE;
        };
    }
}
