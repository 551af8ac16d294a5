package io.bpf4j.isa.facts;

import java.util.Objects;

/**
 * A typed key for one kind of per-instruction fact. Keys compare by identity: two keys with the
 * same name are different keys, so a producer and a consumer must share the constant (the standard
 * ones are in {@link Facts}).
 *
 * @param <T> the type of the value stored under this key
 */
public final class FactKey<T> {

    private final String name;
    private final Class<T> type;

    private FactKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A new key; every call returns a distinct key. */
    public static <T> FactKey<T> of(String name, Class<T> type) {
        return new FactKey<>(name, type);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** Checks and casts a value for this key. */
    public T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
