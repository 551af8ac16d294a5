/**
 * BPF maps in process with the kernel's semantics. The implementations
 * ({@code io.bpf4j.maps.impl}) are not exported: maps are made by {@code MapFactory}.
 */
module io.bpf4j.maps {
    requires transitive io.bpf4j.isa;

    exports io.bpf4j.maps;
}
