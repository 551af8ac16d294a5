package io.bpf4j.loader;

import io.bpf4j.isa.BpfException;

/**
 * A program stopped during {@link BpfProgram#testRun} because it did something the runtime does
 * not allow: what the kernel's verifier would have refused before the run (bpf4j runs programs
 * loaded with verification off, and checks every access at run time). The run has no result;
 * nothing outside the program's memory was touched.
 *
 * <p>The message names the program and the instruction: {@code prog 'xdp_main': insn 17: ...}.
 */
public final class ProgramFaultException extends BpfException {
    private static final long serialVersionUID = 1L;

    /** What kind of rule the program broke. */
    public enum Kind {
        /** A load or store outside the regions the program may touch (stack, context, packet, map values). */
        MEMORY,
        /** More instructions than the run's budget allows (an endless loop the verifier would have refused). */
        BUDGET,
        /** Calls nested deeper than the kernel's limit of 8 frames. */
        CALL_DEPTH,
        /** A jump or call to a place that is not an instruction, or an indirect jump the tables do not allow. */
        CONTROL_FLOW,
        /** A helper (or kfunc) refused its arguments or is not available to the program. */
        HELPER,
        /** An instruction no engine can execute (a reserved opcode). */
        ILLEGAL_INSTRUCTION,
        /** Any other runtime refusal. */
        OTHER
    }

    private final String program;
    private final Kind kind;
    private final int pc;

    ProgramFaultException(String program, Kind kind, int pc, String message, Throwable cause) {
        super(message, cause);
        this.program = program;
        this.kind = kind;
        this.pc = pc;
    }

    /** The program's name. */
    public String program() {
        return program;
    }

    /** What the program did. */
    public Kind kind() {
        return kind;
    }

    /**
     * The slot index of the faulting instruction (the {@code insn N} of bpftool and the verifier
     * log, an {@code ld_imm64} counting two), or -1 when not known.
     */
    public int pc() {
        return pc;
    }
}
