package io.bpf4j.jit.helpers;

import io.bpf4j.jit.runtime.KfuncTable;

/**
 * The kfuncs the runtime provides by itself, by name: the numeric iterators
 * ({@link IterKfuncs}) and the kfuncs that have no effect in a single-threaded run
 * ({@code bpf_rcu_read_lock/unlock}, {@code bpf_preempt_disable/enable}). Other kfunc sets
 * register here as they are written.
 */
public final class StandardKfuncs {
    private StandardKfuncs() {}

    private static final KfuncTable ALL = IterKfuncs.addTo(KfuncTable.empty())
            .with("bpf_rcu_read_lock", (rt, a, b, c, d, e) -> 0)
            .with("bpf_rcu_read_unlock", (rt, a, b, c, d, e) -> 0)
            .with("bpf_preempt_disable", (rt, a, b, c, d, e) -> 0)
            .with("bpf_preempt_enable", (rt, a, b, c, d, e) -> 0);

    /** Every kfunc the runtime implements. */
    public static KfuncTable all() {
        return ALL;
    }
}
