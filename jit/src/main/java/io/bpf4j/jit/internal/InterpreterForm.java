package io.bpf4j.jit.internal;

import io.bpf4j.jit.Executable;

/**
 * A program prepared by an engine other than the interpreter that the interpreter can still
 * enter: a prog array may hold programs of both engines (the compiler falls back per program),
 * and a tail call from interpreted code must reach every one of them.
 */
public interface InterpreterForm {
    /** The same program, prepared by the interpreter from the same decoded form. */
    Executable interpreterForm();
}
