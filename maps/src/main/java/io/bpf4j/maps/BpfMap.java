package io.bpf4j.maps;

import io.bpf4j.isa.abi.Errno;
import io.bpf4j.isa.abi.MapType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A live BPF map in this process, with the kernel's semantics for its type.
 *
 * <p>Two views, as in the kernel:
 * <ul>
 *   <li>the <em>user-space</em> view ({@code BPF_MAP_*_ELEM} commands): {@link #lookup},
 *       {@link #update(byte[], byte[], long)}, {@link #delete}, {@link #getNextKey},
 *       {@link #lookupAndDelete}, {@link #push}/{@link #pop}/{@link #peek}. Values are copies;
 *       per-CPU maps exchange {@link MapDefinition#userValueSize()} bytes (every CPU's value,
 *       each rounded up to 8);</li>
 *   <li>the <em>program</em> view (BPF helpers): {@link #lookupRef} returns the element's live
 *       storage as a {@link ValueRef} (or {@code null}, the helper's NULL) and
 *       {@link #update(byte[], byte[], long, int)} writes one CPU's value.</li>
 * </ul>
 * Every refusal is a {@link MapException} with the errno the kernel returns; operations a type
 * does not have fail as the kernel fails them ({@code EINVAL}, {@code ENOTSUPP}, ...).
 *
 * <p>Thread safety: every operation may be called concurrently from programs and Java threads.
 * Element creation, replacement and deletion are atomic. Reads and writes of the bytes behind
 * a {@link ValueRef} are not synchronised, exactly as in the kernel: programs that need
 * atomicity use {@code BPF_ATOMIC} instructions or {@code bpf_spin_lock} on the shared bytes
 * (see {@link SpinLocks}), and {@code BPF_F_LOCK} updates and lookups take that same lock.
 */
public interface BpfMap {

    /** The definition this map was created from. */
    MapDefinition definition();

    /** A process-wide id, like the kernel's map id (what map-in-map lookups return). */
    int id();

    default MapType type() {
        return definition().type();
    }

    default String name() {
        return definition().name();
    }

    default int keySize() {
        return definition().keySize();
    }

    default int valueSize() {
        return definition().valueSize();
    }

    default int maxEntries() {
        return definition().maxEntries();
    }

    /** User-space lookup: a copy of the value ({@code ENOENT} when the key is absent). */
    default byte[] lookup(byte[] key) {
        return lookup(key, MapFlags.BPF_ANY);
    }

    /** User-space lookup with {@code BPF_F_LOCK} or no flags. */
    byte[] lookup(byte[] key, long flags);

    /**
     * Program lookup ({@code bpf_map_lookup_elem}, {@code bpf_map_lookup_percpu_elem}): the live
     * storage of {@code cpu}'s value, or {@code null} when there is no element (or the type
     * gives programs no value pointer). {@code cpu} is ignored by maps that are not per-CPU.
     */
    ValueRef lookupRef(byte[] key, int cpu);

    /**
     * {@link #lookupRef(byte[], int)} with the key read in place: the {@link #keySize()} bytes of
     * {@code keys} from {@code offset} (a program's stack, say), not kept. A helper's lookup then
     * copies no key; the maps a program looks up on its hot path override this to read it there.
     */
    default ValueRef lookupRef(byte[] keys, int offset, int cpu) {
        return lookupRef(Arrays.copyOfRange(keys, offset, offset + keySize()), cpu);
    }

    /** {@link #lookupRef(byte[], int)} on CPU 0. */
    default ValueRef lookupRef(byte[] key) {
        return lookupRef(key, 0);
    }

    /** User-space update with {@link MapFlags#BPF_ANY}, {@code BPF_NOEXIST}, {@code BPF_EXIST}, optionally {@code | BPF_F_LOCK}. */
    void update(byte[] key, byte[] value, long flags);

    /**
     * Program update ({@code bpf_map_update_elem}): {@code value} is one value of
     * {@link #valueSize()} bytes; a per-CPU map writes it to {@code cpu} only (a new element's
     * other CPUs read zero).
     */
    void update(byte[] key, byte[] value, long flags, int cpu);

    /** User-space delete ({@code ENOENT} when absent, {@code EINVAL} for arrays, {@code EPERM} when frozen). */
    void delete(byte[] key);

    /**
     * The key after {@code key} in the map's iteration order; {@code null} asks for the first
     * key. {@code ENOENT} after the last key.
     */
    byte[] getNextKey(byte[] key);

    /**
     * Program delete ({@code bpf_map_delete_elem}): as {@link #delete} but without the
     * user-space permission checks, so it works on frozen and {@code BPF_F_RDONLY} maps.
     */
    void programDelete(byte[] key);

    /** Looks the element up and deletes it; for queues and stacks {@code key} is {@code null}. */
    byte[] lookupAndDelete(byte[] key);

    /** Queue, stack, bloom filter: adds a value ({@code BPF_EXIST} overwrites the oldest when full). */
    default void push(byte[] value, long flags) {
        throw new MapException(Errno.EINVAL, name(), "push", "not a queue, stack or bloom filter");
    }

    /** Queue, stack: removes and returns the next value ({@code ENOENT} when empty). */
    default byte[] pop() {
        throw new MapException(Errno.EINVAL, name(), "pop", "not a queue or stack");
    }

    /** Queue, stack: the next value without removing it; bloom filter: see its class. */
    default byte[] peek() {
        throw new MapException(Errno.EINVAL, name(), "peek", "not a queue or stack");
    }

    /** {@code BPF_MAP_FREEZE}: user space can no longer write ({@code EPERM}); programs still can. */
    void freeze();

    /** Whether {@link #freeze()} was called. */
    boolean isFrozen();

    /** Every key in {@link #getNextKey} order (a convenience over the user-space view). */
    default List<byte[]> keys() {
        List<byte[]> out = new ArrayList<>();
        byte[] k = null;
        int guard = 0;
        while (true) {
            try {
                k = getNextKey(k);
            } catch (MapException e) {
                if (e.errno() == Errno.ENOENT) {
                    return out;
                }
                throw e;
            }
            out.add(k);
            // an array never ends early and a hash restarts from the first key when a key vanishes
            if (++guard > Math.max(maxEntries(), 0) + 1L) {
                return out;
            }
        }
    }
}
