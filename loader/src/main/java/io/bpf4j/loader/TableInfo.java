package io.bpf4j.loader;

import java.util.List;

/**
 * What {@code inspect} shows of one table a program uses, as a plain record (JSON-able): the
 * instruction-array map the loader makes for it in that program and where its entries lead.
 *
 * @param program    the entry program
 * @param map        the map's name ({@code .jumptables} for jump tables, the table's name for call tables)
 * @param kind       {@code call_table} or {@code jump_table}
 * @param table      the table's symbol ({@code calculon_ops}, {@code BPF.JT.1.0})
 * @param mapType    {@code insn_array} (34)
 * @param maxEntries the number of entries
 * @param mapExtra   {@code map_extra}: 1 ({@code BPF_F_CALL_TABLE}) for a call table
 * @param loads      slots of the {@code ld_imm64} instructions that load the table's address
 * @param targets    per entry: its key, target slot and the function at or around it
 */
public record TableInfo(String program, String map, String kind, String table, String mapType, int maxEntries,
                        long mapExtra, List<Integer> loads, List<Target> targets) {
    /**
     * One entry.
     *
     * @param key      the entry's key
     * @param slot     the target slot in the relocated program
     * @param function the callee (call table) or the function holding the target (jump table)
     */
    public record Target(int key, int slot, String function) {}
}
