package io.bpf4j.relocator.tables;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a relocated program can reach indirectly: the functions whose address it loads, the
 * call tables and jump tables it uses (one instruction-array map each) and the loads of their
 * addresses. A verifier takes the targets of {@code callx} and {@code gotox} from here; a dump
 * names callees and table maps from here.
 *
 * @param functionPointers every {@code BPF_PSEUDO_FUNC} load, in slot order
 * @param tables           the program's table maps, in order of first reference
 * @param references       every load of a table's address, in slot order
 */
public record IndirectTargets(List<FunctionPointer> functionPointers, List<TableMap> tables,
                              List<TableReference> references) {
    /** A program without function pointers or tables. */
    public static final IndirectTargets NONE = new IndirectTargets(List.of(), List.of(), List.of());

    public IndirectTargets {
        functionPointers = List.copyOf(functionPointers);
        tables = List.copyOf(tables);
        references = List.copyOf(references);
    }

    /** The call-table maps. */
    public List<TableMap> callTables() {
        return tables.stream().filter(t -> t.kind() == TableKind.CALL_TABLE).toList();
    }

    /** The jump-table maps. */
    public List<TableMap> jumpTables() {
        return tables.stream().filter(t -> t.kind() == TableKind.JUMP_TABLE).toList();
    }

    /**
     * The functions that can be called indirectly: every function whose address the program
     * loads and every call-table entry, in order of first appearance.
     */
    public Set<String> indirectlyCallable() {
        Set<String> out = new LinkedHashSet<>();
        functionPointers.forEach(f -> out.add(f.function()));
        for (TableMap t : callTables()) {
            t.entries().forEach(e -> out.add(e.function()));
        }
        return out;
    }

    /** The call tables that hold {@code function}. */
    public List<TableMap> callTablesHolding(String function) {
        List<TableMap> out = new ArrayList<>();
        for (TableMap t : callTables()) {
            if (t.entries().stream().anyMatch(e -> e.function().equals(function))) {
                out.add(t);
            }
        }
        return out;
    }

    /** The table whose address the {@code ld_imm64} at {@code slot} loads. */
    public Optional<TableMap> tableLoadedAt(int slot) {
        for (TableReference r : references) {
            if (r.slot() == slot) {
                return Optional.of(tables.get(r.table()));
            }
        }
        return Optional.empty();
    }

    /** The function pointer loaded at {@code slot}. */
    public Optional<FunctionPointer> functionPointerAt(int slot) {
        return functionPointers.stream().filter(f -> f.slot() == slot).findFirst();
    }

    /**
     * The targets of a {@code gotox} inside the function spanning slots
     * {@code [functionStart, functionEnd)}, by the kernel's rule ({@code visit_gotox_insn}): the
     * sorted union of the entries of every jump table whose smallest entry lies in that function.
     */
    public TreeSet<Integer> gotoxTargets(int functionStart, int functionEnd) {
        TreeSet<Integer> out = new TreeSet<>();
        for (TableMap t : jumpTables()) {
            TreeSet<Integer> d = t.distinctTargets();
            if (!d.isEmpty() && d.first() >= functionStart && d.first() < functionEnd) {
                out.addAll(d);
            }
        }
        return out;
    }
}
