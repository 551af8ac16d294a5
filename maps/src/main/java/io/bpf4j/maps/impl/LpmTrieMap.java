package io.bpf4j.maps.impl;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.ValueRef;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * {@code BPF_MAP_TYPE_LPM_TRIE}: keys are {@code u32 prefixlen} (host order) followed by
 * {@code key_size - 4} bytes of big-endian data; lookup finds the longest stored prefix that
 * covers the key's first {@code prefixlen} bits.
 *
 * <p>The kernel walks a path-compressed binary trie; the same answers come from two indexes
 * here: exact prefixes in a hash table (probed from the longest candidate length down, only at
 * lengths that hold entries) and a sorted set in the trie's post order for get_next_key:
 * a prefix comes after every prefix it covers, and otherwise the side whose first differing bit
 * is 0 comes first. A missing key (or a prefixlen past the maximum) restarts from the first.
 * A node keeps the data bytes of its last update, bits past its prefix included, as the kernel
 * copies them. Writes are serialised by one lock, as by the kernel's trie lock.
 */
final class LpmTrieMap extends AbstractBpfMap {
    /** A prefix: its length and its data with every bit past the length cleared. */
    private static final class Prefix implements Comparable<Prefix> {
        final int len;
        final byte[] bits;
        final int hash;

        Prefix(int len, byte[] bits) {
            this.len = len;
            this.bits = bits;
            this.hash = 31 * len + Arrays.hashCode(bits);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Prefix && ((Prefix) o).len == len && Arrays.equals(((Prefix) o).bits, bits);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public int compareTo(Prefix o) {
            int common = Math.min(len, o.len);
            for (int bit = 0; bit < common; bit++) {
                int a = bit(bits, bit);
                int b = bit(o.bits, bit);
                if (a != b) {
                    return a - b;
                }
            }
            // one covers the other: the longer (more specific) one comes first in post order
            return Integer.compare(o.len, len);
        }
    }

    private static final class Node {
        final byte[] key;
        final byte[] value;

        Node(byte[] key, byte[] value) {
            this.key = key;
            this.value = value;
        }
    }

    private final int dataSize;
    private final int maxPrefixLen;
    private final ConcurrentHashMap<Prefix, Node> exact = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Prefix, Node> order = new ConcurrentSkipListMap<>();
    private final AtomicIntegerArray perLength;
    private final Object writeLock = new Object();

    LpmTrieMap(MapDefinition def) {
        super(def);
        this.dataSize = def.keySize() - 4;
        this.maxPrefixLen = dataSize * 8;
        this.perLength = new AtomicIntegerArray(maxPrefixLen + 1);
    }

    static int bit(byte[] data, int index) {
        return (data[index >>> 3] >>> (7 - (index & 7))) & 1;
    }

    private Prefix prefixOf(byte[] key, int len) {
        byte[] bits = Arrays.copyOfRange(key, 4, 4 + dataSize);
        int full = len >>> 3;
        if (full < dataSize) {
            int rem = len & 7;
            bits[full] &= (byte) (0xff << (8 - rem));
            Arrays.fill(bits, full + 1, dataSize, (byte) 0);
        }
        return new Prefix(len, bits);
    }

    private static long prefixLen(byte[] key) {
        return Integer.toUnsignedLong(LittleEndian.getInt(key, 0));
    }

    /** The longest stored prefix covering the key, or {@code null}. */
    private Node longestMatch(byte[] key) {
        long want = Math.min(prefixLen(key), maxPrefixLen);
        for (int len = (int) want; len >= 0; len--) {
            if (perLength.get(len) == 0) {
                continue;
            }
            Node n = exact.get(prefixOf(key, len));
            if (n != null) {
                return n;
            }
        }
        return null;
    }

    @Override
    public byte[] lookup(byte[] key, long flags) {
        checkUserRead("lookup");
        checkKey(key, "lookup");
        checkLookupFlags(flags, "lookup");
        Node n = longestMatch(key);
        if (n == null) {
            throw error(Errno.ENOENT, "lookup", "no prefix matches");
        }
        return n.value.clone();
    }

    @Override
    public ValueRef lookupRef(byte[] key, int cpu) {
        if (key == null || key.length != def.keySize()) {
            return null;
        }
        Node n = longestMatch(key);
        return n == null ? null : ValueRef.of(n.value);
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkUserWrite("update");
        update(key, value, flags, 0);
    }

    @Override
    public void update(byte[] key, byte[] value, long flags, int cpu) {
        checkKey(key, "update");
        checkValue(value, def.valueSize(), "update");
        if (Long.compareUnsigned(flags, MapFlags.BPF_EXIST) > 0) {
            throw error(Errno.EINVAL, "update", "unknown flags " + flags);
        }
        long len = prefixLen(key);
        if (len > maxPrefixLen) {
            throw error(Errno.EINVAL, "update", "prefixlen " + len + " past " + maxPrefixLen);
        }
        Prefix p = prefixOf(key, (int) len);
        synchronized (writeLock) {
            Node old = exact.get(p);
            if (old == null && flags == MapFlags.BPF_EXIST) {
                throw error(Errno.ENOENT, "update", null);
            }
            if (old != null && flags == MapFlags.BPF_NOEXIST) {
                throw error(Errno.EEXIST, "update", null);
            }
            if (old == null && exact.size() >= def.maxEntries()) {
                throw error(Errno.ENOSPC, "update", "trie is full (" + def.maxEntries() + " prefixes)");
            }
            if (old == null) {
                charge((long) def.keySize() + def.valueSize(), "update");
            }
            Node fresh = new Node(key.clone(), value.clone());
            order.put(p, fresh);
            exact.put(p, fresh);
            if (old == null) {
                perLength.incrementAndGet((int) len);
            }
        }
    }

    @Override
    void deleteElement(byte[] key) {
        checkKey(key, "delete");
        long len = prefixLen(key);
        if (len > maxPrefixLen) {
            throw error(Errno.EINVAL, "delete", "prefixlen " + len + " past " + maxPrefixLen);
        }
        Prefix p = prefixOf(key, (int) len);
        synchronized (writeLock) {
            if (exact.remove(p) == null) {
                throw error(Errno.ENOENT, "delete", null);
            }
            order.remove(p);
            perLength.decrementAndGet((int) len);
            uncharge((long) def.keySize() + def.valueSize());
        }
    }

    @Override
    public byte[] getNextKey(byte[] key) {
        checkUserRead("get next key");
        java.util.Map.Entry<Prefix, Node> next = null;
        if (key != null) {
            checkKey(key, "get next key");
            long len = prefixLen(key);
            if (len <= maxPrefixLen) {
                Prefix p = prefixOf(key, (int) len);
                if (exact.containsKey(p)) {
                    next = order.higherEntry(p);
                    if (next == null) {
                        throw error(Errno.ENOENT, "get next key", "no more keys");
                    }
                }
            }
        }
        if (next == null) {
            next = order.firstEntry();
        }
        if (next == null) {
            throw error(Errno.ENOENT, "get next key", "trie is empty");
        }
        byte[] out = next.getValue().key.clone();
        LittleEndian.putInt(out, 0, next.getKey().len);
        return out;
    }
}
