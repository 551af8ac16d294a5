package io.bpf4j.isa;

/**
 * One 8-byte instruction word exactly as encoded: opcode, destination and source register
 * numbers (0..15, so that invalid numbers survive a round trip), offset and immediate.
 */
public record Slot(int code, int dst, int src, short off, int imm) {
    public static final Slot ZERO = new Slot(0, 0, 0, (short) 0, 0);

    public Slot {
        if ((code & ~0xff) != 0 || (dst & ~0xf) != 0 || (src & ~0xf) != 0) {
            throw new BpfException(String.format("slot fields out of range: code=%#x dst=%d src=%d", code, dst, src));
        }
    }

    public static Slot of(int code, int dst, int src, int off, int imm) {
        return new Slot(code, dst, src, (short) off, imm);
    }

    public int instructionClass() {
        return code & Opcodes.CLASS_MASK;
    }

    public Slot withImm(int newImm) {
        return new Slot(code, dst, src, off, newImm);
    }

    public Slot withOff(int newOff) {
        return new Slot(code, dst, src, (short) newOff, imm);
    }

    public Slot withSrc(int newSrc) {
        return new Slot(code, dst, newSrc, off, imm);
    }

    public Slot withDst(int newDst) {
        return new Slot(code, newDst, src, off, imm);
    }

    public Slot withCode(int newCode) {
        return new Slot(newCode, dst, src, off, imm);
    }
}
