package io.bpf4j.jit.compiler;

/**
 * What each generated class extends: the entry to any of the program's functions, so that the
 * first run and callbacks ({@code bpf_loop}) enter compiled code the same way. A class rather
 * than an interface: with many programs in one JVM the call of {@link #invoke} is megamorphic,
 * and a virtual call through the vtable costs a run less than an interface call.
 */
public abstract class CompiledCode {
    protected CompiledCode() {}

    /** Runs function {@code function} in a fresh frame at {@code depth}; returns r0. */
    public abstract long invoke(CompiledState state, int function, int depth, long r1, long r2, long r3, long r4, long r5);
}
