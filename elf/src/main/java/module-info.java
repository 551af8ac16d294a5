/**
 * BPF ELF objects, BTF and BTF.ext, and what an object declares ({@code io.bpf4j.elf.spec}).
 * jelf is read behind {@code io.bpf4j.elf.internal}, which is not exported: no jelf type
 * leaves this module.
 */
module io.bpf4j.elf {
    requires transitive io.bpf4j.isa;
    requires net.fornwall.jelf;
    requires org.slf4j;

    exports io.bpf4j.elf;
    exports io.bpf4j.elf.btf;
    exports io.bpf4j.elf.spec;
}
