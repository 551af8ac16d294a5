package io.bpf4j.loader;

import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.relocator.FunctionEntry;
import io.bpf4j.relocator.MapReference;
import io.bpf4j.relocator.tables.TableMap;
import java.util.List;
import io.bpf4j.relocator.RelocatedProgram;
import java.util.Map;

/** Turns a relocated program and the object's created maps into something the engine runs. */
final class ExecutableBuilder {
    private ExecutableBuilder() {}

    /**
     * The relocated program's map references carry the map's index in the object where libbpf
     * puts a file descriptor, so that index is the handle the engine resolves them by.
     */
    static Executable prepare(RelocatedProgram program, Map<Integer, BpfMap> maps, int objectMapCount, Engine engine,
            io.bpf4j.isa.facts.ProgramFacts facts) {
        ProgramImage.Builder image = ProgramImage.builder(program.instructions()).name(program.name()).facts(facts)
                .helpers(StandardHelpers.forProgramType(program.programType()))
                .functionStarts(program.functions().stream().mapToInt(FunctionEntry::startSlot).toArray());
        program.kfuncs().forEach(image::kfunc);
        java.util.Set<Integer> bound = new java.util.HashSet<>();
        // A program's call and jump tables follow the object's maps, in the order the relocator
        // made them; the engine sees them as instruction arrays of their target slots.
        List<TableMap> tables = program.indirect().tables();
        for (int k = 0; k < tables.size(); k++) {
            int handle = objectMapCount + k;
            if (maps.get(handle) != null && loadedAsMap(program, handle)) {
                // the explicit .maps call table: loaded as a map for bpf_map_lookup_elem, which gives its functions
                image.map(handle, maps.get(handle));
            } else {
                image.instructionArray(handle, tables.get(k).targetSlots().stream().mapToInt(Integer::intValue).toArray());
            }
            bound.add(handle);
        }
        for (MapReference ref : program.mapReferences()) {
            BpfMap map = maps.get(ref.mapIndex());
            if (map != null && bound.add(ref.mapIndex())) {
                image.map(ref.mapIndex(), map);
            }
        }
        return engine.create().prepare(image.build());
    }

    /** Whether an ld_imm64 of the program loads map {@code handle} itself (BPF_PSEUDO_MAP_FD), not its value. */
    private static boolean loadedAsMap(RelocatedProgram program, int handle) {
        return program.mapReferences().stream().anyMatch(r -> r.mapIndex() == handle && !r.value());
    }
}
