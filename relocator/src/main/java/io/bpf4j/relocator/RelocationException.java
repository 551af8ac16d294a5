package io.bpf4j.relocator;

import io.bpf4j.isa.BpfException;

/**
 * A relocation libbpf would refuse. The message is libbpf's; the fields say where: the
 * program, the relocation's number (in the program's sorted relocation list, or in its REL
 * section while collecting, as libbpf numbers it), the instruction (slot) index and the symbol.
 */
public class RelocationException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String program;
    private final int relocation;
    private final int instruction;
    private final String symbol;

    public RelocationException(String message, String program, int relocation, int instruction, String symbol) {
        super(message);
        this.program = program;
        this.relocation = relocation;
        this.instruction = instruction;
        this.symbol = symbol;
    }

    /** The program being relocated, or null when the problem is found before programs are known. */
    public String program() {
        return program;
    }

    /** The relocation's number, or -1. */
    public int relocation() {
        return relocation;
    }

    /** The instruction slot index in the program (or section), or -1. */
    public int instruction() {
        return instruction;
    }

    /** The symbol the relocation refers to, or null. */
    public String symbol() {
        return symbol;
    }
}
