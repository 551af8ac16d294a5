package io.bpf4j.maps.impl;

import io.bpf4j.isa.LittleEndian;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.MapOfMaps;
import io.bpf4j.maps.ValueRef;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The hash family: {@code HASH}, {@code PERCPU_HASH}, {@code LRU_HASH}, {@code LRU_PERCPU_HASH}
 * and {@code HASH_OF_MAPS}.
 *
 * <p>As in the kernel, a table of {@code roundup_pow_of_two(max_entries)} buckets (capped),
 * each a short list; get_next_key walks the rest of the key's bucket, then the following
 * buckets, and starts over from the first bucket when the key is absent. The hash is seeded
 * with zero, so iteration order is deterministic (the kernel's {@code BPF_F_ZERO_SEED}).
 *
 * <p>Concurrency: buckets are immutable arrays swapped under a striped lock, so lookups never
 * lock. The element count is reserved before insertion, so concurrent inserts cannot overshoot
 * {@code max_entries}. Like the kernel, an update of a plain hash replaces the element (a
 * program's earlier {@link ValueRef} keeps the old bytes), while per-CPU and {@code BPF_F_LOCK}
 * updates copy in place.
 *
 * <p>LRU: lookups set a reference bit; when the map is full an insert evicts by second chance
 * over insertion order (the kernel's active/inactive lists approximated), so it never fails
 * with {@code E2BIG}. Which element is evicted need not match the kernel's per-CPU free lists.
 */
final class HashMapImpl extends AbstractBpfMap implements MapOfMaps {
    private static final int MAX_BUCKETS = 1 << 20;
    private static final int LOCK_STRIPES = 64;
    private static final Element[] EMPTY = new Element[0];

    /** One key and its value storage; replaced, never mutated, except for the value bytes. */
    static final class Element {
        final byte[] key;
        final int hash;
        final byte[] storage;
        final BpfMap inner;
        volatile boolean referenced;
        volatile boolean removed;
        /**
         * Per CPU, the window programs get onto its value, made on the first lookup: a lookup
         * per packet then allocates nothing. Unsynchronised, as two threads that both make one
         * make equal windows.
         */
        private final ValueRef[] refs;

        Element(byte[] key, int hash, byte[] storage, BpfMap inner, int cpus) {
            this.key = key;
            this.hash = hash;
            this.storage = storage;
            this.inner = inner;
            this.refs = new ValueRef[cpus];
        }

        ValueRef ref(int cpu, int stride, int valueSize) {
            ValueRef r = refs[cpu];
            if (r == null) {
                r = new ValueRef(storage, cpu * stride, valueSize);
                refs[cpu] = r;
            }
            return r;
        }
    }

    private final AtomicReferenceArray<Element[]> buckets;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final AtomicInteger count = new AtomicInteger();
    private final boolean lru;
    private final int cpus;
    private final int stride;
    private final ConcurrentLinkedQueue<Element> lruOrder = new ConcurrentLinkedQueue<>();
    private final AtomicInteger lruQueued = new AtomicInteger();

    HashMapImpl(MapDefinition def) {
        super(def);
        MapType t = def.type();
        this.lru = t == MapType.LRU_HASH || t == MapType.LRU_PERCPU_HASH;
        this.cpus = def.isPerCpu() ? def.numCpus() : 1;
        this.stride = def.isPerCpu() ? Bytes.roundUp8(def.valueSize()) : def.valueSize();
        this.buckets = new AtomicReferenceArray<>(bucketCount(def.maxEntries()));
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    private boolean mapOfMaps() {
        return def.type() == MapType.HASH_OF_MAPS;
    }

    static int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    /** The hash of the {@code length} key bytes of {@code keys} from {@code offset}. */
    static int hash(byte[] keys, int offset, int length) {
        int h = 0x9747b28c ^ length;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            h = (h ^ LittleEndian.getInt(keys, offset + i)) * 0x5bd1e995;
            h ^= h >>> 15;
        }
        for (; i < length; i++) {
            h = (h ^ (keys[offset + i] & 0xff)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    private int bucketOf(int hash) {
        return hash & (buckets.length() - 1);
    }

    private Object lockOf(int bucket) {
        return locks[bucket & (LOCK_STRIPES - 1)];
    }

    private Element find(byte[] key, int hash) {
        return find(key, 0, key.length, hash);
    }

    /** The element whose key is the {@code length} bytes of {@code keys} from {@code offset}, or null. */
    private Element find(byte[] keys, int offset, int length, int hash) {
        Element[] b = buckets.get(bucketOf(hash));
        if (b == null) {
            return null;
        }
        for (Element e : b) {
            if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, keys, offset, offset + length)) {
                return e;
            }
        }
        return null;
    }

    // ---- program view

    @Override
    public ValueRef lookupRef(byte[] key, int cpu) {
        if (key == null || key.length != def.keySize()) {
            return null;
        }
        return lookupRef(key, 0, cpu);
    }

    @Override
    public ValueRef lookupRef(byte[] keys, int offset, int cpu) {
        int n = def.keySize();
        if (mapOfMaps() || keys == null || offset < 0 || offset > keys.length - n) {
            return null;
        }
        Element e = find(keys, offset, n, hash(keys, offset, n));
        if (e == null) {
            return null;
        }
        if (lru && !e.referenced) {
            e.referenced = true;
        }
        if (cpus > 1 || def.isPerCpu()) {
            if (cpu < 0 || cpu >= cpus) {
                return null;
            }
            return e.ref(cpu, stride, def.valueSize());
        }
        return e.ref(0, stride, def.valueSize());
    }

    @Override
    public BpfMap innerMap(byte[] key) {
        if (!mapOfMaps() || key == null || key.length != def.keySize()) {
            return null;
        }
        Element e = find(key, hash(key));
        return e == null ? null : e.inner;
    }

    // ---- user-space view

    @Override
    public byte[] lookup(byte[] key, long flags) {
        checkUserRead("lookup");
        checkKey(key, "lookup");
        checkLookupFlags(flags, "lookup");
        Element e = find(key, hash(key));
        if (e == null) {
            throw error(Errno.ENOENT, "lookup", null);
        }
        return copyOut(e, flags);
    }

    private byte[] copyOut(Element e, long flags) {
        if (mapOfMaps()) {
            return LittleEndian.u32(e.inner.id());
        }
        if (def.isPerCpu()) {
            return e.storage.clone();
        }
        byte[] out = new byte[def.valueSize()];
        if ((flags & MapFlags.BPF_F_LOCK) != 0) {
            copyValueLocked(e.storage, 0, out, 0, out.length, e.storage, 0);
        } else {
            copyValue(e.storage, 0, out, 0, out.length);
        }
        return out;
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkUserWrite("update");
        checkKey(key, "update");
        checkValue(value, def.userValueSize(), "update");
        BpfMap inner = null;
        if (mapOfMaps()) {
            inner = MapCompat.resolveInner(this, LittleEndian.getInt(value, 0), "update");
        }
        put(key, value, flags, -1, inner);
    }

    @Override
    public void update(byte[] key, byte[] value, long flags, int cpu) {
        checkKey(key, "update");
        checkValue(value, def.valueSize(), "update");
        if (mapOfMaps()) {
            throw error(Errno.EINVAL, "update", "programs cannot update a map of maps");
        }
        if (def.isPerCpu() && (cpu < 0 || cpu >= cpus)) {
            throw error(Errno.EINVAL, "update", "cpu " + cpu + " out of range");
        }
        put(key, value, flags, def.isPerCpu() ? cpu : -1, null);
    }

    @Override
    public void setInnerMap(byte[] key, BpfMap inner, long flags) {
        if (!mapOfMaps()) {
            throw error(Errno.EINVAL, "update", "not a map of maps");
        }
        checkKey(key, "update");
        MapCompat.checkInner(this, inner, "update");
        put(key, LittleEndian.u32(inner.id()), flags, -1, inner);
    }

    /**
     * Inserts or updates. {@code cpu} is -1 for a user-space write of every CPU's value (or of
     * a plain value), else the one CPU a program writes.
     */
    private void put(byte[] key, byte[] value, long flags, int cpu, BpfMap inner) {
        checkUpdateFlags(flags, "update");
        long mode = flags & ~MapFlags.BPF_F_LOCK;
        boolean lock = (flags & MapFlags.BPF_F_LOCK) != 0;
        int h = hash(key);
        int bi = bucketOf(h);
        boolean reserved = false;
        try {
            while (true) {
                Element old = find(key, h);
                if (old == null && mode == MapFlags.BPF_EXIST) {
                    throw error(Errno.ENOENT, "update", null);
                }
                if (old != null && mode == MapFlags.BPF_NOEXIST) {
                    throw error(Errno.EEXIST, "update", null);
                }
                if (old == null && !reserved) {
                    reserveSlot();
                    reserved = true;
                    continue;
                }
                synchronized (lockOf(bi)) {
                    Element[] b = buckets.get(bi);
                    int at = indexIn(b, key, h);
                    if (at < 0 && mode == MapFlags.BPF_EXIST) {
                        throw error(Errno.ENOENT, "update", null);
                    }
                    if (at >= 0 && mode == MapFlags.BPF_NOEXIST) {
                        throw error(Errno.EEXIST, "update", null);
                    }
                    if (at >= 0 && (lock || def.isPerCpu()) && !mapOfMaps()) {
                        writeInPlace(b[at], value, cpu, lock);
                        return;
                    }
                    if (at < 0 && !reserved) {
                        continue;
                    }
                    Element fresh = new Element(key.clone(), h, newStorage(value, cpu), inner, cpus);
                    Element[] nb;
                    if (at >= 0) {
                        nb = b.clone();
                        b[at].removed = true;
                        nb[at] = fresh;
                    } else {
                        Element[] cur = b == null ? EMPTY : b;
                        nb = Arrays.copyOf(cur, cur.length + 1);
                        nb[cur.length] = fresh;
                        reserved = false;
                    }
                    buckets.set(bi, nb);
                    if (lru) {
                        lruOrder.add(fresh);
                        lruQueued.incrementAndGet();
                    }
                    return;
                }
            }
        } finally {
            if (reserved) {
                count.decrementAndGet();
                uncharge(elementBytes());
            }
        }
    }

    private static int indexIn(Element[] b, byte[] key, int h) {
        if (b == null) {
            return -1;
        }
        for (int i = 0; i < b.length; i++) {
            if (b[i].hash == h && Arrays.equals(b[i].key, key)) {
                return i;
            }
        }
        return -1;
    }

    private byte[] newStorage(byte[] value, int cpu) {
        byte[] s = new byte[cpus * stride];
        if (cpu >= 0) {
            System.arraycopy(value, 0, s, cpu * stride, def.valueSize());
        } else if (def.isPerCpu()) {
            System.arraycopy(value, 0, s, 0, s.length);
        } else {
            copyValue(value, 0, s, 0, def.valueSize());
        }
        return s;
    }

    private void writeInPlace(Element e, byte[] value, int cpu, boolean lock) {
        if (def.isPerCpu()) {
            if (cpu >= 0) {
                System.arraycopy(value, 0, e.storage, cpu * stride, def.valueSize());
            } else {
                System.arraycopy(value, 0, e.storage, 0, e.storage.length);
            }
        } else if (lock) {
            copyValueLocked(value, 0, e.storage, 0, def.valueSize(), e.storage, 0);
        }
        if (lru) {
            e.referenced = true;
        }
    }

    /** Buckets for {@code maxEntries}: the next power of two, at most {@code MAX_BUCKETS}. */
    static int bucketCount(int maxEntries) {
        int n = 1;
        while (n < maxEntries && n < MAX_BUCKETS) {
            n <<= 1;
        }
        return n;
    }

    /**
     * What one element costs the budget: its key and value storage and the kernel's
     * {@code htab_elem} header, a fair stand-in for the Java objects and bucket slot.
     */
    long elementBytes() {
        return (long) def.keySize() + (long) cpus * stride + MapCreator.HTAB_ELEM_SIZE;
    }

    /** Takes one of max_entries slots for a new element, evicting from an LRU map when full. */
    private void reserveSlot() {
        while (true) {
            int c = count.get();
            if (c < def.maxEntries()) {
                if (count.compareAndSet(c, c + 1)) {
                    try {
                        charge(elementBytes(), "update");
                    } catch (RuntimeException e) {
                        count.decrementAndGet();
                        throw e;
                    }
                    return;
                }
                continue;
            }
            if (!lru) {
                throw error(Errno.E2BIG, "update", "map is full (" + def.maxEntries() + " elements)");
            }
            if (!evictOne()) {
                throw error(Errno.ENOMEM, "update", "nothing to evict");
            }
        }
    }

    private boolean evictOne() {
        int budget = 2 * lruQueued.get() + 2;
        while (budget-- > 0) {
            Element e = lruOrder.poll();
            if (e == null) {
                return false;
            }
            lruQueued.decrementAndGet();
            if (e.removed) {
                continue;
            }
            if (e.referenced && budget > 0) {
                e.referenced = false;
                lruOrder.add(e);
                lruQueued.incrementAndGet();
                continue;
            }
            if (remove(e.key, e.hash, e) != null) {
                return true;
            }
        }
        return false;
    }

    /** Removes the element for {@code key} (only if it is {@code expected} when that is given). */
    private Element remove(byte[] key, int h, Element expected) {
        int bi = bucketOf(h);
        synchronized (lockOf(bi)) {
            Element[] b = buckets.get(bi);
            int at = indexIn(b, key, h);
            if (at < 0 || (expected != null && b[at] != expected)) {
                return null;
            }
            Element gone = b[at];
            Element[] nb = new Element[b.length - 1];
            System.arraycopy(b, 0, nb, 0, at);
            System.arraycopy(b, at + 1, nb, at, b.length - at - 1);
            buckets.set(bi, nb.length == 0 ? null : nb);
            gone.removed = true;
            count.decrementAndGet();
            uncharge(elementBytes());
            if (lru && lruQueued.get() > 2 * def.maxEntries() + 64) {
                int before = lruOrder.size();
                lruOrder.removeIf(x -> x.removed);
                lruQueued.addAndGet(lruOrder.size() - before);
            }
            return gone;
        }
    }

    @Override
    void deleteElement(byte[] key) {
        checkKey(key, "delete");
        if (remove(key, hash(key), null) == null) {
            throw error(Errno.ENOENT, "delete", null);
        }
    }

    @Override
    public byte[] lookupAndDelete(byte[] key) {
        checkUserWrite("lookup and delete");
        checkKey(key, "lookup and delete");
        if (mapOfMaps()) {
            return super.lookupAndDelete(key);
        }
        Element e = remove(key, hash(key), null);
        if (e == null) {
            throw error(Errno.ENOENT, "lookup and delete", null);
        }
        return copyOut(e, 0);
    }

    @Override
    public byte[] getNextKey(byte[] key) {
        checkUserRead("get next key");
        int start = 0;
        if (key != null) {
            checkKey(key, "get next key");
            int h = hash(key);
            int bi = bucketOf(h);
            Element[] b = buckets.get(bi);
            int at = indexIn(b, key, h);
            if (at >= 0) {
                if (at + 1 < b.length) {
                    return b[at + 1].key.clone();
                }
                start = bi + 1;
            }
        }
        for (int i = start; i < buckets.length(); i++) {
            Element[] b = buckets.get(i);
            if (b != null && b.length > 0) {
                return b[0].key.clone();
            }
        }
        throw error(Errno.ENOENT, "get next key", "no more keys");
    }

    /** The number of elements now (for tests and {@code bpftool}-style summaries). */
    int size() {
        return count.get();
    }
}
