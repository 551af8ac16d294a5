package io.bpf4j.isa;

/** Arithmetic operations (RFC 9669 §4.1), keyed by the operation nibble of the opcode. */
public enum AluOp {
    ADD(Opcodes.ADD, "+="), SUB(Opcodes.SUB, "-="), MUL(Opcodes.MUL, "*="), DIV(Opcodes.DIV, "/="),
    OR(Opcodes.OR, "|="), AND(Opcodes.AND, "&="), LSH(Opcodes.LSH, "<<="), RSH(Opcodes.RSH, ">>="),
    NEG(Opcodes.NEG, "= -"), MOD(Opcodes.MOD, "%="), XOR(Opcodes.XOR, "^="), MOV(Opcodes.MOV, "="),
    ARSH(Opcodes.ARSH, "s>>=");

    private final int bits;
    private final String symbol;

    AluOp(int bits, String symbol) {
        this.bits = bits;
        this.symbol = symbol;
    }

    /** The operation nibble (already shifted: 0x00..0xc0). */
    public int bits() {
        return bits;
    }

    /** The operator as both llvm-objdump and bpftool print it ({@code +=}, {@code s>>=}, ...). */
    public String symbol() {
        return symbol;
    }

    /** The operation for the opcode's nibble, or {@code null} (END and 0xe0/0xf0 are not plain arithmetic). */
    public static AluOp ofBits(int code) {
        int op = code & Opcodes.OP_MASK;
        for (AluOp a : values()) {
            if (a.bits == op) {
                return a;
            }
        }
        return null;
    }
}
