package io.bpf4j.elf.btf;

import io.bpf4j.elf.btf.MalformedBtfException.Reason;
import io.bpf4j.elf.internal.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parsed BTF: the types of a {@code .BTF} section or a raw BTF file such as
 * {@code /sys/kernel/btf/vmlinux}, optionally split on a base BTF whose type ids and string
 * offsets it continues (kernel module BTF). Immutable and safe to share between threads.
 *
 * <p>Parsing checks the header, that every type's trailing records fit, that every type id
 * and name offset it refers to exists, and that the string section is NUL-delimited; any
 * violation is a {@link MalformedBtfException}.
 */
public final class Btf {
    /** How many modifiers and typedefs {@link #resolve} and {@link #sizeOf} follow, as libbpf's MAX_RESOLVE_DEPTH. */
    public static final int MAX_RESOLVE_DEPTH = 32;
    private static final BtfType VOID = new BtfType.Void();

    private final ByteOrder order;
    private final Btf base;
    private final int startId;
    private final BtfParser decoder;
    private final int count;
    // made and filled on first use (parsing allocates nothing per type, as libbpf's btf__new);
    // a race makes two caches or decodes a type twice into equal records, which is harmless
    private BtfType[] types;
    private final byte[] data;
    private final int strStart;
    private final int strLen;
    private final long startStr;
    private volatile Map<String, int[]> byName;

    Btf(ByteOrder order, Btf base, int startId, BtfParser decoder, byte[] data, int strStart, int strLen, long startStr) {
        this.order = order;
        this.base = base;
        this.startId = startId;
        this.decoder = decoder;
        this.count = decoder.typeCount();
        this.data = data;
        this.strStart = strStart;
        this.strLen = strLen;
        this.startStr = startStr;
    }

    /** Parses BTF in the given byte order; the array is copied, so the caller may reuse it (as libbpf's btf__new copies). */
    public static Btf parse(byte[] data, ByteOrder order) {
        // Arrays.copyOf, not clone(): the JIT skips zeroing an array an arraycopy fills at once
        return BtfParser.parse(Arrays.copyOf(data, data.length), order, null);
    }

    /**
     * Parses BTF in an array the caller hands over: the result reads it in place, so the caller
     * must not change it afterwards. For readers that made the array themselves (a file's bytes,
     * an ELF section's copy): it saves {@link #parse}'s copy, several MB for vmlinux.
     */
    public static Btf wrap(byte[] data, ByteOrder order) {
        return BtfParser.parse(data, order, null);
    }

    /** Parses BTF, taking the byte order from the magic. */
    public static Btf parse(byte[] data) {
        return parse(data, orderOf(data));
    }

    /** Reads a raw BTF file such as {@code /sys/kernel/btf/vmlinux}, taking the byte order from its magic. */
    public static Btf read(Path path) {
        return BtfParser.parse(readAll(path), null, null);
    }

    /** Reads a raw split BTF file such as {@code /sys/kernel/btf/<module>} on top of {@code base}. */
    public static Btf readSplit(Path path, Btf base) {
        return BtfParser.parse(readAll(path), base.byteOrder(), base);
    }

