package io.bpf4j.maps.impl;

import static io.bpf4j.maps.MapFlags.ACCESS_MASK;
import static io.bpf4j.maps.MapFlags.BPF_F_INNER_MAP;
import static io.bpf4j.maps.MapFlags.BPF_F_MMAPABLE;

import io.bpf4j.maps.Arena;
import static io.bpf4j.maps.MapFlags.BPF_F_NO_COMMON_LRU;
import static io.bpf4j.maps.MapFlags.BPF_F_NO_PREALLOC;
import static io.bpf4j.maps.MapFlags.BPF_F_NUMA_NODE;
import static io.bpf4j.maps.MapFlags.BPF_F_PRESERVE_ELEMS;
import static io.bpf4j.maps.MapFlags.BPF_F_RDONLY;
import static io.bpf4j.maps.MapFlags.BPF_F_RDONLY_PROG;
import static io.bpf4j.maps.MapFlags.BPF_F_WRONLY;
import static io.bpf4j.maps.MapFlags.BPF_F_WRONLY_PROG;
import static io.bpf4j.maps.MapFlags.BPF_F_ZERO_SEED;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.maps.MapDefinition;
import io.bpf4j.maps.MapException;
import io.bpf4j.maps.MapFlags;
import io.bpf4j.maps.MemoryBudget;

/**
 * {@code BPF_MAP_CREATE} in process: the kernel's checks of a definition for its type (the
 * generic ones of {@code map_create}, then each type's {@code map_alloc_check}), each refusal
 * with the kernel's errno, then the map.
 */
public final class MapCreator {
    /** {@code sizeof(struct htab_elem)} on x86-64: a hash element's header before its key. */
    static final int HTAB_ELEM_SIZE = 48;
    /** {@code KMALLOC_MAX_SIZE} on x86-64 with 4 KiB pages (order-10 allocations). */
    static final long KMALLOC_MAX_SIZE = 1L << 22;
    /** {@code PCPU_MIN_UNIT_SIZE}: the largest per-CPU value. */
    static final int PCPU_MIN_UNIT_SIZE = 32 << 10;
    /** The largest storage one map may take here: one Java array. */
    static final long MAX_STORAGE = Integer.MAX_VALUE - 64;

    private static final int ARRAY_FLAGS = BPF_F_NUMA_NODE | BPF_F_MMAPABLE | ACCESS_MASK | BPF_F_INNER_MAP | BPF_F_PRESERVE_ELEMS;
    private static final int HASH_FLAGS = BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE | ACCESS_MASK | BPF_F_ZERO_SEED;
    private static final int LPM_FLAGS = BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | ACCESS_MASK;
    private static final int QUEUE_FLAGS = BPF_F_NUMA_NODE | ACCESS_MASK;
    private static final int BLOOM_FLAGS = BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | ACCESS_MASK;
    private static final int RINGBUF_FLAGS = BPF_F_NUMA_NODE;
    /** BPF_F_MMAPABLE, BPF_F_SEGV_ON_FAULT (1 << 15), BPF_F_NO_USER_CONV (1 << 16) */
    private static final int ARENA_FLAGS = BPF_F_MMAPABLE | 1 << 15 | 1 << 16;

    private MapCreator() {
    }

    /** Creates the map, or throws the {@link MapException} the kernel's checks give. */
    public static BpfMap create(MapDefinition def) {
        check(def);
        long bytes = upfrontBytes(def);
        MemoryBudget budget = MemoryBudget.process();
        if (!budget.tryCharge(bytes)) {
            throw fail(def, Errno.ENOMEM, budget.refusal(bytes));
        }
        AbstractBpfMap map;
        try {
            map = construct(def);
        } catch (RuntimeException | Error e) {
            budget.release(bytes);
            throw e;
        }
        map.adoptCharge(bytes);
        return map;
    }

