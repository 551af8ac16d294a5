package io.bpf4j.isa;

/** Jump operations (RFC 9669 §4.3), keyed by the operation nibble; CALL and EXIT are their own kinds. */
public enum JumpOp {
    JA(Opcodes.JA, null), JEQ(Opcodes.JEQ, "=="), JGT(Opcodes.JGT, ">"), JGE(Opcodes.JGE, ">="),
    JSET(Opcodes.JSET, "&"), JNE(Opcodes.JNE, "!="), JSGT(Opcodes.JSGT, "s>"), JSGE(Opcodes.JSGE, "s>="),
    JLT(Opcodes.JLT, "<"), JLE(Opcodes.JLE, "<="), JSLT(Opcodes.JSLT, "s<"), JSLE(Opcodes.JSLE, "s<="),
    /** {@code may_goto} (Linux 6.9): BPF_JMP | BPF_JCOND, src_reg 0. */
    JCOND(Opcodes.JCOND, null);

    private final int bits;
    private final String symbol;

    JumpOp(int bits, String symbol) {
        this.bits = bits;
        this.symbol = symbol;
    }

    public int bits() {
        return bits;
    }

    /** The comparison as printed ({@code ==}, {@code s<}, ...); {@code null} for JA and JCOND. */
    public String symbol() {
        return symbol;
    }

    public boolean isConditional() {
        return symbol != null;
    }

    public static JumpOp ofBits(int code) {
        int op = code & Opcodes.OP_MASK;
        for (JumpOp j : values()) {
            if (j.bits == op) {
                return j;
            }
        }
        return null;
    }
}
