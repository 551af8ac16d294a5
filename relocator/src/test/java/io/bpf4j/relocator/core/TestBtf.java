package io.bpf4j.relocator.core;

import io.bpf4j.elf.btf.Btf;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes small raw BTF blobs for tests that need a shape no compiler gives easily (split BTF
 * of a module, a struct past 32 KiB). Type ids are handed out in order from the first free id.
 */
final class TestBtf {
    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final int firstId;
    private final long stringBase;
    private int nextId;

    private TestBtf(int firstId, long stringBase) {
        this.firstId = firstId;
        this.nextId = firstId;
        this.stringBase = stringBase;
        strings.write(0);
    }

    static TestBtf base() {
        return new TestBtf(1, 0);
    }

    /** Split BTF continuing {@code base}'s ids and strings. */
    static TestBtf splitOn(Btf base, long baseStringLength) {
        return new TestBtf(base.typeCount(), baseStringLength);
    }

    private int str(String s) {
        if (s.isEmpty()) return 0;
        int off = strings.size();
        strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        return (int) (stringBase + off);
    }

    private void u32(long v) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) v);
        types.writeBytes(b.array());
    }

    private int header(String name, int kind, int vlen, boolean kflag, long sizeOrType) {
        u32(str(name));
        u32((kflag ? 1L << 31 : 0) | ((long) kind << 24) | vlen);
        u32(sizeOrType);
        return nextId++;
    }

    int intType(String name, int size, boolean signed) {
        int id = header(name, 1, 0, false, size);
        u32(((signed ? 1L : 0) << 24) | (size * 8L));
        return id;
    }

    int ptr(int target) {
        return header("", 2, 0, false, target);
    }

    /** A struct; members are (name, type id, bit offset) triples. */
    int struct(String name, long size, Object... members) {
        int id = header(name, 4, members.length / 3, false, size);
        for (int i = 0; i < members.length; i += 3) {
            u32(str((String) members[i]));
            u32((Integer) members[i + 1]);
            u32(((Number) members[i + 2]).longValue());
        }
        return id;
    }

    byte[] bytes() {
        byte[] t = types.toByteArray();
        byte[] s = strings.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(24 + t.length + s.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(t.length).putInt(t.length).putInt(s.length);
        b.put(t).put(s);
        return b.array();
    }

    int stringLength() {
        return strings.size();
    }

    int firstId() {
        return firstId;
    }
}
