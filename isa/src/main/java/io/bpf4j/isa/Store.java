package io.bpf4j.isa;

/**
 * {@code *(size *)(dst + off) = src} (class STX, mode MEM) or {@code = imm} (class ST, mode MEM)
 * (RFC 9669 §5.1).
 */
public record Store(Slot slot) implements Instruction {
    public Store {
        int cls = slot.instructionClass();
        if (cls != Opcodes.ST && cls != Opcodes.STX || (slot.code() & Opcodes.MODE_MASK) != Opcodes.MEM) {
            throw new BpfException(String.format("opcode %#04x is not a store", slot.code()));
        }
    }

    public static Store reg(Size size, Register dst, int off, Register src) {
        return new Store(Slot.of(Opcodes.STX | Opcodes.MEM | size.bits(), dst.number(), src.number(), off, 0));
    }

    public static Store imm(Size size, Register dst, int off, int imm) {
        return new Store(Slot.of(Opcodes.ST | Opcodes.MEM | size.bits(), dst.number(), 0, off, imm));
    }

    public Size size() {
        return Size.ofBits(slot.code());
    }

    /** True for STX (the value is src_reg), false for ST (the value is imm). */
    public boolean usesRegister() {
        return slot.instructionClass() == Opcodes.STX;
    }

    @Override
    public Store withSlot(Slot newSlot) {
        return new Store(newSlot);
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
