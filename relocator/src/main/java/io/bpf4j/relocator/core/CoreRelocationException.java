package io.bpf4j.relocator.core;

import io.bpf4j.isa.BpfException;

/**
 * A CO-RE relocation that libbpf would refuse (not one it poisons): a malformed access
 * string, an ambiguous match, an instruction that does not hold the expected value, an
 * instruction form that cannot be patched. The message is libbpf's warning for it.
 */
public final class CoreRelocationException extends BpfException {
    private final String program;
    private final int reloIndex;
    private final int insnIndex;
    private final String errno;

    CoreRelocationException(String message, String errno) {
        this(message, null, -1, -1, errno);
    }

    CoreRelocationException(String message, String program, int reloIndex, int insnIndex, String errno) {
        super(message);
        this.program = program;
        this.reloIndex = reloIndex;
        this.insnIndex = insnIndex;
        this.errno = errno;
    }

    /** {@return the program name, or null when the failure is not about one program} */
    public String program() { return program; }

    /** {@return the relocation number ({@code relo #N}), or -1} */
    public int reloIndex() { return reloIndex; }

    /** {@return the instruction slot in the program, or -1 when not known} */
    public int insnIndex() { return insnIndex; }

    /** {@return the errno name libbpf returns, e.g. "EINVAL"} */
    public String errno() { return errno; }
}
