package io.bpf4j.verifier.internal.scalar;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;

/** What the BPF machine computes (RFC 9669), as the reference for soundness tests. */
final class Concrete {
    private Concrete() {
    }

    static long alu(AluOp op, boolean alu64, long x, long y, int off) {
        if (!alu64) {
            return Integer.toUnsignedLong(alu32(op, (int) x, (int) y, off));
        }
        boolean signed = off == 1;
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> y == 0 ? 0 : signed ? (x == Long.MIN_VALUE && y == -1 ? x : x / y) : Long.divideUnsigned(x, y);
            case MOD -> y == 0 ? x : signed ? (y == -1 ? 0 : x % y) : Long.remainderUnsigned(x, y);
            case OR -> x | y;
            case AND -> x & y;
            case XOR -> x ^ y;
            case LSH -> x << (y & 63);
            case RSH -> x >>> (y & 63);
            case ARSH -> x >> (y & 63);
            case NEG -> -x;
            case MOV -> y;
        };
    }

    private static int alu32(AluOp op, int x, int y, int off) {
        boolean signed = off == 1;
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> y == 0 ? 0 : signed ? (x == Integer.MIN_VALUE && y == -1 ? x : x / y)
                    : Integer.divideUnsigned(x, y);
            case MOD -> y == 0 ? x : signed ? (y == -1 ? 0 : x % y) : Integer.remainderUnsigned(x, y);
            case OR -> x | y;
            case AND -> x & y;
            case XOR -> x ^ y;
            case LSH -> x << (y & 31);
            case RSH -> x >>> (y & 31);
            case ARSH -> x >> (y & 31);
            case NEG -> -x;
            case MOV -> y;
        };
    }

    static boolean jump(JumpOp op, boolean jmp32, long x, long y) {
        if (jmp32) {
            x = (int) x;
            y = (int) y;
        }
        long ux = jmp32 ? x & 0xffff_ffffL : x;
        long uy = jmp32 ? y & 0xffff_ffffL : y;
        return switch (op) {
            case JEQ -> ux == uy;
            case JNE -> ux != uy;
            case JGT -> Long.compareUnsigned(ux, uy) > 0;
            case JGE -> Long.compareUnsigned(ux, uy) >= 0;
            case JLT -> Long.compareUnsigned(ux, uy) < 0;
            case JLE -> Long.compareUnsigned(ux, uy) <= 0;
            case JSGT -> x > y;
            case JSGE -> x >= y;
            case JSLT -> x < y;
            case JSLE -> x <= y;
            case JSET -> (ux & uy) != 0;
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    static long signExtend(long x, int bytes) {
        int shift = 64 - 8 * bytes;
        return (x << shift) >> shift;
    }

    static long zeroExtend(long x, int bytes) {
        return bytes >= 8 ? x : x & ((1L << (8 * bytes)) - 1);
    }

    static long bswap(long x, int bits) {
        return switch (bits) {
            case 16 -> Short.toUnsignedLong(Short.reverseBytes((short) x));
            case 32 -> Integer.toUnsignedLong(Integer.reverseBytes((int) x));
            default -> Long.reverseBytes(x);
        };
    }
}
