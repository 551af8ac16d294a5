package io.bpf4j.isa;

/**
 * A slot that encodes no instruction this model knows (llvm-objdump prints {@code <unknown>}),
 * or an {@code ld_imm64} whose second slot is missing. Decoding never throws: bad encodings
 * become this, and the verifier or engine decides what to do with it.
 */
public record Unknown(Slot slot, String reason) implements Instruction {
    @Override
    public Unknown withSlot(Slot newSlot) {
        return new Unknown(newSlot, reason);
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
