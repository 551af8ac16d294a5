package io.bpf4j.jit.runtime;

/**
 * The encoding of pointer values as the program sees them in its 64-bit registers.
 *
 * <pre>
 *   63      56 55                32 31                              0
 *  +----------+--------------------+---------------------------------+
 *  |   tag    |   id (24 bits)     |  0x8000_0000 + offset (32 bits) |
 *  +----------+--------------------+---------------------------------+
 * </pre>
 *
 * <ul>
 *   <li>The tag says what the pointer names: {@link #TAG_DATA} a memory {@link Region} (id = its
 *   index in the run's region table), {@link #TAG_FUNC} a function of the program (id = its index
 *   in the function table), {@link #TAG_INSN} an instruction (id = its slot index, what
 *   {@code gotox} jumps to), {@link #TAG_MAP} a map (id = its process-wide {@code BpfMap.id()}).</li>
 *   <li>The offset is stored with a bias of 2<sup>31</sup>, so adding or subtracting anything up to
 *   2 GiB never carries into or borrows from the id: {@code r10 - 8} stays in the stack frame's
 *   region and becomes offset 504 of it, and {@code p - 1} on a region start is offset -1 of the
 *   same region, which the bounds check rejects, rather than some other region.</li>
 *   <li>The tags are bytes no small or small negative scalar has in its top byte (0x00, 0xff),
 *   so a scalar used as an address is rejected with a fault instead of aliasing a region.
 *   Only memory pointers are meant for arithmetic; the others must be used exactly as made
 *   (offset 0), as the kernel requires of a function pointer.</li>
 * </ul>
 */
public final class Pointers {
    private Pointers() {}

    public static final int TAG_DATA = 0xb9;
    public static final int TAG_FUNC = 0xbf;
    public static final int TAG_INSN = 0xbe;
    public static final int TAG_MAP = 0xbd;

    /** Largest id a pointer can carry. */
    public static final int MAX_ID = 0xff_ffff;

    static final long BIAS = 0x8000_0000L;

    /** A pointer with {@code tag} and {@code id} at {@code offset} (which may be negative). */
    public static long make(int tag, int id, long offset) {
        return ((long) tag << 56) | ((long) (id & MAX_ID) << 32) | ((BIAS + offset) & 0xffff_ffffL);
    }

    /** A pointer to byte {@code offset} of region {@code id}. */
    public static long data(int id, long offset) {
        return make(TAG_DATA, id, offset);
    }

    /** A pointer to function {@code index} of the program's function table. */
    public static long function(int index) {
        return make(TAG_FUNC, index, 0);
    }

    /** A pointer to the instruction at slot {@code slot} (an instruction array entry). */
    public static long instruction(int slot) {
        return make(TAG_INSN, slot, 0);
    }

    /** A pointer naming the map whose process-wide id ({@code BpfMap.id()}) is {@code id}. */
    public static long map(int id) {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException("map id " + id + " does not fit a pointer's " + Integer.bitCount(MAX_ID) + "-bit id");
        }
        return make(TAG_MAP, id, 0);
    }

    public static int tag(long pointer) {
        return (int) (pointer >>> 56);
    }

    public static int id(long pointer) {
        return (int) (pointer >>> 32) & MAX_ID;
    }

    /** The signed offset from the start of what the pointer names. */
    public static long offset(long pointer) {
        return (pointer & 0xffff_ffffL) - BIAS;
    }

    /** True when {@code value} is an unmodified pointer with this tag. */
    public static boolean isExact(long value, int tag) {
        return tag(value) == tag && offset(value) == 0;
    }

    /** A readable form for messages: {@code region#12+8}, {@code func#2}, or the number in hex. */
    public static String describe(long value) {
        return switch (tag(value)) {
            case TAG_DATA -> "region#" + id(value) + (offset(value) < 0 ? "" : "+") + offset(value);
            case TAG_FUNC -> "func#" + id(value) + offsetSuffix(value);
            case TAG_INSN -> "insn#" + id(value) + offsetSuffix(value);
            case TAG_MAP -> "map#" + id(value) + offsetSuffix(value);
            default -> String.format("%#x", value);
        };
    }

    private static String offsetSuffix(long value) {
        long off = offset(value);
        return off == 0 ? "" : (off < 0 ? "" : "+") + off;
    }
}
