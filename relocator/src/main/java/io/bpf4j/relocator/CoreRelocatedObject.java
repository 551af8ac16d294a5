package io.bpf4j.relocator;

import io.bpf4j.relocator.core.CoreRelocation;
import java.util.List;
import java.util.Map;

/**
 * An object after CO-RE ({@link Relocator#relocateCore}): every autoloaded program's and
 * subprogram's own instructions patched against the target BTF, ready for call linking and
 * data relocation.
 *
 * @param object   the object with patched program instructions (same slot layout)
 * @param programs what CO-RE did to each program and subprogram that had records, by name
 * @param log      libbpf's CO-RE debug lines for the whole object, in order
 */
public record CoreRelocatedObject(ObjectSpec object, Map<String, CoreRelocation> programs, List<String> log) {
    public CoreRelocatedObject {
        programs = Map.copyOf(programs);
        log = List.copyOf(log);
    }
}
