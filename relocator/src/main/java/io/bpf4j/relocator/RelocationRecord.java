package io.bpf4j.relocator;

/**
 * One relocation as libbpf records it for a program ({@code struct reloc_desc}), classified at
 * open and applied at relocation.
 *
 * @param kind        what the relocation does
 * @param slot        the instruction slot it patches, relative to its program
 * @param symbol      the symbol name (the section name for a section symbol)
 * @param symbolIndex the symbol's index in the symbol table
 * @param mapIndex    for {@link RelocationKind#LD64} and {@link RelocationKind#DATA}: the map's
 *                    index in {@link ObjectSpec#maps()}; else -1
 * @param symbolOffset libbpf's {@code sym_off}: the symbol's value (0 for LD64)
 * @param externIndex for extern relocations: the index in {@link ObjectSpec#externs()}; else -1
 */
public record RelocationRecord(RelocationKind kind, int slot, String symbol, int symbolIndex, int mapIndex,
                               long symbolOffset, int externIndex) {

    RelocationRecord shifted(int by) {
        return new RelocationRecord(kind, slot + by, symbol, symbolIndex, mapIndex, symbolOffset, externIndex);
    }
}
