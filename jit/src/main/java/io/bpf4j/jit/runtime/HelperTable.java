package io.bpf4j.jit.runtime;

import io.bpf4j.isa.abi.HelperId;
import java.util.Arrays;
import java.util.Objects;

/**
 * The helpers a program may call, by kernel helper id. Immutable; {@link #with} gives a copy
 * with one more (or one replaced) helper.
 */
public final class HelperTable {
    private static final HelperTable EMPTY = new HelperTable(new Helper[0], new String[0]);

    private final Helper[] helpers;
    private final String[] names;

    private HelperTable(Helper[] helpers, String[] names) {
        this.helpers = helpers;
        this.names = names;
    }

    public static HelperTable empty() {
        return EMPTY;
    }

    /** This table with {@code id} bound to {@code helper}. */
    public HelperTable with(HelperId id, Helper helper) {
        return with(id.id(), id.helperName(), helper);
    }

    /** This table with the numeric {@code id} bound to {@code helper} under {@code name} (for ids outside the kernel's list). */
    public HelperTable with(int id, String name, Helper helper) {
        Objects.requireNonNull(helper, "helper");
        Objects.requireNonNull(name, "name");
        if (id < 0 || id > 0xffff) {
            throw new IllegalArgumentException("helper id out of range: " + id);
        }
        int n = Math.max(helpers.length, id + 1);
        Helper[] h = Arrays.copyOf(helpers, n);
        String[] s = Arrays.copyOf(names, n);
        h[id] = helper;
        s[id] = name;
        return new HelperTable(h, s);
    }

    /** This table plus every helper of {@code other} (which wins where both bind an id). */
    public HelperTable with(HelperTable other) {
        HelperTable t = this;
        for (int id = 0; id < other.helpers.length; id++) {
            if (other.helpers[id] != null) {
                t = t.with(id, other.names[id], other.helpers[id]);
            }
        }
        return t;
    }

    /** The helper bound to {@code id}, or {@code null}. */
    public Helper get(int id) {
        return id >= 0 && id < helpers.length ? helpers[id] : null;
    }

    /** The name {@code id} is bound under, else the kernel's name for it, else {@code #id}. */
    public String name(int id) {
        if (id >= 0 && id < names.length && names[id] != null) {
            return names[id];
        }
        HelperId known = HelperId.ofId(id);
        return known != null ? known.helperName() : "#" + id;
    }

    public boolean contains(int id) {
        return get(id) != null;
    }
}
