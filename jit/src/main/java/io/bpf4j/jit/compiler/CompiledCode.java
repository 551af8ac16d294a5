package io.bpf4j.jit.compiler;

/**
 * What each generated class implements: the entry to any of the program's functions, so that
 * the first run and callbacks ({@code bpf_loop}) enter compiled code the same way.
 */
public interface CompiledCode {
    /** Runs function {@code function} in a fresh frame at {@code depth}; returns r0. */
    long invoke(CompiledState state, int function, int depth, long r1, long r2, long r3, long r4, long r5);
}
