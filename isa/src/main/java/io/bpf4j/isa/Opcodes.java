package io.bpf4j.isa;

/**
 * Raw field values of the BPF instruction encoding (RFC 9669 §3 and §4, plus the newer forms
 * the Linux kernel and LLVM use). Everything else in {@code isa} is built on these numbers.
 */
public final class Opcodes {
    private Opcodes() {}

    // Instruction classes (RFC 9669 §3.3), the low three bits of the opcode.
    public static final int CLASS_MASK = 0x07;
    public static final int LD = 0x00;
    public static final int LDX = 0x01;
    public static final int ST = 0x02;
    public static final int STX = 0x03;
    public static final int ALU = 0x04;
    public static final int JMP = 0x05;
    public static final int JMP32 = 0x06;
    public static final int ALU64 = 0x07;

    // Source bit for arithmetic and jumps (RFC 9669 §4.1).
    public static final int SOURCE_MASK = 0x08;
    public static final int K = 0x00;
    public static final int X = 0x08;

    // The operation nibble of arithmetic and jump instructions.
    public static final int OP_MASK = 0xf0;

    // Arithmetic operations (RFC 9669 §4.1).
    public static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50,
            LSH = 0x60, RSH = 0x70, NEG = 0x80, MOD = 0x90, XOR = 0xa0, MOV = 0xb0, ARSH = 0xc0,
            END = 0xd0;

    // Jump operations (RFC 9669 §4.3); JCOND carries may_goto (Linux 6.9).
    public static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40, JNE = 0x50,
            JSGT = 0x60, JSGE = 0x70, CALL = 0x80, EXIT = 0x90, JLT = 0xa0, JLE = 0xb0, JSLT = 0xc0,
            JSLE = 0xd0, JCOND = 0xe0;

    // Load/store size and mode (RFC 9669 §5).
    public static final int SIZE_MASK = 0x18;
    public static final int W = 0x00, H = 0x08, B = 0x10, DW = 0x18;
    public static final int MODE_MASK = 0xe0;
    public static final int IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, MEMSX = 0x80, ATOMIC = 0xc0;

    // Atomic operations, in the imm field (RFC 9669 §5.3; load-acquire/store-release: Linux 6.15).
    public static final int ATOMIC_FETCH = 0x01;
    public static final int ATOMIC_XCHG = 0xe0 | ATOMIC_FETCH;
    public static final int ATOMIC_CMPXCHG = 0xf0 | ATOMIC_FETCH;
    public static final int ATOMIC_LOAD_ACQ = 0x100;
    public static final int ATOMIC_STORE_REL = 0x110;

    // ld_imm64 source pseudo values (include/uapi/linux/bpf.h).
    public static final int PSEUDO_MAP_FD = 1;
    public static final int PSEUDO_MAP_VALUE = 2;
    public static final int PSEUDO_BTF_ID = 3;
    public static final int PSEUDO_FUNC = 4;
    public static final int PSEUDO_MAP_IDX = 5;
    public static final int PSEUDO_MAP_IDX_VALUE = 6;

    // call source pseudo values.
    public static final int PSEUDO_CALL = 1;
    public static final int PSEUDO_KFUNC_CALL = 2;

    /** Frequently used whole opcodes. */
    public static final int CODE_LD_IMM64 = LD | DW | IMM; // 0x18
    public static final int CODE_CALL = JMP | CALL | K; // 0x85
    public static final int CODE_CALLX = JMP | CALL | X; // 0x8d
    public static final int CODE_EXIT = JMP | EXIT | K; // 0x95
    public static final int CODE_JA = JMP | JA | K; // 0x05
    public static final int CODE_GOTOL = JMP32 | JA | K; // 0x06
    public static final int CODE_GOTOX = JMP | JA | X; // 0x0d
    public static final int CODE_MAY_GOTO = JMP | JCOND | K; // 0xe5

    /** The size in bytes of a load/store size field value. */
    public static int sizeBytes(int sizeField) {
        return switch (sizeField & SIZE_MASK) {
            case W -> 4;
            case H -> 2;
            case B -> 1;
            default -> 8;
        };
    }
}
