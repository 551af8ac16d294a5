package io.bpf4j.jit.runtime;

/**
 * Control went somewhere it cannot: a jump outside the program or into the middle of an
 * {@code ld_imm64}, running off the end, {@code callx} or {@code gotox} through a value that is
 * not a function or instruction pointer of this program.
 */
public final class ControlFlowFault extends ExecutionFault {
    private static final long serialVersionUID = 1L;

    public ControlFlowFault(int pc, String reason) {
        super(pc, reason);
    }
}
