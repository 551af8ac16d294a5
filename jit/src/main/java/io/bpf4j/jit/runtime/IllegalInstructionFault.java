package io.bpf4j.jit.runtime;

/** An instruction the engine cannot execute: an unknown opcode, reserved fields, an unsupported form. */
public final class IllegalInstructionFault extends ExecutionFault {
    private static final long serialVersionUID = 1L;

    private final int code;

    public IllegalInstructionFault(int pc, int code, String reason) {
        super(pc, reason);
        this.code = code;
    }

    /** The opcode byte of the instruction. */
    public int code() {
        return code;
    }
}
