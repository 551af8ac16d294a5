package io.bpf4j.maps;

/**
 * {@code BPF_MAP_TYPE_BLOOM_FILTER}: values are added with {@link #push} ({@code BPF_ANY}
 * only) and tested with {@link #mayContain}; there are no keys, no deletion and no iteration.
 * False positives are possible, false negatives are not. {@code map_extra} (low 4 bits) is the
 * number of hash functions; 0 means the kernel's default of 5.
 */
public interface BloomFilter extends BpfMap {
    /** {@code bpf_map_peek_elem}: whether {@code value} may have been pushed ({@code false} is certain). */
    boolean mayContain(byte[] value);
}
