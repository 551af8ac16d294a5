package io.bpf4j.isa;

/**
 * Legacy packet access (RFC 9669 §5.5): LD ABS ({@code r0 = ntoh(*(size *)(skb->data + imm))})
 * and LD IND ({@code ... + src + imm}), sizes B, H and W, for socket filters and TC.
 */
public record PacketLoad(Slot slot) implements Instruction {
    public PacketLoad {
        int mode = slot.code() & Opcodes.MODE_MASK;
        if (slot.instructionClass() != Opcodes.LD || mode != Opcodes.ABS && mode != Opcodes.IND
                || Size.ofBits(slot.code()) == Size.DW) {
            throw new BpfException(String.format("opcode %#04x is not a legacy packet load", slot.code()));
        }
    }

    public static PacketLoad abs(Size size, int imm) {
        return new PacketLoad(Slot.of(Opcodes.LD | Opcodes.ABS | size.bits(), 0, 0, 0, imm));
    }

    public static PacketLoad ind(Size size, Register src, int imm) {
        return new PacketLoad(Slot.of(Opcodes.LD | Opcodes.IND | size.bits(), 0, src.number(), 0, imm));
    }

    public Size size() {
        return Size.ofBits(slot.code());
    }

    /** True for LD IND (the offset adds src_reg), false for LD ABS. */
    public boolean indirect() {
        return (slot.code() & Opcodes.MODE_MASK) == Opcodes.IND;
    }

    @Override
    public PacketLoad withSlot(Slot newSlot) {
        return new PacketLoad(newSlot);
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
