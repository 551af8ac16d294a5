package io.bpf4j.loader;

/** The lifecycle of a {@link BpfObject}, as libbpf's object state. */
public enum ObjectState {
    /** Specs parsed and adjustable (autoload, map sizes, rodata values); nothing created. */
    OPENED,
    /** Specs frozen, programs relocated, maps created in process with their initial data. */
    LOADED,
    /** Closed: nothing may be used any more. */
    CLOSED
}