    /**
     * The storage a map of this definition allocates when it is created; what grows later
     * (hash elements, queue values, trie prefixes) is charged as it grows.
     */
    static long upfrontBytes(MapDefinition def) {
        long n = Integer.toUnsignedLong(def.maxEntries());
        switch (def.type()) {
            case ARRAY:
            case PERCPU_ARRAY:
                return ArrayMap.storageBytes(def);
            case PROG_ARRAY:
            case ARRAY_OF_MAPS:
                return n * 8;
            case HASH:
            case PERCPU_HASH:
            case LRU_HASH:
            case LRU_PERCPU_HASH:
            case HASH_OF_MAPS:
                return HashMapImpl.bucketCount(def.maxEntries()) * 8L;
            case BLOOM_FILTER:
                return BloomFilterMap.bitCount(def) / 8;
            case RINGBUF:
                return 2 * n;
            case INSN_ARRAY:
                return n * (InsnArrayMap.VALUE_SIZE + 8);
            default:
                return 0;
        }
    }

    private static AbstractBpfMap construct(MapDefinition def) {
        switch (def.type()) {
            case ARRAY:
            case PERCPU_ARRAY:
                return new ArrayMap(def);
            case HASH:
            case PERCPU_HASH:
            case LRU_HASH:
            case LRU_PERCPU_HASH:
            case HASH_OF_MAPS:
                return new HashMapImpl(def);
            case PROG_ARRAY:
            case ARRAY_OF_MAPS:
                return new FdArrayMap(def);
            case QUEUE:
            case STACK:
                return new QueueStackMap(def);
            case BLOOM_FILTER:
                return new BloomFilterMap(def);
            case LPM_TRIE:
                return new LpmTrieMap(def);
            case RINGBUF:
                return new RingBufferMap(def);
            case INSN_ARRAY:
                return new InsnArrayMap(def);
            case ARENA:
                return new ArenaMap(def);
            default:
                throw fail(def, Errno.EINVAL, "map type " + def.type().displayName() + " is not supported in process");
        }
    }

    /** Whether {@link #create} knows the type. */
    public static boolean isSupported(MapType type) {
        switch (type) {
            case ARRAY: case PERCPU_ARRAY: case HASH: case PERCPU_HASH: case LRU_HASH: case LRU_PERCPU_HASH:
            case HASH_OF_MAPS: case PROG_ARRAY: case ARRAY_OF_MAPS: case QUEUE: case STACK: case BLOOM_FILTER:
            case LPM_TRIE: case RINGBUF: case INSN_ARRAY: case ARENA:
                return true;
            default:
                return false;
        }
    }

    private static MapException fail(MapDefinition def, Errno errno, String detail) {
        return new MapException(errno, def.name(), "create", detail);
    }

    private static void require(MapDefinition def, boolean ok, Errno errno, String detail) {
        if (!ok) {
            throw fail(def, errno, detail);
        }
    }

