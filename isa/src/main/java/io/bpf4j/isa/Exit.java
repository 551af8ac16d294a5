package io.bpf4j.isa;

/** {@code exit} (JMP EXIT K): return r0 to the caller. */
public record Exit(Slot slot) implements Instruction {
    public static final Exit INSTANCE = new Exit(Slot.of(Opcodes.CODE_EXIT, 0, 0, 0, 0));

    public Exit {
        if (slot.code() != Opcodes.CODE_EXIT) {
            throw new BpfException(String.format("opcode %#04x is not exit", slot.code()));
        }
    }

    @Override
    public Exit withSlot(Slot newSlot) {
        return new Exit(newSlot);
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
