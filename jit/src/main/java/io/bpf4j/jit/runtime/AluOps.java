package io.bpf4j.jit.runtime;

/**
 * The arithmetic of RFC 9669 §4, written once: the interpreter calls these methods and the
 * bytecode compiler emits calls to the same ones, so every edge case lives here.
 *
 * <p>Conventions: 64-bit operations take and return the full register. 32-bit operations
 * ({@code ...32}) use the low 32 bits of their operands and return the result zero-extended to
 * 64 bits, as every ALU (class 0x04) instruction writes its destination. Immediates are passed
 * already sign-extended to 64 bits for 64-bit operations.
 */
public final class AluOps {
    private AluOps() {}

    private static final long LOW32 = 0xffff_ffffL;

    /** Zero-extends the low 32 bits. */
    public static long zext32(long v) {
        return v & LOW32;
    }

    // ---- division: dst / 0 = 0, dst % 0 = dst (RFC 9669 §4.1) ---------------------------------

    public static long div64(long dst, long src) {
        return src == 0 ? 0 : Long.divideUnsigned(dst, src);
    }

    public static long div32(long dst, long src) {
        long d = dst & LOW32;
        long s = src & LOW32;
        return s == 0 ? 0 : d / s;
    }

    public static long mod64(long dst, long src) {
        return src == 0 ? dst : Long.remainderUnsigned(dst, src);
    }

    public static long mod32(long dst, long src) {
        long d = dst & LOW32;
        long s = src & LOW32;
        return s == 0 ? d : d % s;
    }

    /** Signed division (cpu v4); {@code LONG_MIN / -1} wraps to {@code LONG_MIN} as the kernel's JITs do. */
    public static long sdiv64(long dst, long src) {
        if (src == 0) {
            return 0;
        }
        return src == -1 ? -dst : dst / src;
    }

    public static long sdiv32(long dst, long src) {
        int d = (int) dst;
        int s = (int) src;
        if (s == 0) {
            return 0;
        }
        return (s == -1 ? -d : d / s) & LOW32;
    }

    /** Signed remainder (cpu v4); the sign follows the dividend, {@code x % -1 = 0}. */
    public static long smod64(long dst, long src) {
        if (src == 0) {
            return dst;
        }
        return src == -1 ? 0 : dst % src;
    }

    public static long smod32(long dst, long src) {
        int d = (int) dst;
        int s = (int) src;
        if (s == 0) {
            return d & LOW32;
        }
        return (s == -1 ? 0 : d % s) & LOW32;
    }

    // ---- shifts: the count is masked to the operand width (RFC 9669 §4.1) --------------------

    public static long lsh64(long dst, long src) {
        return dst << (src & 63);
    }

    public static long rsh64(long dst, long src) {
        return dst >>> (src & 63);
    }

    public static long arsh64(long dst, long src) {
        return dst >> (src & 63);
    }

    public static long lsh32(long dst, long src) {
        return ((int) dst << (src & 31)) & LOW32;
    }

    public static long rsh32(long dst, long src) {
        return ((int) dst >>> (src & 31)) & LOW32;
    }

    public static long arsh32(long dst, long src) {
        return ((int) dst >> (src & 31)) & LOW32;
    }

    // ---- sign extension (movsx, ldxs) --------------------------------------------------------

    /** {@code movsx} (cpu v4): the low {@code bits} (8, 16 or 32) of {@code src} sign-extended to 64 bits. */
    public static long signExtend(long src, int bits) {
        return switch (bits) {
            case 8 -> (byte) src;
            case 16 -> (short) src;
            default -> (int) src;
        };
    }

    /** The 32-bit {@code movsx} (8 or 16 bits): sign-extended to 32 bits, then zero-extended. */
    public static long signExtend32(long src, int bits) {
        return signExtend(src, bits) & LOW32;
    }

    /** A sign-extending load's result: the loaded {@code size}-byte value sign-extended. */
    public static long signExtendLoaded(long value, int size) {
        return signExtend(value, size * 8);
    }

    // ---- byte order (RFC 9669 §4.2) -----------------------------------------------------------

    /** {@code le16/32/64}: on this little-endian machine a truncation to the width, zero-extended. */
    public static long toLittleEndian(long dst, int width) {
        return switch (width) {
            case 16 -> dst & 0xffffL;
            case 32 -> dst & LOW32;
            default -> dst;
        };
    }

    /** {@code be16/32/64} and the unconditional {@code bswap16/32/64}: swaps the low {@code width} bits, zero-extended. */
    public static long byteSwap(long dst, int width) {
        return switch (width) {
            case 16 -> Short.reverseBytes((short) dst) & 0xffffL;
            case 32 -> Integer.reverseBytes((int) dst) & LOW32;
            default -> Long.reverseBytes(dst);
        };
    }

