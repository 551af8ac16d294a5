package io.bpf4j.elf.btf;

import io.bpf4j.elf.btf.MalformedBtfException.Reason;
import io.bpf4j.elf.internal.Bytes;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Decodes one {@code .BTF} blob (optionally split on a base) and checks every id and string offset. */
final class BtfParser {
    static final int MAGIC = 0xeb9f;
    static final int HEADER_MIN = 24;
    private static final int TYPE_SIZE = 12;
    // The kernel's BTF_INFO_MASK: vlen (0-15), kind (24-28), kind_flag (31); other bits must be clear.
    private static final int INFO_MASK = 0x9f00ffff;
    private static final int MAX_ID = 0x7fffffff;

    private final byte[] data;
    private final boolean le;
    private final Btf base;
    private final int startId;
    private final long startStr;
    private int typeStart;
    private int typeEnd;
    private int strStart;
    private int strLen;
    private String[] stringCache;
    /** Each type's byte offset in {@link #data}; the first {@link #count} entries are used. */
    private int[] offsets;
    private int count;

    private BtfParser(byte[] data, ByteOrder order, Btf base) {
        this.data = data;
        this.le = Bytes.isLittle(order);
        this.base = base;
        this.startId = base == null ? 1 : base.typeCount();
        this.startStr = base == null ? 0 : base.stringSectionEnd();
    }

    /** Parses {@code data}, which the caller hands over (it is kept); a null order means "from the magic". */
    static Btf parse(byte[] data, ByteOrder order, Btf base) {
        if (order == null) order = Btf.orderOf(data);
        BtfParser p = new BtfParser(data, order, base);
        p.readHeader();
        p.count = p.scanAndCheck();
        if (p.count < 0) {
            // something is wrong: the two exact passes find the first fault and say what it is
            p.scanTypes();
            p.validate();
            throw new IllegalStateException("btf: the fast check found a fault the exact check did not");
        }
        return new Btf(order, base, p.startId, p, data, p.strStart, p.strLen, p.startStr);
    }

    /**
     * Checks {@code data} with the two exact passes only (what {@link #parse} falls back to), for
     * tests that hold the one-pass check to them: both must accept and reject the same data.
     */
    static void checkExactly(byte[] data, ByteOrder order, Btf base) {
        BtfParser p = new BtfParser(data, order, base);
        p.readHeader();
        p.scanTypes();
        p.validate();
    }

    private static MalformedBtfException error(Reason r, String msg, int typeId, long strOff, long secOff) {
        return new MalformedBtfException(r, "btf: " + msg, typeId, strOff, secOff);
    }

