package io.bpf4j.relocator.core;

import io.bpf4j.isa.Instructions;
import java.util.List;

/**
 * The CO-RE relocations applied to one program's own instructions.
 *
 * @param instructions the patched instructions (same slot layout as the input)
 * @param results      one result per relocation applied, in record order
 * @param log          libbpf's debug and warning lines for the whole program, in order
 */
public record CoreRelocation(Instructions instructions, List<CoreReloResult> results, List<String> log) {
    public CoreRelocation {
        results = List.copyOf(results);
        log = List.copyOf(log);
    }
}
