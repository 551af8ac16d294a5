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
 * @param targets    per entry: its key, target slot and the function at or around it, and after load
 *                   where the instruction is in the program that runs
 * @param engine     after load, the engine that runs the program ({@code compiled} or
 *                   {@code interpreter}), whose positions {@code jitted_off} gives; {@code null} before
 */
public record TableInfo(String program, String map, String kind, String table, String mapType, int maxEntries,
                        long mapExtra, List<Integer> loads, List<Target> targets, String engine) {
    /**
     * One entry, with the instruction array value's offsets once the program is loaded (the
     * kernel fills them after its verifier and JIT; {@code null} before load).
     *
     * @param key          the entry's key
     * @param slot         the target slot in the relocated program ({@code orig_off})
     * @param function     the callee (call table) or the function holding the target (jump table)
     * @param xlatedOff    {@code xlated_off}: the instruction's index in the program that runs (bpf4j
     *                     runs the relocated instructions, so the slot)
     * @param jittedOff    {@code jitted_off}: for compiled code, the offset of the instruction's first
     *                     bytecode in {@code jittedMethod}; for the interpreter, the slot
     * @param jittedMethod the generated method holding the instruction ({@code f<k>}, or
     *                     {@code c<k>_<n>} for a chunk of a split function); {@code null} for the interpreter
     */
    public record Target(int key, int slot, String function, Integer xlatedOff, Integer jittedOff, String jittedMethod) {
        /** An entry of a program not loaded (no offsets yet). */
        public Target(int key, int slot, String function) {
            this(key, slot, function, null, null, null);
        }
    }

    /** The same table before load, without engine and offsets. */
    public TableInfo(String program, String map, String kind, String table, String mapType, int maxEntries,
                     long mapExtra, List<Integer> loads, List<Target> targets) {
        this(program, map, kind, table, mapType, maxEntries, mapExtra, loads, targets, null);
    }
}
