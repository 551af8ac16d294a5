package io.bpf4j.isa;

/** Load/store access sizes (RFC 9669 §5.1). */
public enum Size {
    B(Opcodes.B, 1, "u8"), H(Opcodes.H, 2, "u16"), W(Opcodes.W, 4, "u32"), DW(Opcodes.DW, 8, "u64");

    private final int bits;
    private final int bytes;
    private final String cType;

    Size(int bits, int bytes, String cType) {
        this.bits = bits;
        this.bytes = bytes;
        this.cType = cType;
    }

    public int bits() {
        return bits;
    }

    public int bytes() {
        return bytes;
    }

    /** The unsigned C type name llvm-objdump and bpftool print ({@code u32}). */
    public String cType() {
        return cType;
    }

    public static Size ofBits(int code) {
        return switch (code & Opcodes.SIZE_MASK) {
            case Opcodes.W -> W;
            case Opcodes.H -> H;
            case Opcodes.B -> B;
            default -> DW;
        };
    }
}
