package io.bpf4j.jit.runtime;

import io.bpf4j.isa.BpfException;

/**
 * A running program stopped because it did something the runtime does not allow. The program
 * ends at that instruction; nothing outside its regions was touched.
 *
 * <p>{@link #pc()} is the slot index of the instruction, the number the kernel's verifier log and
 * bpftool print as {@code insn N} (an {@code ld_imm64} counts two).
 */
public abstract class ExecutionFault extends BpfException {
    private static final long serialVersionUID = 1L;

    private final int pc;

    protected ExecutionFault(int pc, String detail) {
        super("insn " + pc + ": " + detail);
        this.pc = pc;
    }

    /** The slot index of the faulting instruction. */
    public int pc() {
        return pc;
    }
}