    /** The kernel's checks of {@code def}, without creating anything. */
    public static void check(MapDefinition def) {
        MapType t = def.type();
        require(def, isSupported(t), Errno.EINVAL, "map type " + t.displayName() + " is not supported in process");
        require(def, def.numCpus() >= 1, Errno.EINVAL, "numCpus must be at least 1");
        boolean extraAllowed = t == MapType.BLOOM_FILTER || t == MapType.ARENA
                || (t == MapType.INSN_ARRAY && def.mapExtra() == MapFlags.BPF_F_CALL_TABLE);
        require(def, def.mapExtra() == 0 || extraAllowed, Errno.EINVAL, "map_extra " + def.mapExtra() + " is not allowed for " + t.displayName());
        int f = def.flags();
        require(def, (f & (BPF_F_RDONLY | BPF_F_WRONLY)) != (BPF_F_RDONLY | BPF_F_WRONLY)
                && (f & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) != (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG),
                Errno.EINVAL, "read-only and write-only together");
        require(def, def.maxEntries() != 0, Errno.EINVAL, "max_entries is 0");
        require(def, def.maxEntries() > 0, Errno.ENOMEM, "max_entries " + Integer.toUnsignedString(def.maxEntries()) + " is too large");
        switch (t) {
            case ARRAY:
            case PERCPU_ARRAY:
                checkArray(def);
                break;
            case PROG_ARRAY:
            case ARRAY_OF_MAPS:
                require(def, def.valueSize() == 4, Errno.EINVAL, "value size must be 4");
                require(def, (f & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) == 0, Errno.EINVAL, "program access flags are not allowed");
                checkArray(def);
                break;
            case HASH:
            case PERCPU_HASH:
            case LRU_HASH:
            case LRU_PERCPU_HASH:
            case HASH_OF_MAPS:
                checkHash(def);
                break;
            case LPM_TRIE:
                require(def, (f & BPF_F_NO_PREALLOC) != 0, Errno.EINVAL, "lpm_trie needs BPF_F_NO_PREALLOC");
                require(def, (f & ~LPM_FLAGS) == 0, Errno.EINVAL, "flags " + f + " are not allowed");
                require(def, def.keySize() >= 5 && def.keySize() <= 4 + 256, Errno.EINVAL, "key size must be 5..260");
                require(def, def.valueSize() >= 1 && def.valueSize() <= KMALLOC_MAX_SIZE - 256 - 32, Errno.EINVAL, "value size out of range");
                break;
            case QUEUE:
            case STACK:
                require(def, def.keySize() == 0, Errno.EINVAL, "key size must be 0");
                require(def, def.valueSize() != 0, Errno.EINVAL, "value size is 0");
                require(def, (f & ~QUEUE_FLAGS) == 0, Errno.EINVAL, "flags " + f + " are not allowed");
                require(def, Integer.toUnsignedLong(def.valueSize()) <= KMALLOC_MAX_SIZE, Errno.E2BIG, "value size too large");
                break;
            case BLOOM_FILTER:
                require(def, def.keySize() == 0, Errno.EINVAL, "key size must be 0");
                require(def, def.valueSize() > 0, Errno.EINVAL, "value size is 0");
                require(def, (f & ~BLOOM_FLAGS) == 0, Errno.EINVAL, "flags " + f + " are not allowed");
                require(def, (def.mapExtra() & ~BloomFilterMap.HASH_MASK) == 0, Errno.EINVAL, "map_extra holds more than a hash count");
                break;
            case RINGBUF:
                require(def, (f & ~RINGBUF_FLAGS) == 0, Errno.EINVAL, "flags " + f + " are not allowed");
                require(def, def.keySize() == 0 && def.valueSize() == 0, Errno.EINVAL, "key and value size must be 0");
                int n = def.maxEntries();
                require(def, Integer.bitCount(n) == 1 && n % RingBufferMap.PAGE_SIZE == 0, Errno.EINVAL,
                        "size " + n + " is not a power of 2 multiple of the page size");
                // the ring is kept twice over in one Java array (see RingBufferMap)
                require(def, n <= MAX_STORAGE / 2, Errno.ENOMEM, "size " + n + " is too large for this process (at most "
                        + Integer.highestOneBit((int) (MAX_STORAGE / 2)) + " bytes)");
                break;
            case ARENA:
                // arena_map_alloc
                require(def, def.keySize() == 0 && def.valueSize() == 0, Errno.EINVAL, "key and value size must be 0");
                require(def, (f & BPF_F_MMAPABLE) != 0, Errno.EINVAL, "BPF_F_MMAPABLE must be set");
                require(def, (f & ~ARENA_FLAGS) == 0, Errno.EINVAL, "flags " + f + " are not allowed");
                require(def, (def.mapExtra() & (Arena.PAGE_SIZE - 1)) == 0, Errno.EINVAL, "map_extra is not page aligned");
                require(def, (long) def.maxEntries() * Arena.PAGE_SIZE <= 1L << 32, Errno.E2BIG, "more than 4 GiB of pages");
                require(def, (def.mapExtra() >>> 32) == ((def.mapExtra() + (long) def.maxEntries() * Arena.PAGE_SIZE - 1) >>> 32),
                        Errno.ERANGE, "the arena would cross a 4 GiB boundary");
                break;
            case INSN_ARRAY:
                require(def, def.keySize() == 4 && def.valueSize() == InsnArrayMap.VALUE_SIZE, Errno.EINVAL, "key size must be 4 and value size 16");
                require(def, f == 0, Errno.EINVAL, "flags must be 0");
                require(def, (long) def.maxEntries() * InsnArrayMap.VALUE_SIZE <= MAX_STORAGE, Errno.ENOMEM, "too many entries for this process");
                break;
            default:
                throw fail(def, Errno.EINVAL, "map type " + t.displayName() + " is not supported in process");
        }
        checkSpinLock(def);
        if (t == MapType.ARRAY_OF_MAPS || t == MapType.HASH_OF_MAPS) {
            checkInnerTemplate(def);
        }
    }

