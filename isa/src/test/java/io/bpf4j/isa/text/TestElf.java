package io.bpf4j.isa.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough ELF64 reading for the disassembly tests (isa cannot depend on the elf module):
 * section headers, the symbol table and REL sections of the committed objects.
 */
final class TestElf {
    record Section(int index, String name, int type, long flags, long offset, long size, int link, int info, long entsize) {}

    record Symbol(String name, long value, long size, int type, int bind, int shndx) {}

    record Rel(long offset, int type, int symbol) {}

    final byte[] bytes;
    final ByteOrder order;
    final List<Section> sections = new ArrayList<>();
    final List<Symbol> symbols = new ArrayList<>();

    private TestElf(byte[] bytes) {
        this.bytes = bytes;
        this.order = bytes[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer b = buf();
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff;
        int shnum = b.getShort(0x3c) & 0xffff;
        int shstrndx = b.getShort(0x3e) & 0xffff;
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            int p = (int) (shoff + (long) i * shentsize);
            raw[i] = new long[] {b.getInt(p) & 0xffffffffL, b.getInt(p + 4), b.getLong(p + 8), b.getLong(p + 0x18),
                    b.getLong(p + 0x20), b.getInt(p + 0x28), b.getInt(p + 0x2c), b.getLong(p + 0x38)};
        }
        long strOff = raw[shstrndx][3];
        for (int i = 0; i < shnum; i++) {
            long[] r = raw[i];
            sections.add(new Section(i, cString((int) (strOff + r[0])), (int) r[1], r[2], r[3], r[4], (int) r[5], (int) r[6], r[7]));
        }
        for (Section s : sections) {
            if (s.type() == 2) { // SHT_SYMTAB
                long str = sections.get(s.link()).offset();
                for (long p = s.offset(); p < s.offset() + s.size(); p += 24) {
                    int ip = (int) p;
                    int info = bytes[ip + 4] & 0xff;
                    symbols.add(new Symbol(cString((int) (str + (b.getInt(ip) & 0xffffffffL))), b.getLong(ip + 8), b.getLong(ip + 16),
                            info & 0xf, info >> 4, b.getShort(ip + 6) & 0xffff));
                }
            }
        }
    }

    static TestElf read(byte[] bytes) {
        return new TestElf(bytes);
    }

    static TestElf resource(String name) {
        return read(TestResources.bytes(name));
    }

    private ByteBuffer buf() {
        return ByteBuffer.wrap(bytes).order(order);
    }

    String cString(int at) {
        int end = at;
        while (bytes[end] != 0) {
            end++;
        }
        return new String(bytes, at, end - at, StandardCharsets.UTF_8);
    }

    Section section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    byte[] contents(Section s) {
        byte[] out = new byte[(int) s.size()];
        System.arraycopy(bytes, (int) s.offset(), out, 0, out.length);
        return out;
    }

    List<Rel> rels(Section relSection) {
        ByteBuffer b = buf();
        List<Rel> out = new ArrayList<>();
        for (long p = relSection.offset(); p < relSection.offset() + relSection.size(); p += 16) {
            long info = b.getLong((int) p + 8);
            out.add(new Rel(b.getLong((int) p), (int) (info & 0xffffffffL), (int) (info >>> 32)));
        }
        return out;
    }

    static final class TestResources {
        private TestResources() {}

        static byte[] bytes(String name) {
            // normalised: a named module's resource lookup does not resolve "..", the class path's does
            try (InputStream in = TestElf.class.getResourceAsStream(java.net.URI.create(name).normalize().toString())) {
                if (in == null) {
                    throw new IllegalArgumentException("no test resource " + name);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static String text(String name) {
            return new String(bytes(name), StandardCharsets.UTF_8);
        }
    }
}
