package io.bpf4j.elf.internal;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.IntFunction;

/**
 * An immutable list of records that were validated when the object was read and are decoded
 * into objects only when first read: most of an object's {@code .BTF.ext} records and
 * relocations of non-program sections are never looked at, and libbpf keeps them raw too.
 * Decoding cannot fail (validation already ran); two threads may both decode, with equal results.
 */
public final class DecodedOnUse<T> extends AbstractList<T> implements RandomAccess {
    private final int size;
    private final IntFunction<T> decode;
    private volatile List<T> decoded;

    /** @param decode turns record {@code i} (0-based) into its object */
    public DecodedOnUse(int size, IntFunction<T> decode) {
        this.size = size;
        this.decode = decode;
    }

    @Override
    public int size() { return size; }

    @Override
    public T get(int index) { return decoded().get(index); }

    private List<T> decoded() {
        List<T> d = decoded;
        if (d == null) {
            List<T> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) out.add(decode.apply(i));
            decoded = d = List.copyOf(out);
        }
        return d;
    }
}
