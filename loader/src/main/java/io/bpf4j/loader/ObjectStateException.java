package io.bpf4j.loader;

import io.bpf4j.isa.BpfException;

/** An operation that the object's current {@link ObjectState} does not allow. */
public class ObjectStateException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final ObjectState state;

    /** An exception with its message and the state the object was in. */
    public ObjectStateException(String message, ObjectState state) {
        super(message);
        this.state = state;
    }

    /** The state the object was in. */
    public ObjectState state() {
        return state;
    }
}
