package io.bpf4j.elf.btf;

import io.bpf4j.elf.btf.MalformedBtfException.Reason;
import io.bpf4j.elf.internal.DecodedOnUse;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsed {@code .BTF.ext}: func_info, line_info and CO-RE relocation records, grouped by ELF
 * section name. Strings and type ids refer to the object's {@link Btf}; all of them are
 * checked when parsing, and each block's records are built on first use.
 */
public final class BtfExt {
    private static final int FUNC_INFO_MIN = 8;
    private static final int LINE_INFO_MIN = 16;
    private static final int CORE_RELO_MIN = 16;

    private final int headerLength;
    private final List<BtfExtSection<FuncInfo>> funcInfo;
    private final List<BtfExtSection<LineInfo>> lineInfo;
    private final List<BtfExtSection<CoreRelo>> coreRelos;

    private BtfExt(int headerLength, List<BtfExtSection<FuncInfo>> funcInfo, List<BtfExtSection<LineInfo>> lineInfo,
                   List<BtfExtSection<CoreRelo>> coreRelos) {
        this.headerLength = headerLength;
        this.funcInfo = List.copyOf(funcInfo);
        this.lineInfo = List.copyOf(lineInfo);
        this.coreRelos = List.copyOf(coreRelos);
    }

    /** {@return the header length (24 without core_relo, 32 from current clang)} */
    public int headerLength() { return headerLength; }

    /** {@return the func_info blocks, in file order} */
    public List<BtfExtSection<FuncInfo>> funcInfo() { return funcInfo; }

    /** {@return the line_info blocks, in file order} */
    public List<BtfExtSection<LineInfo>> lineInfo() { return lineInfo; }

    /** {@return the core_relo blocks, in file order} */
    public List<BtfExtSection<CoreRelo>> coreRelos() { return coreRelos; }

    /** {@return the func_info records of the first block for this section (libbpf's choice), or none} */
    public List<FuncInfo> funcInfo(String sectionName) { return first(funcInfo, sectionName); }

    /** {@return the line_info records of the first block for this section, or none} */
    public List<LineInfo> lineInfo(String sectionName) { return first(lineInfo, sectionName); }

    /** {@return the core_relo records of the first block for this section, or none} */
    public List<CoreRelo> coreRelos(String sectionName) { return first(coreRelos, sectionName); }

    private static <T> List<T> first(List<BtfExtSection<T>> blocks, String name) {
        for (BtfExtSection<T> b : blocks) {
            if (b.sectionName().equals(name)) return b.records();
        }
        return List.of();
    }

    @Override
    public String toString() {
        return "BtfExt[" + count(funcInfo) + " func_info, " + count(lineInfo) + " line_info, " + count(coreRelos) + " core_relo]";
    }

    private static int count(List<? extends BtfExtSection<?>> blocks) {
        int n = 0;
        for (BtfExtSection<?> b : blocks) n += b.records().size();
        return n;
    }

    /** Parses {@code .BTF.ext} bytes in {@code order}; names and type ids resolve against {@code btf}. */
    public static BtfExt parse(byte[] data, ByteOrder order, Btf btf) {
        return new Reader(data, order, btf).read();
    }

    private static final class Reader {
        private final byte[] data;
        private final ByteOrder order;
        private final Btf btf;
        private int hdrLen;

        Reader(byte[] data, ByteOrder order, Btf btf) {
            this.data = data;
            this.order = order;
            this.btf = btf;
        }

        private static MalformedBtfException error(Reason r, String msg, int typeId, long strOff, long secOff) {
            return new MalformedBtfException(r, "btf.ext: " + msg, typeId, strOff, secOff);
        }

        private long u32(int off) {
            return Btf.u32(data, off, order);
        }

