package io.bpf4j.maps;

/**
 * An opaque handle to a loaded program, as a {@code BPF_MAP_TYPE_PROG_ARRAY} slot holds it.
 * The jit module's program type implements it; maps only store and return it.
 */
public interface ProgramRef {
    /** The program's id: what a user-space lookup of a prog array slot returns. */
    int id();

    /** The program's name, for messages. */
    String name();
}
