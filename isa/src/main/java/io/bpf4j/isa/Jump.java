package io.bpf4j.isa;

/**
 * Jumps (RFC 9669 §4.3): conditional jumps of class JMP (64-bit compare) and JMP32 (32-bit),
 * {@code ja} (offset in off), {@code gotol} (JMP32 JA, offset in imm, cpu v4),
 * {@code gotox rX} (JMP JA X, target register in dst_reg, Linux 6.19) and
 * {@code may_goto} (JMP JCOND, Linux 6.9).
 */
public record Jump(Slot slot) implements Instruction {
    public Jump {
        if (!InstructionCodec.isJump(slot.code())) {
            throw new BpfException(String.format("opcode %#04x is not a jump", slot.code()));
        }
    }

    public static Jump ja(int off) {
        return new Jump(Slot.of(Opcodes.CODE_JA, 0, 0, off, 0));
    }

    public static Jump gotol(int imm) {
        return new Jump(Slot.of(Opcodes.CODE_GOTOL, 0, 0, 0, imm));
    }

    public static Jump gotox(Register target) {
        return new Jump(Slot.of(Opcodes.CODE_GOTOX, target.number(), 0, 0, 0));
    }

    public static Jump reg(JumpOp op, boolean jmp32, Register dst, Register src, int off) {
        return new Jump(Slot.of((jmp32 ? Opcodes.JMP32 : Opcodes.JMP) | op.bits() | Opcodes.X, dst.number(), src.number(), off, 0));
    }

    public static Jump imm(JumpOp op, boolean jmp32, Register dst, int imm, int off) {
        return new Jump(Slot.of((jmp32 ? Opcodes.JMP32 : Opcodes.JMP) | op.bits() | Opcodes.K, dst.number(), 0, off, imm));
    }

    public JumpOp op() {
        return JumpOp.ofBits(slot.code());
    }

    public boolean jmp32() {
        return slot.instructionClass() == Opcodes.JMP32;
    }

    public boolean usesRegister() {
        return (slot.code() & Opcodes.SOURCE_MASK) == Opcodes.X;
    }

    public boolean conditional() {
        return op().isConditional();
    }

    public boolean isGotol() {
        return slot.code() == Opcodes.CODE_GOTOL;
    }

    public boolean isGotox() {
        return slot.code() == Opcodes.CODE_GOTOX;
    }

    public boolean isMayGoto() {
        return slot.code() == Opcodes.CODE_MAY_GOTO;
    }

    /**
     * The taken branch's distance in slots from the next instruction: imm for {@code gotol},
     * off otherwise. Meaningless for {@code gotox} (its targets come from an instruction array).
     */
    public int target() {
        return isGotol() ? slot.imm() : slot.off();
    }

    @Override
    public Jump withSlot(Slot newSlot) {
        return new Jump(newSlot);
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
