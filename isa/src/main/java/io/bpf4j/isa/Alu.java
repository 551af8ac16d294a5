package io.bpf4j.isa;

/**
 * Arithmetic (RFC 9669 §4.1): class ALU (32-bit) or ALU64. Also carries the v4 forms that reuse
 * the offset field: {@code sdiv}/{@code smod} (off 1), {@code movsx} (off 8, 16, 32) and
 * {@code addr_space_cast} (ALU64 MOV X, off 1, imm = dst_as &lt;&lt; 16 | src_as).
 */
public record Alu(Slot slot) implements Instruction {
    public Alu {
        int cls = slot.instructionClass();
        if (cls != Opcodes.ALU && cls != Opcodes.ALU64 || AluOp.ofBits(slot.code()) == null) {
            throw new BpfException(String.format("opcode %#04x is not arithmetic", slot.code()));
        }
    }

    public static Alu reg(AluOp op, boolean wide, Register dst, Register src) {
        return new Alu(Slot.of((wide ? Opcodes.ALU64 : Opcodes.ALU) | op.bits() | Opcodes.X, dst.number(), src.number(), 0, 0));
    }

    public static Alu imm(AluOp op, boolean wide, Register dst, int imm) {
        return new Alu(Slot.of((wide ? Opcodes.ALU64 : Opcodes.ALU) | op.bits() | Opcodes.K, dst.number(), 0, 0, imm));
    }

    public AluOp op() {
        return AluOp.ofBits(slot.code());
    }

    /** True for class ALU64 (64-bit operands); false for ALU (32-bit, result zero-extended). */
    public boolean wide() {
        return slot.instructionClass() == Opcodes.ALU64;
    }

    /** True when the second operand is a register (BPF_X), false for the immediate (BPF_K). */
    public boolean usesRegister() {
        return (slot.code() & Opcodes.SOURCE_MASK) == Opcodes.X;
    }

    /** sdiv/smod: DIV or MOD with offset 1 (cpu v4). */
    public boolean signedDivision() {
        return (op() == AluOp.DIV || op() == AluOp.MOD) && slot.off() == 1;
    }

    /** movsx: MOV with offset 8, 16 or 32, the number of low bits sign-extended (cpu v4); 0 when not. */
    public int signExtendBits() {
        if (op() != AluOp.MOV || addressSpaceCast()) {
            return 0;
        }
        int off = slot.off();
        return off == 8 || off == 16 || off == 32 ? off : 0;
    }

    /** addr_space_cast (arena pointers, Linux 6.9): ALU64 MOV X with offset 1. */
    public boolean addressSpaceCast() {
        return op() == AluOp.MOV && wide() && usesRegister() && slot.off() == 1;
    }

    @Override
    public Alu withSlot(Slot newSlot) {
        return new Alu(newSlot);
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