        BtfExt read() {
            if (data.length < 8) {
                throw error(Reason.SECTION_PAST_END, "data of " + data.length + " bytes is shorter than the header", -1, -1, data.length);
            }
            int magic = order == ByteOrder.LITTLE_ENDIAN ? (data[0] & 0xff) | (data[1] & 0xff) << 8 : (data[0] & 0xff) << 8 | (data[1] & 0xff);
            if (magic != BtfParser.MAGIC) {
                throw error(Reason.BAD_MAGIC, String.format("invalid magic %#06x", magic), -1, -1, 0);
            }
            if (data[2] != 1) {
                throw error(Reason.UNSUPPORTED_VERSION, "unsupported version " + (data[2] & 0xff), -1, -1, 2);
            }
            if (data[3] != 0) {
                throw error(Reason.UNSUPPORTED_FLAGS, "unsupported flags " + (data[3] & 0xff), -1, -1, 3);
            }
            long len = u32(4);
            if (len < 24 || len > data.length) {
                throw error(Reason.BAD_HEADER, "header length " + len + " is not within [24, " + data.length + "]", -1, -1, 4);
            }
            if (len == data.length) {
                throw error(Reason.BAD_HEADER, "BTF.ext has no data", -1, -1, 4);
            }
            hdrLen = (int) len;
            List<BtfExtSection<FuncInfo>> funcs = blocks("func_info", 8, FUNC_INFO_MIN, (p) -> typeId(u32(p + 4), p + 4),
                    (p) -> new FuncInfo(u32(p), (int) u32(p + 4)));
            List<BtfExtSection<LineInfo>> lines = blocks("line_info", 16, LINE_INFO_MIN, (p) -> {
                string(u32(p + 4), p + 4);
                string(u32(p + 8), p + 8);
            }, (p) -> {
                long file = u32(p + 4);
                long line = u32(p + 8);
                long lineCol = u32(p + 12);
                return new LineInfo(u32(p), file, btf.name(file), line, btf.name(line), (int) (lineCol >>> 10), (int) (lineCol & 0x3ff));
            });
            List<BtfExtSection<CoreRelo>> relos = hdrLen >= 32 ? blocks("core_relo", 24, CORE_RELO_MIN, (p) -> {
                long kind = u32(p + 12);
                if (kind >= CoreReloKind.values().length) {
                    throw error(Reason.INVALID_VALUE, "core_relo at offset " + p + " has unknown kind " + kind, -1, -1, p + 12);
                }
                typeId(u32(p + 4), p + 4);
                string(u32(p + 8), p + 8);
            }, (p) -> {
                long access = u32(p + 8);
                return new CoreRelo(u32(p), (int) u32(p + 4), access, btf.name(access), CoreReloKind.values()[(int) u32(p + 12)]);
            }) : List.of();
            return new BtfExt(hdrLen, funcs, lines, relos);
        }

        private int typeId(long id, int at) {
            if (id >= btf.typeCount()) {
                throw error(Reason.TYPE_ID_OUT_OF_RANGE, "record at offset " + at + " refers to type id " + id + ", but the last id is " + (btf.typeCount() - 1),
                        (int) Math.min(id, Integer.MAX_VALUE), -1, at);
            }
            return (int) id;
        }

        private String string(long off, int at) {
            if (off >= btf.stringSectionEnd()) {
                throw error(Reason.STRING_OFFSET_OUT_OF_RANGE, "string offset " + off + " at offset " + at + " is past the BTF string section ("
                        + btf.stringSectionEnd() + " bytes)", -1, off, at);
            }
            return btf.name(off);
        }

        /** Throws the record's first error, as decoding it would, without building it. */
        private interface RecordCheck {
            void check(int offset);
        }

        private interface RecordReader<T> {
            T read(int offset);
        }

        private <T> List<BtfExtSection<T>> blocks(String what, int headerField, int minRecord, RecordCheck check, RecordReader<T> reader) {
            long off = u32(headerField);
            long len = u32(headerField + 4);
            List<BtfExtSection<T>> out = new ArrayList<>();
            if (len == 0) {
                return out;
            }
            long avail = data.length - hdrLen;
            if ((off & 3) != 0) {
                throw error(Reason.BAD_HEADER, what + " offset " + off + " is not 4-byte aligned", -1, -1, headerField);
            }
            if (off + len > avail) {
                throw error(Reason.SECTION_PAST_END, what + " [" + off + ", +" + len + ") is past the end of " + avail + " bytes of data", -1, -1, headerField);
            }
            int p = (int) (hdrLen + off);
            int end = (int) (p + len);
            if (len < 4) {
                throw error(Reason.SECTION_PAST_END, what + " of " + len + " bytes has no record size", -1, -1, p);
            }
            long recSize = u32(p);
            if (recSize < minRecord || (recSize & 3) != 0) {
                throw error(Reason.INVALID_VALUE, what + " record size " + recSize + " is not a multiple of 4 of at least " + minRecord, -1, -1, p);
            }
            p += 4;
            if (p == end) {
                throw error(Reason.BAD_HEADER, what + " has a record size and no blocks", -1, -1, p);
            }
            while (p < end) {
                if (end - p < 8) {
                    throw error(Reason.SECTION_PAST_END, what + " block header at offset " + p + " is cut off", -1, -1, p);
                }
                long nameOff = u32(p);
                long num = u32(p + 4);
                if (num == 0) {
                    throw error(Reason.INVALID_VALUE, what + " block at offset " + p + " has no records", -1, -1, p + 4);
                }
                if (num > (end - p - 8) / recSize) {
                    throw error(Reason.SECTION_PAST_END, what + " block at offset " + p + " has " + num + " records of " + recSize
                            + " bytes, more than the " + (end - p - 8) + " bytes left", -1, -1, p + 4);
                }
                String name = string(nameOff, p);
                p += 8;
                int first = p;
                int size = (int) recSize;
                for (long i = 0; i < num; i++, p += size) {
                    check.check(p);
                }
                out.add(new BtfExtSection<>(name, new DecodedOnUse<T>((int) num, i -> reader.read(first + i * size))));
            }
            return out;
        }
    }
}
