package io.bpf4j.testdata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A simulated kernel build for tests of the live-capture code: a copy of a raw BTF blob (such as
 * {@code /sys/kernel/btf/vmlinux}) with every type id moved up by {@code shift}, as another
 * build of the same kernel numbers its types differently. {@code shift} anonymous
 * {@code void *} types are put in front and every reference to a type other than void is
 * renumbered, so names, layouts and the string section stay as they were.
 */
public final class ShiftedBtf {
    private static final int BTF_MAGIC = 0xeb9f;

    private ShiftedBtf() {}

    /** {@code btf} (little-endian raw BTF) with type ids {@code 1..n} become {@code 1+shift..n+shift}. */
    public static byte[] shift(byte[] btf, int shift) {
        ByteBuffer in = ByteBuffer.wrap(btf).order(ByteOrder.LITTLE_ENDIAN);
        if ((in.getShort(0) & 0xffff) != BTF_MAGIC) {
            throw new IllegalArgumentException("not little-endian raw BTF");
        }
        int hdrLen = in.getInt(4);
        int typeOff = in.getInt(8);
        int typeLen = in.getInt(12);
        int strOff = in.getInt(16);
        int strLen = in.getInt(20);
        ByteBuffer types = ByteBuffer.allocate(typeLen + 12 * shift).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < shift; i++) {
            types.putInt(0).putInt(2 << 24).putInt(0); // PTR to void
        }
        int p = hdrLen + typeOff;
        int end = p + typeLen;
        while (p < end) {
            int nameOff = in.getInt(p);
            int info = in.getInt(p + 4);
            int sizeOrType = in.getInt(p + 8);
            int kind = info >>> 24 & 0x1f;
            int vlen = info & 0xffff;
            boolean refersByType = switch (kind) {
                case 2, 8, 9, 10, 11, 12, 13, 14, 17, 18 -> true; // PTR, TYPEDEF, qualifiers, FUNC, FUNC_PROTO, VAR, tags
                default -> false;
            };
            types.putInt(nameOff).putInt(info).putInt(refersByType ? ref(sizeOrType, shift) : sizeOrType);
            p += 12;
            switch (kind) {
                case 1, 14, 17 -> { // INT encoding, VAR linkage, DECL_TAG component index
                    types.putInt(in.getInt(p));
                    p += 4;
                }
                case 3 -> { // ARRAY: type, index_type, nelems
                    types.putInt(ref(in.getInt(p), shift)).putInt(ref(in.getInt(p + 4), shift)).putInt(in.getInt(p + 8));
                    p += 12;
                }
                case 4, 5 -> { // STRUCT, UNION members: name_off, type, offset
                    for (int m = 0; m < vlen; m++, p += 12) {
                        types.putInt(in.getInt(p)).putInt(ref(in.getInt(p + 4), shift)).putInt(in.getInt(p + 8));
                    }
                }
                case 6 -> { // ENUM: name_off, val
                    for (int m = 0; m < vlen; m++, p += 8) {
                        types.putInt(in.getInt(p)).putInt(in.getInt(p + 4));
                    }
                }
                case 13 -> { // FUNC_PROTO params: name_off, type
                    for (int m = 0; m < vlen; m++, p += 8) {
                        types.putInt(in.getInt(p)).putInt(ref(in.getInt(p + 4), shift));
                    }
                }
                case 15 -> { // DATASEC: type, offset, size
                    for (int m = 0; m < vlen; m++, p += 12) {
                        types.putInt(ref(in.getInt(p), shift)).putInt(in.getInt(p + 4)).putInt(in.getInt(p + 8));
                    }
                }
                case 19 -> { // ENUM64: name_off, val_lo32, val_hi32
                    for (int m = 0; m < vlen; m++, p += 12) {
                        types.putInt(in.getInt(p)).putInt(in.getInt(p + 4)).putInt(in.getInt(p + 8));
                    }
                }
                default -> {
                    if (kind > 19 || kind == 0) {
                        throw new IllegalArgumentException("BTF kind " + kind + " at type section offset " + (p - 12 - hdrLen - typeOff));
                    }
                }
            }
        }
        byte[] t = types.array();
        ByteBuffer out = ByteBuffer.allocate(24 + t.length + strLen).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) BTF_MAGIC).put(in.get(2)).put(in.get(3)).putInt(24).putInt(0).putInt(t.length).putInt(t.length).putInt(strLen);
        out.put(t);
        out.put(btf, hdrLen + strOff, strLen);
        return out.array();
    }

    private static int ref(int typeId, int shift) {
        return typeId == 0 ? 0 : typeId + shift;
    }
}
