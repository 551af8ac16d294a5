package io.bpf4j.maps;

import io.bpf4j.maps.impl.Bytes;
import io.bpf4j.isa.abi.MapType;

/**
 * What {@code BPF_MAP_CREATE} receives, plus the two host facts an in-process map needs.
 *
 * <p>Sizes are the kernel's: {@code valueSize} is one CPU's value for per-CPU maps. Nothing is
 * checked here; {@link MapFactory#create} checks a definition against the kernel's rules for
 * its type and refuses it with the errno the kernel would give.
 *
 * @param type           the map type
 * @param keySize        {@code key_size} in bytes
 * @param valueSize      {@code value_size} in bytes (one CPU's share for per-CPU maps)
 * @param maxEntries     {@code max_entries}; the data size in bytes for a ring buffer
 * @param flags          {@code map_flags} ({@link MapFlags#BPF_F_NO_PREALLOC}, ...)
 * @param mapExtra       {@code map_extra}: hash function count for a bloom filter,
 *                       {@link MapFlags#BPF_F_CALL_TABLE} for a call-table insn array
 * @param name           the map's name, used in messages
 * @param innerMap       the template of the inner maps for array/hash of maps, else {@code null}
 * @param numCpus        the number of possible CPUs per-CPU maps keep a value for (at least 1)
 * @param spinLockOffset the byte offset of a {@code struct bpf_spin_lock} in the value (known
 *                       from BTF), or -1 when the value has none; {@code BPF_F_LOCK} needs one
 */
public record MapDefinition(MapType type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra,
                            String name, MapDefinition innerMap, int numCpus, int spinLockOffset) {

    /** The CPU count used when none is given: one, so that results do not depend on the host. */
    public static final int DEFAULT_CPUS = 1;

    public MapDefinition {
        if (type == null) {
            throw new IllegalArgumentException("map type is null");
        }
        if (name == null) {
            name = "";
        }
    }

    /** A definition with no flags, no extra, no inner map, one CPU and no spin lock. */
    public static MapDefinition of(MapType type, int keySize, int valueSize, int maxEntries) {
        return new MapDefinition(type, keySize, valueSize, maxEntries, 0, 0, type.displayName(), null, DEFAULT_CPUS, -1);
    }

    public MapDefinition withFlags(int newFlags) {
        return new MapDefinition(type, keySize, valueSize, maxEntries, newFlags, mapExtra, name, innerMap, numCpus, spinLockOffset);
    }

    public MapDefinition withMapExtra(long newExtra) {
        return new MapDefinition(type, keySize, valueSize, maxEntries, flags, newExtra, name, innerMap, numCpus, spinLockOffset);
    }

    public MapDefinition withName(String newName) {
        return new MapDefinition(type, keySize, valueSize, maxEntries, flags, mapExtra, newName, innerMap, numCpus, spinLockOffset);
    }

    public MapDefinition withInnerMap(MapDefinition inner) {
        return new MapDefinition(type, keySize, valueSize, maxEntries, flags, mapExtra, name, inner, numCpus, spinLockOffset);
    }

    public MapDefinition withNumCpus(int cpus) {
        return new MapDefinition(type, keySize, valueSize, maxEntries, flags, mapExtra, name, innerMap, cpus, spinLockOffset);
    }

    public MapDefinition withSpinLockOffset(int offset) {
        return new MapDefinition(type, keySize, valueSize, maxEntries, flags, mapExtra, name, innerMap, numCpus, offset);
    }

    public MapDefinition withMaxEntries(int entries) {
        return new MapDefinition(type, keySize, valueSize, entries, flags, mapExtra, name, innerMap, numCpus, spinLockOffset);
    }

    /** Whether the map keeps one value per CPU. */
    public boolean isPerCpu() {
        return type == MapType.PERCPU_ARRAY || type == MapType.PERCPU_HASH || type == MapType.LRU_PERCPU_HASH;
    }

    /**
     * The size of a value as user space reads and writes it: {@code valueSize} for ordinary
     * maps; for per-CPU maps {@code valueSize} rounded up to 8, once per CPU, as the kernel does.
     */
    public int userValueSize() {
        return isPerCpu() ? Bytes.roundUp8(valueSize) * numCpus : valueSize;
    }
}
