package io.bpf4j.jit.runtime;

/** A helper call that cannot be made: no helper with that id is bound, or its arguments are unusable. */
public final class HelperFault extends ExecutionFault {
    private static final long serialVersionUID = 1L;

    private final int helperId;

    public HelperFault(int pc, int helperId, String reason) {
        super(pc, reason);
        this.helperId = helperId;
    }

    /** The helper id the program called. */
    public int helperId() {
        return helperId;
    }
}
