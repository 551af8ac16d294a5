/**
 * Disassembly text in the two dialects the BPF tools print.
 *
 * <ul>
 * <li>{@link io.bpf4j.isa.text.LlvmSyntax}: one instruction as {@code llvm-objdump-19 -d}
 *     prints it, including {@code <unknown>} for what LLVM 19 cannot decode;
 *     {@link io.bpf4j.isa.text.ObjdumpListing}: a whole {@code llvm-objdump-19 -dr} listing
 *     from plain records an ELF reader fills (sections, symbols, relocations).</li>
 * <li>{@link io.bpf4j.isa.text.BpftoolSyntax}: {@code bpftool prog dump xlated} lines, with the
 *     names bpftool looks up supplied through {@link io.bpf4j.isa.text.BpftoolSyntax.Symbols}.</li>
 * </ul>
 */
package io.bpf4j.isa.text;
