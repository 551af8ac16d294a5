package io.bpf4j.isa.asm;

import io.bpf4j.isa.BpfException;

/** A line of conformance-suite assembly that does not assemble; {@link #line()} is 1-based. */
public final class AssemblerException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final int line;

    public AssemblerException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
