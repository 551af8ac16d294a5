package io.bpf4j.isa;

/**
 * Atomic operations (RFC 9669 §5.3): class STX, mode ATOMIC, the operation in imm. Includes
 * {@code xchg}, {@code cmpxchg} (compare value in r0) and the load-acquire/store-release forms
 * of Linux 6.15 (which also allow sizes B and H).
 */
public record Atomic(Slot slot) implements Instruction {
    /** The atomic operation selected by imm (the fetch flag is separate). */
    public enum Op { ADD, OR, AND, XOR, XCHG, CMPXCHG, LOAD_ACQUIRE, STORE_RELEASE }

    public Atomic {
        if (slot.instructionClass() != Opcodes.STX || (slot.code() & Opcodes.MODE_MASK) != Opcodes.ATOMIC
                || opOf(slot) == null) {
            throw new BpfException(String.format("opcode %#04x imm %#x is not an atomic operation", slot.code(), slot.imm()));
        }
    }

    public static Atomic of(Op op, boolean fetch, Size size, Register dst, int off, Register src) {
        int imm = switch (op) {
            case ADD -> Opcodes.ADD;
            case OR -> Opcodes.OR;
            case AND -> Opcodes.AND;
            case XOR -> Opcodes.XOR;
            case XCHG -> Opcodes.ATOMIC_XCHG;
            case CMPXCHG -> Opcodes.ATOMIC_CMPXCHG;
            case LOAD_ACQUIRE -> Opcodes.ATOMIC_LOAD_ACQ;
            case STORE_RELEASE -> Opcodes.ATOMIC_STORE_REL;
        };
        if (fetch && op.ordinal() <= Op.XOR.ordinal()) {
            imm |= Opcodes.ATOMIC_FETCH;
        }
        return new Atomic(Slot.of(Opcodes.STX | Opcodes.ATOMIC | size.bits(), dst.number(), src.number(), off, imm));
    }

    static Op opOf(Slot slot) {
        Size size = Size.ofBits(slot.code());
        int imm = slot.imm();
        if (imm == Opcodes.ATOMIC_LOAD_ACQ) {
            return Op.LOAD_ACQUIRE;
        }
        if (imm == Opcodes.ATOMIC_STORE_REL) {
            return Op.STORE_RELEASE;
        }
        if (size != Size.W && size != Size.DW) {
            return null;
        }
        return switch (imm) {
            case Opcodes.ADD, Opcodes.ADD | Opcodes.ATOMIC_FETCH -> Op.ADD;
            case Opcodes.OR, Opcodes.OR | Opcodes.ATOMIC_FETCH -> Op.OR;
            case Opcodes.AND, Opcodes.AND | Opcodes.ATOMIC_FETCH -> Op.AND;
            case Opcodes.XOR, Opcodes.XOR | Opcodes.ATOMIC_FETCH -> Op.XOR;
            case Opcodes.ATOMIC_XCHG -> Op.XCHG;
            case Opcodes.ATOMIC_CMPXCHG -> Op.CMPXCHG;
            default -> null;
        };
    }

    public Op op() {
        return opOf(slot);
    }

    /** True when the old value is returned: the fetch flag, and always for xchg and cmpxchg. */
    public boolean fetch() {
        Op op = op();
        return op == Op.XCHG || op == Op.CMPXCHG
                || op.ordinal() <= Op.XOR.ordinal() && (slot.imm() & Opcodes.ATOMIC_FETCH) != 0;
    }

    public Size size() {
        return Size.ofBits(slot.code());
    }

    @Override
    public Atomic withSlot(Slot newSlot) {
        return new Atomic(newSlot);
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
