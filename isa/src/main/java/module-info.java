/**
 * The BPF instruction set and the kernel's BPF ABI as data: instructions and their codecs,
 * disassembly text, the conformance assembler, program/map/helper vocabulary and per-instruction
 * facts. Depends on nothing but {@code java.base}.
 */
module io.bpf4j.isa {
    exports io.bpf4j.isa;
    exports io.bpf4j.isa.abi;
    exports io.bpf4j.isa.asm;
    exports io.bpf4j.isa.facts;
    exports io.bpf4j.isa.text;
}
