package io.bpf4j.maps.impl;

import io.bpf4j.maps.BloomFilter;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.ValueRef;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code BPF_MAP_TYPE_BLOOM_FILTER}: a bit array of {@code roundup_pow_of_two(max_entries * k / ln 2)}
 * bits, as the kernel sizes it, set by {@code k} seeded hashes of each pushed value. Bits are
 * set with atomic ors, so pushes and tests need no lock.
 */
final class BloomFilterMap extends AbstractBpfMap implements BloomFilter {
    /** The hash count when {@code map_extra} gives none. */
    static final int DEFAULT_HASH_FUNCS = 5;
    static final long HASH_MASK = 0xF;

    private final AtomicLongArray bits;
    private final long bitMask;
    private final int hashes;

    BloomFilterMap(MapDefinition def) {
        super(def);
        this.hashes = hashCount(def);
        long n = bitCount(def);
        this.bits = new AtomicLongArray((int) (n / 64));
        this.bitMask = n - 1;
    }

    private static int hashCount(MapDefinition def) {
        int k = (int) (def.mapExtra() & HASH_MASK);
        return k == 0 ? DEFAULT_HASH_FUNCS : k;
    }

    /** Bits of the filter: max_entries * hashes / ln 2, rounded up to a power of two. */
    static long bitCount(MapDefinition def) {
        double wanted = Math.ceil(def.maxEntries() * (double) hashCount(def) / Math.log(2));
        long n = 64;
        while (n < wanted && n < (1L << 32)) {
            n <<= 1;
        }
        return n;
    }

    /** The number of hash functions in use. */
    int hashFunctions() {
        return hashes;
    }

    private long bitIndex(byte[] value, int i) {
        long h = 0xcbf29ce484222325L ^ (i * 0x9E3779B97F4A7C15L);
        for (byte b : value) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h & bitMask;
    }

    @Override
    public void push(byte[] value, long flags) {
        checkValue(value, def.valueSize(), "push");
        if (flags != MapFlags.BPF_ANY) {
            throw error(Errno.EINVAL, "push", "flags must be BPF_ANY");
        }
        for (int i = 0; i < hashes; i++) {
            long bit = bitIndex(value, i);
            int word = (int) (bit >>> 6);
            long m = 1L << (bit & 63);
            long cur;
            do {
                cur = bits.get(word);
            } while ((cur & m) == 0 && !bits.compareAndSet(word, cur, cur | m));
        }
    }

    @Override
    public boolean mayContain(byte[] value) {
        if (value == null || value.length != def.valueSize()) {
            return false;
        }
        for (int i = 0; i < hashes; i++) {
            long bit = bitIndex(value, i);
            if ((bits.get((int) (bit >>> 6)) & (1L << (bit & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] lookup(byte[] value, long flags) {
        throw error(Errno.EINVAL, "lookup", "a bloom filter is queried with mayContain(value)");
    }

    @Override
    public ValueRef lookupRef(byte[] key, int cpu) {
        return null;
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkUserWrite("update");
        if (key != null && key.length != 0) {
            throw error(Errno.EINVAL, "update", "bloom filters have no keys");
        }
        push(value, flags);
    }

    @Override
    public void update(byte[] key, byte[] value, long flags, int cpu) {
        push(value, flags);
    }

    @Override
    void deleteElement(byte[] key) {
        throw error(Errno.EOPNOTSUPP, "delete", "bloom filters cannot delete");
    }

    @Override
    public byte[] getNextKey(byte[] key) {
        throw error(Errno.EOPNOTSUPP, "get next key", "bloom filters have no keys");
    }

    @Override
    public byte[] peek() {
        throw error(Errno.EINVAL, "peek", "a bloom filter is queried with mayContain(value)");
    }
}
