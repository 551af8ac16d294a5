package io.bpf4j.relocator.tables;

import io.bpf4j.elf.spec.MapSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.TreeSet;

/**
 * The instruction-array map ({@code BPF_MAP_TYPE_INSN_ARRAY}, 34; INSN_SET in the first
 * versions of the kernel series) the loader makes for one table in one entry program: libbpf
 * 1.7's {@code create_jt_map} for a jump table, bpf4j's call table for a {@code SEC("callx")}
 * array. The entries are slots of that relocated program; a table used by two programs gives
 * two maps.
 *
 * @param index   the map's index among the program's tables
 * @param kind    call table or jump table
 * @param table   the table's symbol ({@code calculon_ops}, {@code BPF.JT.1.0})
 * @param spec    the map as created: key 4, value 16 ({@code struct bpf_insn_array_value}),
 *                {@code max_entries} = entries, {@code map_extra} = {@code BPF_F_CALL_TABLE} for a
 *                call table, 0 for a jump table
 * @param entries the entries, by key
 */
public record TableMap(int index, TableKind kind, String table, MapSpec spec, List<TableEntry> entries) {
    /** {@code sizeof(struct bpf_insn_array_value)}. */
    public static final int VALUE_SIZE = 16;

    public TableMap {
        entries = List.copyOf(entries);
    }

    /** The map's name ({@code .jumptables} for every jump table, as libbpf names them). */
    public String name() {
        return spec.name();
    }

    /** The target slots, by key ({@code orig_off} of each entry). */
    public List<Integer> targetSlots() {
        return entries.stream().map(TableEntry::targetSlot).toList();
    }

    /** The sorted distinct target slots: the successor set the kernel derives from the map. */
    public TreeSet<Integer> distinctTargets() {
        return new TreeSet<>(targetSlots());
    }

    /**
     * The value of entry {@code key} as user space writes it: {@code {orig_off, xlated_off = 0,
     * jitted_off = 0, pad}} in {@code order}.
     */
    public byte[] value(int key, ByteOrder order) {
        return ByteBuffer.allocate(VALUE_SIZE).order(order).putInt(entries.get(key).targetSlot()).array();
    }
}
