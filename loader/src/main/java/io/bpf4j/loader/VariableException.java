package io.bpf4j.loader;

import io.bpf4j.isa.BpfException;

/**
 * A global variable could not be read or written as asked: no variable of that name, a value
 * of another size than the variable's, or a write to {@code .rodata} after load (the kernel
 * freezes it, as libbpf does).
 */
public final class VariableException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String variable;

    VariableException(String variable, String message) {
        super(message);
        this.variable = variable;
    }

    /** The variable's name. */
    public String variable() {
        return variable;
    }
}