    private void readHeader() {
        if (data.length < HEADER_MIN) {
            throw error(Reason.SECTION_PAST_END, "data of " + data.length + " bytes is shorter than the 24-byte header", -1, -1, data.length);
        }
        int magic = Bytes.u16(data, 0, le);
        if (magic != MAGIC) {
            String hint = magic == 0x9feb ? " (the data is in the other byte order)" : "";
            throw error(Reason.BAD_MAGIC, String.format("invalid magic %#06x%s", magic, hint), -1, -1, 0);
        }
        int version = Bytes.u8(data, 2);
        if (version != 1) {
            throw error(Reason.UNSUPPORTED_VERSION, "unsupported version " + version, -1, -1, 2);
        }
        int flags = Bytes.u8(data, 3);
        if (flags != 0) {
            throw error(Reason.UNSUPPORTED_FLAGS, "unsupported flags " + flags, -1, -1, 3);
        }
        long hdrLen = Bytes.u32(data, 4, le);
        if (hdrLen < HEADER_MIN || hdrLen > data.length) {
            throw error(Reason.BAD_HEADER, "header length " + hdrLen + " is not within [24, " + data.length + "]", -1, -1, 4);
        }
        long typeOff = Bytes.u32(data, 8, le);
        long typeLen = Bytes.u32(data, 12, le);
        long strOff = Bytes.u32(data, 16, le);
        long strLenL = Bytes.u32(data, 20, le);
        long avail = data.length - hdrLen;
        if ((typeOff & 3) != 0) {
            throw error(Reason.BAD_HEADER, "type section offset " + typeOff + " is not 4-byte aligned", -1, -1, 8);
        }
        if (typeOff + typeLen > avail) {
            throw error(Reason.SECTION_PAST_END, "type section [" + typeOff + ", +" + typeLen + ") is past the end of " + avail + " bytes of data", -1, -1, 8);
        }
        if (strOff + strLenL > avail) {
            throw error(Reason.SECTION_PAST_END, "string section [" + strOff + ", +" + strLenL + ") is past the end of " + avail + " bytes of data", -1, -1, 16);
        }
        if (typeOff + typeLen > strOff) {
            throw error(Reason.BAD_HEADER, "type section [" + typeOff + ", +" + typeLen + ") overlaps the string section at " + strOff, -1, -1, 16);
        }
        if ((typeLen % 4) != 0) {
            throw error(Reason.BAD_HEADER, "type section length " + typeLen + " is not a multiple of 4", -1, -1, 12);
        }
        typeStart = (int) (hdrLen + typeOff);
        typeEnd = (int) (typeStart + typeLen);
        strStart = (int) (hdrLen + strOff);
        strLen = (int) strLenL;
        if (base == null || strLen > 0) {
            if (strLen == 0) {
                throw error(Reason.UNTERMINATED_STRING, "string section is empty", -1, 0, strStart);
            }
            if (base == null && data[strStart] != 0) {
                throw error(Reason.UNTERMINATED_STRING, "string section does not start with a NUL byte", -1, 0, strStart);
            }
            if (data[strStart + strLen - 1] != 0) {
                throw error(Reason.UNTERMINATED_STRING, "string section does not end with a NUL byte", -1, startStr + strLen - 1, strStart + strLen - 1);
            }
        }
        if (startStr + strLen > MAX_ID) {
            throw error(Reason.SIZE_OVERFLOW, "string sections total more than 2^31 bytes", -1, -1, 20);
        }
    }

    /**
     * The one pass of a well-formed BTF, as libbpf's {@code btf_parse_type_sec} and
     * {@code btf_sanity_check} see every type once: each type's offset, with everything
     * {@link #scanTypes} and {@link #validate} check checked on the way, but without saying
     * where a fault is. Returns the number of types (their offsets left in {@link #offsets}), or
     * -1 at the first fault: the caller then runs those two exact passes, which report the same
     * first fault in the same words as ever. Referenced type ids and string offsets are compared
     * once, as their maximum, at the end. (A switch on the kind measured faster here than a
     * branch-free table of kind layouts: the predicted switch lets the next type's offset be
     * computed ahead, the table lengthens the chain from one type's header to the next.)
     */
    private int scanAndCheck() {
        int[] offsets = new int[Math.max(16, (typeEnd - typeStart) / 16)];
        int n = 0;
        int p = typeStart;
        long maxRef = 0;
        long maxStr = 0;
        final byte[] d = data;
        final boolean le = this.le;
        while (p < typeEnd) {
            if (startId + n == MAX_ID || typeEnd - p < TYPE_SIZE) {
                return -1;
            }
            long nameOff = Bytes.u32(d, p, le);
            int info = Bytes.s32(d, p + 4, le);
            long sizeOrType = Bytes.u32(d, p + 8, le);
            if ((info & ~INFO_MASK) != 0) {
                return -1;
            }
            int kind = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            maxStr = Math.max(maxStr, nameOff);
            int q = p + TYPE_SIZE;
            int avail = typeEnd - q;
            switch (kind) {
                case 1:
                    if (avail < 4) return -1;
                    q += 4;
                    break;
                case 7: case 16:
                    break;
                case 2: case 8: case 9: case 10: case 11: case 18:
                    maxRef = Math.max(maxRef, sizeOrType);
                    break;
                case 12:
                    if (vlen > 2) return -1;
                    maxRef = Math.max(maxRef, sizeOrType);
                    break;
                case 17:
                    if (avail < 4) return -1;
                    maxRef = Math.max(maxRef, sizeOrType);
                    q += 4;
                    break;
                case 14:
                    if (avail < 4 || Bytes.u32(d, q, le) > 2) return -1;
                    maxRef = Math.max(maxRef, sizeOrType);
                    q += 4;
                    break;
                case 3:
                    if (avail < 12) return -1;
                    maxRef = Math.max(maxRef, Math.max(Bytes.u32(d, q, le), Bytes.u32(d, q + 4, le)));
                    q += 12;
                    break;
                case 4: case 5:
                    if (avail < 12L * vlen) return -1;
                    for (int i = 0; i < vlen; i++, q += 12) {
                        maxStr = Math.max(maxStr, Bytes.u32(d, q, le));
                        maxRef = Math.max(maxRef, Bytes.u32(d, q + 4, le));
                    }
                    break;
                case 6:
                    if (avail < 8L * vlen) return -1;
                    for (int i = 0; i < vlen; i++, q += 8) {
                        maxStr = Math.max(maxStr, Bytes.u32(d, q, le));
                    }
                    break;
                case 19:
                    if (avail < 12L * vlen) return -1;
                    for (int i = 0; i < vlen; i++, q += 12) {
                        maxStr = Math.max(maxStr, Bytes.u32(d, q, le));
                    }
                    break;
                case 13:
                    if (avail < 8L * vlen) return -1;
                    maxRef = Math.max(maxRef, sizeOrType);
                    for (int i = 0; i < vlen; i++, q += 8) {
                        maxStr = Math.max(maxStr, Bytes.u32(d, q, le));
                        maxRef = Math.max(maxRef, Bytes.u32(d, q + 4, le));
                    }
                    break;
                case 15:
                    if (avail < 12L * vlen) return -1;
                    for (int i = 0; i < vlen; i++, q += 12) {
                        maxRef = Math.max(maxRef, Bytes.u32(d, q, le));
                    }
                    break;
                default:
                    return -1;
            }
            if (n == offsets.length) offsets = Arrays.copyOf(offsets, n * 2);
            offsets[n++] = p;
            p = q;
        }
        // a string offset below the own section's start is the base's, checked when the base was parsed
        if (maxRef >= startId + n || maxStr >= startStr + strLen) {
            return -1;
        }
        this.offsets = offsets;
        return n;
    }

