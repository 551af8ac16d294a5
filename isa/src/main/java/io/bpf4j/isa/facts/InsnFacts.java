package io.bpf4j.isa.facts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The facts known about one instruction: an immutable map from {@link FactKey} to value. */
public final class InsnFacts {

    private static final InsnFacts EMPTY = new InsnFacts(Map.of());

    private final Map<FactKey<?>, Object> values;

    private InsnFacts(Map<FactKey<?>, Object> values) {
        this.values = values;
    }

    public static InsnFacts empty() {
        return EMPTY;
    }

    public <T> Optional<T> get(FactKey<T> key) {
        return Optional.ofNullable(key.cast(values.get(key)));
    }

    /** The value, or {@code dflt} when the fact is absent. */
    public <T> T getOrDefault(FactKey<T> key, T dflt) {
        Object v = values.get(key);
        return v == null ? dflt : key.cast(v);
    }

    public boolean has(FactKey<?> key) {
        return values.containsKey(key);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public Set<FactKey<?>> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** A copy with {@code key} set to {@code value} (replacing an earlier value). */
    public <T> InsnFacts with(FactKey<T> key, T value) {
        Objects.requireNonNull(value, "value");
        Map<FactKey<?>, Object> m = new LinkedHashMap<>(values);
        m.put(key, key.cast(value));
        return new InsnFacts(Collections.unmodifiableMap(m));
    }

    /** A copy without {@code key}. */
    public InsnFacts without(FactKey<?> key) {
        if (!values.containsKey(key)) {
            return this;
        }
        Map<FactKey<?>, Object> m = new LinkedHashMap<>(values);
        m.remove(key);
        return m.isEmpty() ? EMPTY : new InsnFacts(Collections.unmodifiableMap(m));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InsnFacts f && f.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