    // ---- the rest of 32-bit arithmetic: low halves, result zero-extended -------------------

    public static long add32(long dst, long src) {
        return (dst + src) & LOW32;
    }

    public static long sub32(long dst, long src) {
        return (dst - src) & LOW32;
    }

    public static long mul32(long dst, long src) {
        return (dst * src) & LOW32;
    }

    public static long or32(long dst, long src) {
        return (dst | src) & LOW32;
    }

    public static long and32(long dst, long src) {
        return dst & src & LOW32;
    }

    public static long xor32(long dst, long src) {
        return (dst ^ src) & LOW32;
    }

    public static long neg32(long dst) {
        return -dst & LOW32;
    }

    /** {@code mov32}: also what {@code w = imm} writes (the immediate's low half, zero-extended). */
    public static long mov32(long src) {
        return src & LOW32;
    }

    // ---- jumps (RFC 9669 §4.3) ----------------------------------------------------------------
    // One method per condition so that an engine dispatching on the opcode byte calls the one it
    // needs (and the JVM inlines it); compare64/compare32 dispatch on the operation nibble.

    public static boolean jeq(long a, long b) {
        return a == b;
    }

    public static boolean jne(long a, long b) {
        return a != b;
    }

    /** {@code jset}: any bit in common. */
    public static boolean jset(long a, long b) {
        return (a & b) != 0;
    }

    public static boolean jgt(long a, long b) {
        return Long.compareUnsigned(a, b) > 0;
    }

    public static boolean jge(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0;
    }

    public static boolean jlt(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    public static boolean jle(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0;
    }

    public static boolean jsgt(long a, long b) {
        return a > b;
    }

    public static boolean jsge(long a, long b) {
        return a >= b;
    }

    public static boolean jslt(long a, long b) {
        return a < b;
    }

    public static boolean jsle(long a, long b) {
        return a <= b;
    }

    public static boolean jeq32(long a, long b) {
        return (int) a == (int) b;
    }

    public static boolean jne32(long a, long b) {
        return (int) a != (int) b;
    }

    public static boolean jset32(long a, long b) {
        return ((int) a & (int) b) != 0;
    }

    public static boolean jgt32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) > 0;
    }

    public static boolean jge32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) >= 0;
    }

    public static boolean jlt32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) < 0;
    }

    public static boolean jle32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) <= 0;
    }

    public static boolean jsgt32(long a, long b) {
        return (int) a > (int) b;
    }

    public static boolean jsge32(long a, long b) {
        return (int) a >= (int) b;
    }

    public static boolean jslt32(long a, long b) {
        return (int) a < (int) b;
    }

    public static boolean jsle32(long a, long b) {
        return (int) a <= (int) b;
    }

    /**
     * The condition of a jump with operation nibble {@code op} (JEQ .. JSLE, {@code Opcodes} values)
     * over 64-bit operands.
     */
    public static boolean compare64(int op, long a, long b) {
        return switch (op) {
            case 0x10 -> jeq(a, b);
            case 0x20 -> jgt(a, b);
            case 0x30 -> jge(a, b);
            case 0x40 -> jset(a, b);
            case 0x50 -> jne(a, b);
            case 0x60 -> jsgt(a, b);
            case 0x70 -> jsge(a, b);
            case 0xa0 -> jlt(a, b);
            case 0xb0 -> jle(a, b);
            case 0xc0 -> jslt(a, b);
            case 0xd0 -> jsle(a, b);
            default -> throw new IllegalArgumentException("not a conditional jump: " + op);
        };
    }

    /** The same over the low 32 bits (class JMP32). */
    public static boolean compare32(int op, long a, long b) {
        return switch (op) {
            case 0x10 -> jeq32(a, b);
            case 0x20 -> jgt32(a, b);
            case 0x30 -> jge32(a, b);
            case 0x40 -> jset32(a, b);
            case 0x50 -> jne32(a, b);
            case 0x60 -> jsgt32(a, b);
            case 0x70 -> jsge32(a, b);
            case 0xa0 -> jlt32(a, b);
            case 0xb0 -> jle32(a, b);
            case 0xc0 -> jslt32(a, b);
            case 0xd0 -> jsle32(a, b);
            default -> throw new IllegalArgumentException("not a conditional jump: " + op);
        };
    }

    // ---- legacy packet loads (RFC 9669 §5.5) --------------------------------------------------

    /** {@code ntohs}/{@code ntohl} of a loaded 1, 2 or 4-byte value: the network-order result. */
    public static long networkOrder(long loadedLittleEndian, int size) {
        return switch (size) {
            case 1 -> loadedLittleEndian & 0xff;
            case 2 -> byteSwap(loadedLittleEndian, 16);
            default -> byteSwap(loadedLittleEndian, 32);
        };
    }
}