    private static void checkArray(MapDefinition def) {
        int f = def.flags();
        require(def, def.keySize() == 4, Errno.EINVAL, "key size must be 4");
        require(def, def.valueSize() != 0, Errno.EINVAL, "value size is 0");
        require(def, (f & ~ARRAY_FLAGS) == 0, Errno.EINVAL, "flags " + f + " are not allowed");
        require(def, def.type() == MapType.ARRAY || (f & (BPF_F_MMAPABLE | BPF_F_INNER_MAP)) == 0, Errno.EINVAL,
                "BPF_F_MMAPABLE and BPF_F_INNER_MAP are for plain arrays");
        require(def, (f & BPF_F_PRESERVE_ELEMS) == 0, Errno.EINVAL, "BPF_F_PRESERVE_ELEMS is for perf event arrays");
        require(def, !(def.isPerCpu() && (f & BPF_F_NUMA_NODE) != 0), Errno.EINVAL, "per-CPU maps take no NUMA node");
        require(def, !def.isPerCpu() || Bytes.roundUp8(def.valueSize()) <= PCPU_MIN_UNIT_SIZE, Errno.E2BIG, "per-CPU value too large");
        // array_map_alloc_check: value_size > INT_MAX is E2BIG (bpf_attr's sizes are u32)
        require(def, def.valueSize() > 0, Errno.E2BIG, "value size " + Integer.toUnsignedString(def.valueSize())
                + " exceeds INT_MAX");
        require(def, ArrayMap.storageBytes(def) <= MAX_STORAGE, Errno.ENOMEM, "array of " + ArrayMap.storageBytes(def) + " bytes is too large");
    }

    private static void checkHash(MapDefinition def) {
        int f = def.flags();
        boolean lru = def.type() == MapType.LRU_HASH || def.type() == MapType.LRU_PERCPU_HASH;
        require(def, (f & ~HASH_FLAGS) == 0, Errno.EINVAL, "flags " + f + " are not allowed");
        require(def, lru || (f & BPF_F_NO_COMMON_LRU) == 0, Errno.EINVAL, "BPF_F_NO_COMMON_LRU is for LRU hashes");
        require(def, !lru || (f & BPF_F_NO_PREALLOC) == 0, Errno.ENOTSUPP, "LRU hashes are always preallocated");
        require(def, !(def.isPerCpu() && (f & BPF_F_NUMA_NODE) != 0), Errno.EINVAL, "per-CPU maps take no NUMA node");
        require(def, def.keySize() != 0 && def.valueSize() != 0, Errno.EINVAL, "key and value size must not be 0");
        require(def, def.type() != MapType.HASH_OF_MAPS || def.valueSize() == 4, Errno.EINVAL, "value size must be 4");
        long kv = Integer.toUnsignedLong(def.keySize()) + Integer.toUnsignedLong(def.valueSize());
        require(def, kv < KMALLOC_MAX_SIZE - HTAB_ELEM_SIZE, Errno.E2BIG,
                "key and value of " + kv + " bytes are too large");
        require(def, !def.isPerCpu() || Bytes.roundUp8(def.valueSize()) <= PCPU_MIN_UNIT_SIZE, Errno.E2BIG, "per-CPU value too large");
        require(def, (long) def.numCpus() * Bytes.roundUp8(def.valueSize()) <= MAX_STORAGE, Errno.ENOMEM, "per-CPU values of " + def.numCpus() + " CPUs are too large");
    }

    private static void checkSpinLock(MapDefinition def) {
        int at = def.spinLockOffset();
        if (at < 0) {
            return;
        }
        require(def, def.type() == MapType.HASH || def.type() == MapType.ARRAY, Errno.EOPNOTSUPP,
                "bpf_spin_lock is only allowed in hash and array values");
        require(def, (at & 3) == 0 && at + 4 <= def.valueSize(), Errno.EINVAL, "bpf_spin_lock at " + at + " is outside the value");
    }

    private static void checkInnerTemplate(MapDefinition def) {
        MapDefinition inner = def.innerMap();
        require(def, inner != null, Errno.EBADF, "map of maps without an inner map");
        MapType it = inner.type();
        require(def, it != MapType.ARRAY_OF_MAPS && it != MapType.HASH_OF_MAPS, Errno.EINVAL, "maps of maps do not nest");
        require(def, it != MapType.PROG_ARRAY, Errno.EINVAL, "prog arrays cannot be inner maps");
        check(inner);
    }
}
