package io.bpf4j.isa;

/**
 * Byte swaps (RFC 9669 §4.2): ALU END with source K converts to little endian ({@code le16/32/64}),
 * with source X to big endian ({@code be16/32/64}); ALU64 END K is the unconditional
 * {@code bswap16/32/64} of cpu v4. The width is the immediate.
 */
public record Endian(Slot slot) implements Instruction {
    /** Which conversion an END instruction performs. */
    public enum Kind { TO_LE, TO_BE, BSWAP }

    public Endian {
        if ((slot.code() & Opcodes.OP_MASK) != Opcodes.END
                || slot.code() != (Opcodes.ALU | Opcodes.END | Opcodes.K)
                        && slot.code() != (Opcodes.ALU | Opcodes.END | Opcodes.X)
                        && slot.code() != (Opcodes.ALU64 | Opcodes.END | Opcodes.K)) {
            throw new BpfException(String.format("opcode %#04x is not a byte swap", slot.code()));
        }
    }

    public static Endian of(Kind kind, Register dst, int width) {
        int code = switch (kind) {
            case TO_LE -> Opcodes.ALU | Opcodes.END | Opcodes.K;
            case TO_BE -> Opcodes.ALU | Opcodes.END | Opcodes.X;
            case BSWAP -> Opcodes.ALU64 | Opcodes.END | Opcodes.K;
        };
        return new Endian(Slot.of(code, dst.number(), 0, 0, width));
    }

    public Kind kind() {
        if (slot.instructionClass() == Opcodes.ALU64) {
            return Kind.BSWAP;
        }
        return (slot.code() & Opcodes.SOURCE_MASK) == Opcodes.X ? Kind.TO_BE : Kind.TO_LE;
    }

    /** The width in bits: 16, 32 or 64 (other values are kept as read). */
    public int width() {
        return slot.imm();
    }

    @Override
    public Endian withSlot(Slot newSlot) {
        return new Endian(newSlot);
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
