package io.bpf4j.maps;

/**
 * {@code BPF_MAP_TYPE_ARRAY_OF_MAPS} and {@code BPF_MAP_TYPE_HASH_OF_MAPS}: values are maps.
 *
 * <p>User-space updates write a u32 map id (resolved through {@link MapFactory#map(int)}) and
 * lookups return the inner map's id. An inner map must match the definition's inner template
 * as the kernel's {@code map_meta_equal} requires (type, key size, value size, flags; max
 * entries too for arrays unless the template has {@code BPF_F_INNER_MAP}), else {@code EINVAL}.
 */
public interface MapOfMaps extends BpfMap {
    /** Program lookup: the inner map at {@code key}, or {@code null}. */
    BpfMap innerMap(byte[] key);

    /** Stores {@code inner} at {@code key} with the usual update flags. */
    void setInnerMap(byte[] key, BpfMap inner, long flags);
}