    /** Walks the type section once, checking each type's trailing data fits, and records each type's offset. */
    private void scanTypes() {
        int[] offsets = new int[Math.max(16, (typeEnd - typeStart) / 16)];
        int n = 0;
        int p = typeStart;
        while (p < typeEnd) {
            int id = startId + n;
            if (id == MAX_ID || id < 0) {
                throw error(Reason.TYPE_ID_OUT_OF_RANGE, "more than 2^31 types", id, -1, p - typeStart);
            }
            if (typeEnd - p < TYPE_SIZE) {
                throw error(Reason.SECTION_PAST_END, "type [" + id + "] is cut off by the end of the type section", id, -1, p - typeStart);
            }
            int info = Bytes.s32(data, p + 4, le);
            int kind = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            if ((info & ~INFO_MASK) != 0) {
                throw error(Reason.INVALID_VALUE, String.format("type [%d] has unused info bits set (info %#010x)", id, info), id, -1, p + 4 - typeStart);
            }
            long extra;
            switch (kind) {
                case 1: case 14: case 17: extra = 4; break;
                case 2: case 7: case 8: case 9: case 10: case 11: case 12: case 16: case 18: extra = 0; break;
                case 3: extra = 12; break;
                case 4: case 5: case 15: case 19: extra = 12L * vlen; break;
                case 6: case 13: extra = 8L * vlen; break;
                default:
                    throw error(Reason.UNKNOWN_KIND, "type [" + id + "] has unknown kind " + kind, id, -1, p + 4 - typeStart);
            }
            if (extra > typeEnd - p - TYPE_SIZE) {
                Reason r = (kind == 4 || kind == 5 || kind == 6 || kind == 13 || kind == 15 || kind == 19) ? Reason.VLEN_TOO_LARGE : Reason.SECTION_PAST_END;
                throw error(r, "type [" + id + "] " + BtfKind.of(kind) + " with vlen " + vlen + " needs " + extra
                        + " bytes after its header, but the type section has " + (typeEnd - p - TYPE_SIZE), id, -1, p - typeStart);
            }
            if (n == offsets.length) offsets = Arrays.copyOf(offsets, n * 2);
            offsets[n++] = p;
            p += TYPE_SIZE + (int) extra;
        }
        this.offsets = offsets;
        this.count = n;
    }

