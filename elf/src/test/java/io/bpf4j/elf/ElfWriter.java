package io.bpf4j.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes small ELF64 relocatable objects section by section, for tests that need exact bytes. */
final class ElfWriter {
    record Section(String name, long type, long flags, byte[] data, long link, long info, long entsize) {}

    private final ByteOrder order;
    private final List<Section> sections = new ArrayList<>();
    int machine = 247;
    int elfClass = 2;
    int type = 1;

    ElfWriter(ByteOrder order) {
        this.order = order;
    }

    int add(String name, long type, long flags, byte[] data, long link, long info, long entsize) {
        sections.add(new Section(name, type, flags, data, link, info, entsize));
        return sections.size(); // index, counting the null section
    }

    ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(order);
    }

    byte[] symbol(int name, int info, int other, int shndx, long value, long size) {
        return buffer(24).putInt(name).put((byte) info).put((byte) other).putShort((short) shndx).putLong(value).putLong(size).array();
    }

    byte[] rel(long offset, long sym, long type) {
        return buffer(16).putLong(offset).putLong(sym << 32 | type).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.write(p, 0, p.length);
        return out.toByteArray();
    }

    static byte[] strings(String... s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        for (String x : s) {
            byte[] b = x.getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            out.write(0);
        }
        return out.toByteArray();
    }

    /** Section data follows the 64-byte header; the section header table comes last, and .shstrtab is appended. */
    byte[] bytes() {
        List<Section> all = new ArrayList<>(sections);
        StringBuilder names = new StringBuilder("\0");
        int[] nameOff = new int[all.size() + 1];
        for (int i = 0; i < all.size(); i++) {
            nameOff[i] = names.length();
            names.append(all.get(i).name()).append('\0');
        }
        nameOff[all.size()] = names.length();
        names.append(".shstrtab\0");
        all.add(new Section(".shstrtab", 3, 0, names.toString().getBytes(StandardCharsets.UTF_8), 0, 0, 0));
        int dataSize = 0;
        for (Section s : all) dataSize += (s.data().length + 7) & ~7;
        int shoff = 64 + dataSize;
        ByteBuffer b = buffer(shoff + 64 * (all.size() + 1));
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1, 0});
        b.position(16);
        b.putShort((short) type).putShort((short) machine).putInt(1).putLong(0).putLong(0).putLong(shoff).putInt(0)
                .putShort((short) 64).putShort((short) 0).putShort((short) 0).putShort((short) 64).putShort((short) (all.size() + 1)).putShort((short) all.size());
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
            b.putInt(nameOff[i]).putInt((int) s.type()).putLong(s.flags()).putLong(0).putLong(offsets[i]).putLong(s.data().length)
                    .putInt((int) s.link()).putInt((int) s.info()).putLong(8).putLong(s.entsize());
        }
        return b.array();
    }
}