    private static byte[] readAll(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("btf: cannot read '" + path + "'", e);
        }
    }

    /** Parses split BTF (e.g. a kernel module's) on top of {@code base}, in the base's byte order. */
    public static Btf parseSplit(byte[] data, Btf base) {
        return BtfParser.parse(Arrays.copyOf(data, data.length), base.byteOrder(), base);
    }

    /** {@return the byte order whose magic the data starts with; little-endian when neither matches (parse then reports the magic)} */
    public static ByteOrder orderOf(byte[] data) {
        if (data.length >= 2 && (data[0] & 0xff) == 0xeb && (data[1] & 0xff) == 0x9f) {
            return ByteOrder.BIG_ENDIAN;
        }
        return ByteOrder.LITTLE_ENDIAN;
    }

    /** {@return the byte order of the data} */
    public ByteOrder byteOrder() { return order; }

    /** {@return the base BTF this one is split on} */
    public Optional<Btf> base() { return Optional.ofNullable(base); }

    /** {@return the first type id defined here: 1, or the base's type count for split BTF} */
    public int firstTypeId() { return startId; }

    /** {@return the number of type ids, including void (0) and the base's types: the last id + 1} */
    public int typeCount() { return startId + count; }

    /** {@return the type with this id (0 is void); ids below {@link #firstTypeId()} come from the base} */
    public BtfType type(int id) {
        if (id >= startId && id < startId + count) {
            BtfType[] cache = types;
            if (cache == null) {
                types = cache = new BtfType[count];
            }
            BtfType t = cache[id - startId];
            if (t == null) {
                t = decoder.decodeAt(id - startId);
                cache[id - startId] = t;
            }
            return t;
        }
        if (id == 0) {
            return VOID;
        }
        if (base != null && id > 0 && id < startId) {
            return base.type(id);
        }
        throw new BtfException("btf: no type [" + id + "] (last id is " + (typeCount() - 1) + ")");
    }

    /** {@return the types defined here (not the base's), in id order} */
    public List<BtfType> types() {
        return new java.util.AbstractList<>() {
            @Override
            public BtfType get(int index) {
                java.util.Objects.checkIndex(index, count);
                return type(startId + index);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    /** {@return the string at {@code offset} in the (base + own) string section} */
    public String name(long offset) {
        if (offset < startStr) {
            return base.name(offset);
        }
        long local = offset - startStr;
        if (local < 0 || local >= strLen) {
            throw new MalformedBtfException(Reason.STRING_OFFSET_OUT_OF_RANGE, "btf: string offset " + offset + " is past the string section ("
                    + stringSectionEnd() + " bytes)", -1, offset, -1);
        }
        // through the parser's cache: BTF.ext's line records name the same file and lines many times
        return decoder.name(offset);
    }

    /** The end of the string offsets this BTF knows (base strings included): where a split BTF's strings start. */
    long stringSectionEnd() {
        return startStr + strLen;
    }

    static String readString(byte[] b, int start) {
        int p = start;
        // The section ends with NUL (checked when parsing), so this stops inside it.
        while (b[p] != 0) p++;
        return BtfParser.utf8(b, start, p);
    }

    /** {@return the ids of every type (base included) with this name, in id order} */
    public List<Integer> findByName(String name) {
        int[] ids = index().get(name);
        List<Integer> out = new ArrayList<>();
        if (base != null) out.addAll(base.findByName(name));
        if (ids != null) for (int id : ids) out.add(id);
        return out;
    }

    /** {@return the first type (base first) with this name and kind} */
    public Optional<BtfType> findByName(String name, BtfKind kind) {
        for (int id : findByName(name)) {
            BtfType t = type(id);
            if (t.kind() == kind) return Optional.of(t);
        }
        return Optional.empty();
    }

    private Map<String, int[]> index() {
        Map<String, int[]> m = byName;
        if (m == null) {
            // from the raw name offsets, without decoding a type: ids in id order per name
            m = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                long off = decoder.nameOffsetAt(i);
                if (off == 0) {
                    continue;
                }
                String name = decoder.name(off);
                if (name.isEmpty()) {
                    continue;
                }
                int[] ids = m.get(name);
                if (ids == null) {
                    m.put(name, new int[] {startId + i});
                } else {
                    int[] more = java.util.Arrays.copyOf(ids, ids.length + 1);
                    more[ids.length] = startId + i;
                    m.put(name, more);
                }
            }
            byName = m;
        }
        return m;
    }

    /**
     * {@return the type {@code id} refers to after skipping TYPEDEF, VOLATILE, CONST, RESTRICT
     * and TYPE_TAG} (as libbpf's {@code skip_mods_and_typedefs}).
     */
    public BtfType resolve(int id) {
        BtfType t = type(id);
        for (int depth = 0; depth <= MAX_RESOLVE_DEPTH; depth++) {
            if (t instanceof BtfType.Reference && !(t instanceof BtfType.Ptr)) {
                t = type(((BtfType.Reference) t).type());
            } else {
                return t;
            }
        }
        throw new MalformedBtfException(Reason.RESOLVE_DEPTH, "btf: type [" + id + "] does not resolve within " + MAX_RESOLVE_DEPTH + " modifiers", id, -1, -1);
    }

    /**
     * {@return the size in bytes of type {@code id}}, as libbpf's {@code btf__resolve_size}:
     * pointers are 8 bytes, arrays multiply, modifiers, typedefs and VARs take their target's size.
     *
     * @throws BtfException for void, FUNC, FUNC_PROTO, FWD and DECL_TAG, which have no size;
     *                      {@link MalformedBtfException} with {@link Reason#SIZE_OVERFLOW} when the
     *                      size does not fit in 32 bits, {@link Reason#RESOLVE_DEPTH} on a loop
     */
    public long sizeOf(int id) {
        long nelems = 1;
        int cur = id;
        for (int depth = 0; depth <= MAX_RESOLVE_DEPTH; depth++) {
            BtfType t = type(cur);
            long size;
            if (t instanceof BtfType.Int) size = ((BtfType.Int) t).size();
            else if (t instanceof BtfType.Composite) size = ((BtfType.Composite) t).size();
            else if (t instanceof BtfType.Enumeration) size = ((BtfType.Enumeration) t).size();
            else if (t instanceof BtfType.Float) size = ((BtfType.Float) t).size();
            else if (t instanceof BtfType.DataSec) size = ((BtfType.DataSec) t).size();
            else if (t instanceof BtfType.Ptr) size = 8;
            else if (t instanceof BtfType.Reference) {
                cur = ((BtfType.Reference) t).type();
                continue;
            } else if (t instanceof BtfType.Var) {
                cur = ((BtfType.Var) t).type();
                continue;
            } else if (t instanceof BtfType.Array) {
                BtfType.Array a = (BtfType.Array) t;
                if (a.elements() != 0 && nelems > 0xffffffffL / a.elements()) {
                    throw overflow(id);
                }
                nelems *= a.elements();
                cur = a.elementType();
                continue;
            } else {
                throw new BtfException("btf: type [" + id + "] (" + t.kind() + " at [" + t.id() + "]) has no size");
            }
            if (size != 0 && nelems > 0xffffffffL / size) {
                throw overflow(id);
            }
            return nelems * size;
        }
        throw new MalformedBtfException(Reason.RESOLVE_DEPTH, "btf: size of type [" + id + "] does not resolve within " + MAX_RESOLVE_DEPTH + " steps", id, -1, -1);
    }

    private static MalformedBtfException overflow(int id) {
        return new MalformedBtfException(Reason.SIZE_OVERFLOW, "btf: size of type [" + id + "] does not fit in 32 bits", id, -1, -1);
    }

    @Override
    public String toString() {
        return "Btf[" + count + " types" + (base == null ? "" : " from id " + startId) + ", " + strLen + " bytes of strings]";
    }

    // For BtfExt: reads a u32 in this BTF's order.
    static long u32(byte[] b, int off, ByteOrder order) {
        return Bytes.u32(b, off, Bytes.isLittle(order));
    }
}