    /**
     * Checks every type as decoding would (ids, name offsets, linkages) without building
     * anything: types are decoded on first use ({@link #decodeAt}), as libbpf keeps them raw.
     */
    private void validate() {
        int total = startId + count;
        for (int i = 0; i < count; i++) {
            decode(startId + i, offsets[i], total, false);
        }
    }

    /** The number of types defined here. */
    int typeCount() {
        return count;
    }

    /** Decodes the {@code index}-th type defined here; it passed {@link #validate} already. */
    BtfType decodeAt(int index) {
        return decode(startId + index, offsets[index], startId + count, true);
    }

    /** The name offset of the {@code index}-th type defined here, read without decoding it. */
    long nameOffsetAt(int index) {
        return Bytes.u32(data, offsets[index], le);
    }

    /** The string at a validated name offset, shared between the types that name it. */
    String name(long off) {
        return str(off, -1, -1, true);
    }

    private int ref(long raw, int id, int total, int at) {
        if (raw >= total) {
            throw error(Reason.TYPE_ID_OUT_OF_RANGE, "type [" + id + "] refers to type id " + raw + ", but the last id is " + (total - 1), id, -1, at - typeStart);
        }
        return (int) raw;
    }

    private String str(long off, int id, int at, boolean build) {
        if (off < startStr) {
            return build ? base.name(off) : null;
        }
        long local = off - startStr;
        if (local >= strLen) {
            throw error(Reason.STRING_OFFSET_OUT_OF_RANGE, "type [" + id + "] has name offset " + off + " past the string section ("
                    + (startStr + strLen) + " bytes)", id, off, at - typeStart);
        }
        if (!build) {
            return null;
        }
        int l = (int) local;
        String[] stringCache = this.stringCache;
        if (stringCache == null) {
            // a race makes two caches, each consistent: harmless
            stringCache = this.stringCache = new String[Math.min(strLen, 1 << 16)];
        }
        if (l < stringCache.length && stringCache[l] != null) {
            return stringCache[l];
        }
        String s = Btf.readString(data, strStart + l);
        if (l < stringCache.length) stringCache[l] = s;
        return s;
    }

