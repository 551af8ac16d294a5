/**
 * Reading BPF ELF objects: {@link io.bpf4j.elf.ElfObject#read(byte[])} gives an immutable model
 * of sections, symbols, REL relocations (with implicit addends) and the parsed {@code .BTF} and
 * {@code .BTF.ext}. Damaged input ends in a {@link io.bpf4j.elf.MalformedObjectException} or a
 * {@link io.bpf4j.elf.btf.MalformedBtfException}, both {@link io.bpf4j.isa.BpfException}s.
 */
package io.bpf4j.elf;
