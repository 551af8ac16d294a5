/**
 * libbpf's open and relocate passes over an {@code io.bpf4j.elf} object: programs carved from
 * their sections, externs resolved, CO-RE ({@code io.bpf4j.relocator.core}), call and jump
 * tables ({@code io.bpf4j.relocator.tables}).
 */
module io.bpf4j.relocator {
    requires transitive io.bpf4j.isa;
    requires transitive io.bpf4j.elf;
    requires io.bpf4j.maps;
    requires org.slf4j;

    exports io.bpf4j.relocator;
    exports io.bpf4j.relocator.core;
    exports io.bpf4j.relocator.tables;
}