    /** Decodes (or with {@code build} false only checks) the type at {@code p}; returns null when not building. */
    private BtfType decode(int id, int p, int total, boolean build) {
        long nameOff = Bytes.u32(data, p, le);
        int info = Bytes.s32(data, p + 4, le);
        long sizeOrType = Bytes.u32(data, p + 8, le);
        int kind = (info >>> 24) & 0x1f;
        int vlen = info & 0xffff;
        boolean kflag = info < 0;
        String name = str(nameOff, id, p, build);
        // kinds whose size_type field is a type id: checked here, so a check-only pass checks it too
        boolean refersToType = switch (kind) {
            case 2, 8, 9, 10, 11, 12, 13, 14, 17, 18 -> true;
            default -> false;
        };
        int target = refersToType ? ref(sizeOrType, id, total, p + 8) : 0;
        int q = p + TYPE_SIZE;
        switch (kind) {
            case 1: {
                int v = Bytes.s32(data, q, le);
                return !build ? null : new BtfType.Int(id, name, sizeOrType, (v >>> 24) & 0xf, (v >>> 16) & 0xff, v & 0xff);
            }
            case 2: return !build ? null : new BtfType.Ptr(id, name, target);
            case 3: {
                int elem = ref(Bytes.u32(data, q, le), id, total, q);
                int index = ref(Bytes.u32(data, q + 4, le), id, total, q + 4);
                return !build ? null : new BtfType.Array(id, name, elem, index, Bytes.u32(data, q + 8, le));
            }
            case 4: case 5: {
                List<BtfType.Member> members = build ? new ArrayList<>(vlen) : null;
                for (int i = 0; i < vlen; i++, q += 12) {
                    String mname = str(Bytes.u32(data, q, le), id, q, build);
                    int mtype = ref(Bytes.u32(data, q + 4, le), id, total, q + 4);
                    long off = Bytes.u32(data, q + 8, le);
                    if (build) members.add(kflag ? new BtfType.Member(mname, mtype, off & 0xffffff, (int) (off >>> 24))
                            : new BtfType.Member(mname, mtype, off, 0));
                }
                return !build ? null : kind == 4 ? new BtfType.Struct(id, name, sizeOrType, members, kflag) : new BtfType.Union(id, name, sizeOrType, members, kflag);
            }
            case 6: {
                List<BtfType.EnumValue> values = build ? new ArrayList<>(vlen) : null;
                for (int i = 0; i < vlen; i++, q += 8) {
                    String vname = str(Bytes.u32(data, q, le), id, q, build);
                    int v = Bytes.s32(data, q + 4, le);
                    if (build) values.add(new BtfType.EnumValue(vname, kflag ? v : v & 0xffffffffL));
                }
                return !build ? null : new BtfType.Enum(id, name, sizeOrType, kflag, values);
            }
            case 19: {
                List<BtfType.EnumValue> values = build ? new ArrayList<>(vlen) : null;
                for (int i = 0; i < vlen; i++, q += 12) {
                    String vname = str(Bytes.u32(data, q, le), id, q, build);
                    long lo = Bytes.u32(data, q + 4, le);
                    long hi = Bytes.u32(data, q + 8, le);
                    if (build) values.add(new BtfType.EnumValue(vname, hi << 32 | lo));
                }
                return !build ? null : new BtfType.Enum64(id, name, sizeOrType, kflag, values);
            }
            case 7: return !build ? null : new BtfType.Fwd(id, name, kflag);
            case 8: return !build ? null : new BtfType.Typedef(id, name, target);
            case 9: return !build ? null : new BtfType.Volatile(id, name, target);
            case 10: return !build ? null : new BtfType.Const(id, name, target);
            case 11: return !build ? null : new BtfType.Restrict(id, name, target);
            case 12: {
                if (vlen > 2) {
                    throw error(Reason.INVALID_VALUE, "FUNC [" + id + "] has unknown linkage " + vlen, id, -1, p + 4 - typeStart);
                }
                return !build ? null : new BtfType.Func(id, name, target, FuncLinkage.values()[vlen]);
            }
            case 13: {
                List<BtfType.Param> params = build ? new ArrayList<>(vlen) : null;
                for (int i = 0; i < vlen; i++, q += 8) {
                    String pname = str(Bytes.u32(data, q, le), id, q, build);
                    int ptype = ref(Bytes.u32(data, q + 4, le), id, total, q + 4);
                    if (build) params.add(new BtfType.Param(pname, ptype));
                }
                return !build ? null : new BtfType.FuncProto(id, name, target, params);
            }
            case 14: {
                long linkage = Bytes.u32(data, q, le);
                if (linkage > 2) {
                    throw error(Reason.INVALID_VALUE, "VAR [" + id + "] has unknown linkage " + linkage, id, -1, q - typeStart);
                }
                return !build ? null : new BtfType.Var(id, name, target, VarLinkage.values()[(int) linkage]);
            }
            case 15: {
                List<BtfType.VarSecInfo> vars = build ? new ArrayList<>(vlen) : null;
                for (int i = 0; i < vlen; i++, q += 12) {
                    int vtype = ref(Bytes.u32(data, q, le), id, total, q);
                    if (build) vars.add(new BtfType.VarSecInfo(vtype, Bytes.u32(data, q + 4, le), Bytes.u32(data, q + 8, le)));
                }
                return !build ? null : new BtfType.DataSec(id, name, sizeOrType, vars);
            }
            case 16: return !build ? null : new BtfType.Float(id, name, sizeOrType);
            case 17:
                return !build ? null : new BtfType.DeclTag(id, name, target, Bytes.s32(data, q, le), kflag);
            case 18: return !build ? null : new BtfType.TypeTag(id, name, target, kflag);
            default:
                throw new IllegalStateException("kind " + kind + " passed the scan");
        }
    }

    static String utf8(byte[] b, int start, int end) {
        return new String(b, start, end - start, StandardCharsets.UTF_8);
    }
}
