package io.bpf4j.isa;

/**
 * {@code dst = *(size *)(src + off)} (RFC 9669 §5.1): class LDX, mode MEM (zero-extending) or
 * MEMSX (sign-extending, cpu v4, sizes B/H/W).
 */
public record Load(Slot slot) implements Instruction {
    public Load {
        int mode = slot.code() & Opcodes.MODE_MASK;
        if (slot.instructionClass() != Opcodes.LDX || mode != Opcodes.MEM && mode != Opcodes.MEMSX) {
            throw new BpfException(String.format("opcode %#04x is not a register load", slot.code()));
        }
    }

    public static Load of(Size size, Register dst, Register src, int off) {
        return new Load(Slot.of(Opcodes.LDX | Opcodes.MEM | size.bits(), dst.number(), src.number(), off, 0));
    }

    public static Load signExtending(Size size, Register dst, Register src, int off) {
        return new Load(Slot.of(Opcodes.LDX | Opcodes.MEMSX | size.bits(), dst.number(), src.number(), off, 0));
    }

    public Size size() {
        return Size.ofBits(slot.code());
    }

    public boolean signExtending() {
        return (slot.code() & Opcodes.MODE_MASK) == Opcodes.MEMSX;
    }

    @Override
    public Load withSlot(Slot newSlot) {
        return new Load(newSlot);
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
