package io.bpf4j.relocator;

import io.bpf4j.relocator.core.CoreRelocation;
import java.util.List;
import java.util.Map;

/**
 * An object after CO-RE ({@link Relocator#relocateCore}), the third phase: externs resolved and
 * every autoloaded program's and subprogram's own instructions patched against the target BTF,
 * ready for call linking and data relocation ({@link Relocator#relocate(CoreRelocatedObject, String)}).
 */
public final class CoreRelocatedObject {
    private final ObjectSpec object;
    private final Map<String, CoreRelocation> programs;
    private final List<String> log;
    final ExternResolver.Resolved externs;

    CoreRelocatedObject(ObjectSpec object, Map<String, CoreRelocation> programs, List<String> log,
                        ExternResolver.Resolved externs) {
        this.object = object;
        this.programs = Map.copyOf(programs);
        this.log = List.copyOf(log);
        this.externs = externs;
    }

    /** The object with patched program instructions (same slot layout). */
    public ObjectSpec object() {
        return object;
    }

    /** What CO-RE did to each program and subprogram that had records, by name. */
    public Map<String, CoreRelocation> programs() {
        return programs;
    }

    /** libbpf's CO-RE debug lines for the whole object, in order. */
    public List<String> log() {
        return log;
    }

    @Override
    public String toString() {
        return "CoreRelocatedObject[" + object.name() + ", " + programs.size() + " programs relocated]";
    }
}
