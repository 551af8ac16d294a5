package io.bpf4j.isa;

/**
 * {@code call imm} (JMP CALL K): a helper by id (src 0), a BPF-to-BPF call whose imm is the
 * callee's distance in slots from the next instruction (src {@link Opcodes#PSEUDO_CALL}), or a
 * kfunc by BTF id (src {@link Opcodes#PSEUDO_KFUNC_CALL}, off naming the module BTF).
 */
public record Call(Slot slot) implements Instruction {
    /** What a call's imm names. */
    public enum Kind { HELPER, LOCAL, KFUNC, UNKNOWN }

    public Call {
        if (slot.code() != Opcodes.CODE_CALL) {
            throw new BpfException(String.format("opcode %#04x is not call", slot.code()));
        }
    }

    public static Call helper(int id) {
        return new Call(Slot.of(Opcodes.CODE_CALL, 0, 0, 0, id));
    }

    public static Call local(int imm) {
        return new Call(Slot.of(Opcodes.CODE_CALL, 0, Opcodes.PSEUDO_CALL, 0, imm));
    }

    public static Call kfunc(int btfId) {
        return new Call(Slot.of(Opcodes.CODE_CALL, 0, Opcodes.PSEUDO_KFUNC_CALL, 0, btfId));
    }

    public Kind kind() {
        return switch (slot.src()) {
            case 0 -> Kind.HELPER;
            case Opcodes.PSEUDO_CALL -> Kind.LOCAL;
            case Opcodes.PSEUDO_KFUNC_CALL -> Kind.KFUNC;
            default -> Kind.UNKNOWN;
        };
    }

    @Override
    public Call withSlot(Slot newSlot) {
        return new Call(newSlot);
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
