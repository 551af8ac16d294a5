package io.bpf4j.testdata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Little-endian ELF64 BPF objects assembled byte by byte, with header fields a compiler never
 * writes (a NOBITS size of 2^64-1, say): the crafted inputs of issue 20. Nothing is committed
 * as a binary; every case is built here.
 */
public final class CraftedElf {
    public static final int PROGBITS = 1;
    public static final int SYMTAB = 2;
    public static final int STRTAB = 3;
    public static final int NOBITS = 8;
    public static final int REL = 9;
    public static final long ALLOC = 2;
    public static final long WRITE = 1;
    public static final long EXEC = 4;

    private record Section(String name, int type, long flags, byte[] data, long size, int link, int info, long entsize) {}

    private final List<Section> sections = new ArrayList<>();

    /** Adds a section whose sh_size is its data's length; returns its index. */
    public int add(String name, int type, long flags, byte[] data, int link, int info, long entsize) {
        return add(name, type, flags, data, data.length, link, info, entsize);
    }

    /** Adds a section with an explicit sh_size (a NOBITS size, or one that lies). */
    public int add(String name, int type, long flags, byte[] data, long size, int link, int info, long entsize) {
        sections.add(new Section(name, type, flags, data, size, link, info, entsize));
        return sections.size();
    }

    public int nobits(String name, long size) {
        return add(name, NOBITS, ALLOC | WRITE, new byte[0], size, 0, 0, 0);
    }

    public static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static byte[] strings(String... s) {
        StringBuilder b = new StringBuilder("\0");
        for (String x : s) {
            b.append(x).append('\0');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] symbol(int name, int info, int shndx, long value, long size) {
        return le(24).putInt(name).put((byte) info).put((byte) 0).putShort((short) shndx).putLong(value).putLong(size).array();
    }

    public static byte[] rel(long offset, long sym, long type) {
        return le(16).putLong(offset).putLong(sym << 32 | type).array();
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    /** Header, section data, then the section header table with .shstrtab last. */
    public byte[] bytes() {
        List<Section> all = new ArrayList<>(sections);
        StringBuilder names = new StringBuilder("\0");
        int[] nameOff = new int[all.size() + 1];
        for (int i = 0; i < all.size(); i++) {
            nameOff[i] = names.length();
            names.append(all.get(i).name()).append('\0');
        }
        nameOff[all.size()] = names.length();
        names.append(".shstrtab\0");
        byte[] shstr = names.toString().getBytes(StandardCharsets.UTF_8);
        all.add(new Section(".shstrtab", STRTAB, 0, shstr, shstr.length, 0, 0, 0));
        int dataSize = 0;
        for (Section s : all) {
            dataSize += (s.data().length + 7) & ~7;
        }
        int shoff = 64 + dataSize;
        ByteBuffer b = le(shoff + 64 * (all.size() + 1));
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 1).putShort((short) 247).putInt(1).putLong(0).putLong(0).putLong(shoff).putInt(0)
                .putShort((short) 64).putShort((short) 0).putShort((short) 0).putShort((short) 64)
                .putShort((short) (all.size() + 1)).putShort((short) all.size());
        int pos = 64;
        long[] offsets = new long[all.size()];
        for (int i = 0; i < all.size(); i++) {
            offsets[i] = pos;
            b.put(pos, all.get(i).data());
            pos += (all.get(i).data().length + 7) & ~7;
        }
        b.position(shoff + 64);
        for (int i = 0; i < all.size(); i++) {
            Section s = all.get(i);
            b.putInt(nameOff[i]).putInt(s.type()).putLong(s.flags()).putLong(0).putLong(offsets[i]).putLong(s.size())
                    .putInt(s.link()).putInt(s.info()).putLong(8).putLong(s.entsize());
        }
        return b.array();
    }
}
