package io.bpf4j.elf.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Writes BTF bytes type by type, for tests that need exact control over the encoding. */
final class BtfWriter {
    private final ByteOrder order;
    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private final long stringBase;
    private int nextId;

    BtfWriter(ByteOrder order) {
        this(order, 1, 0);
        strings.write(0);
        stringOffsets.put("", 0);
    }

    /** A writer for split BTF whose ids start at {@code firstId} and strings at {@code stringBase}. */
    BtfWriter(ByteOrder order, int firstId, long stringBase) {
        this.order = order;
        this.nextId = firstId;
        this.stringBase = stringBase;
    }

    int str(String s) {
        if (s.isEmpty() && stringBase == 0) return 0;
        return stringOffsets.computeIfAbsent(s, k -> {
            int off = (int) (stringBase + strings.size());
            byte[] b = k.getBytes(StandardCharsets.UTF_8);
            strings.write(b, 0, b.length);
            strings.write(0);
            return off;
        });
    }

    BtfWriter u32(long v) {
        ByteBuffer b = ByteBuffer.allocate(4).order(order).putInt((int) v);
        types.write(b.array(), 0, 4);
        return this;
    }

    /** Writes a type header and returns its id. */
    int type(String name, int kind, int vlen, boolean kflag, long sizeOrType) {
        u32(name == null ? 0 : str(name));
        u32((kflag ? 1L << 31 : 0) | (long) kind << 24 | vlen);
        u32(sizeOrType);
        return nextId++;
    }

    int rawType(long nameOff, long info, long sizeOrType) {
        u32(nameOff).u32(info).u32(sizeOrType);
        return nextId++;
    }

    int intType(String name, int size, int encoding, int offset, int bits) {
        int id = type(name, 1, 0, false, size);
        u32((long) encoding << 24 | offset << 16 | bits);
        return id;
    }

    /** The whole BTF: a 24-byte header, the types, then the strings. */
    byte[] bytes() {
        return bytes(1, 0, 24);
    }

    byte[] bytes(int version, int flags, int hdrLen) {
        byte[] t = types.toByteArray();
        byte[] s = strings.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(hdrLen + t.length + s.length).order(order);
        b.putShort((short) 0xeb9f).put((byte) version).put((byte) flags).putInt(hdrLen);
        b.putInt(0).putInt(t.length).putInt(t.length).putInt(s.length);
        b.position(hdrLen);
        b.put(t).put(s);
        return b.array();
    }
}
