package io.bpf4j.isa;

/**
 * {@code callx rX} (JMP CALL X, opcode 0x8d): an indirect call through a register. The kernel's
 * form puts the register in dst_reg; LLVM 18 and older put it in imm. Both read as the same
 * instruction; {@link #normalized()} gives the dst_reg form.
 */
public record CallX(Slot slot) implements Instruction {
    public CallX {
        if (slot.code() != Opcodes.CODE_CALLX) {
            throw new BpfException(String.format("opcode %#04x is not callx", slot.code()));
        }
    }

    public static CallX of(Register target) {
        return new CallX(Slot.of(Opcodes.CODE_CALLX, target.number(), 0, 0, 0));
    }

    /** The register number called through, whichever encoding was used. */
    public int targetRegister() {
        return slot.dst() == 0 && slot.imm() != 0 ? slot.imm() : slot.dst();
    }

    /** True when the register is in imm (the older LLVM encoding). */
    public boolean legacyEncoding() {
        return slot.dst() == 0 && slot.imm() != 0;
    }

    /** The same call in the kernel's encoding: register in dst_reg, imm 0. */
    public CallX normalized() {
        return legacyEncoding() ? new CallX(Slot.of(Opcodes.CODE_CALLX, targetRegister() & 0xf, slot.src(), slot.off(), 0)) : this;
    }

    @Override
    public CallX withSlot(Slot newSlot) {
        return new CallX(newSlot);
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
