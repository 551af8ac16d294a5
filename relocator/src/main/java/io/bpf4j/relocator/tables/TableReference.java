package io.bpf4j.relocator.tables;

/**
 * An {@code ld_imm64} of a relocated program that loads a table's address: relocated into a
 * map-value load ({@code BPF_PSEUDO_MAP_VALUE}) of the program's table map.
 *
 * @param slot        the slot of the {@code ld_imm64}
 * @param table       the index of the map in {@link IndirectTargets#tables()}
 * @param valueOffset the byte offset into the map value ({@code insn[1].imm}); element
 *                    {@code valueOffset / 8}
 */
public record TableReference(int slot, int table, int valueOffset) {}
