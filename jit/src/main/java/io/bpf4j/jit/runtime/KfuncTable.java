package io.bpf4j.jit.runtime;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The kernel functions (kfuncs) the runtime implements, by name. A program's kfunc calls carry
 * the BTF id the loader resolved against the kernel's BTF; the loader maps each id to its name
 * ({@link io.bpf4j.jit.ProgramImage.Builder#kfunc}) and the engine calls the implementation
 * registered here under that name. Immutable; {@link #with} gives a copy with one more.
 * A kfunc receives r1 to r5 and returns r0 as a helper does.
 */
public final class KfuncTable {
    private static final KfuncTable EMPTY = new KfuncTable(new TreeMap<>());

    private final Map<String, Helper> byName;

    private KfuncTable(Map<String, Helper> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** A table with no kfuncs. */
    public static KfuncTable empty() {
        return EMPTY;
    }

    /** This table with {@code name} bound to {@code kfunc} (replacing any earlier binding). */
    public KfuncTable with(String name, Helper kfunc) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kfunc, "kfunc");
        Map<String, Helper> copy = new TreeMap<>(byName);
        copy.put(name, kfunc);
        return new KfuncTable(copy);
    }

    /** This table plus every kfunc of {@code other} (which wins where both bind a name). */
    public KfuncTable with(KfuncTable other) {
        Map<String, Helper> copy = new TreeMap<>(byName);
        copy.putAll(other.byName);
        return new KfuncTable(copy);
    }

    /** The implementation of the kfunc {@code name}, if the runtime has one. */
    public Optional<Helper> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The names of the implemented kfuncs, sorted. */
    public Set<String> names() {
        return byName.keySet();
    }
}
