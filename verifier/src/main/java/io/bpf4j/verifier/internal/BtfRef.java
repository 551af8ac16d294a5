package io.bpf4j.verifier.internal;

/**
 * The BTF side of a {@code PTR_TO_BTF_ID} register: the struct's id in the input's BTF, its
 * name (what the state printer and messages show) and the kernel's type flags that matter
 * for BTF pointers.
 *
 * @param typeId the struct's BTF id (modifiers skipped)
 * @param name   the struct's name
 * @param flags  {@link #TRUSTED}, {@link #UNTRUSTED}, {@link #RCU}, {@link #USER}, {@link #PERCPU}
 */
record BtfRef(int typeId, String name, int flags) {
    static final int TRUSTED = 1;
    static final int UNTRUSTED = 2;
    static final int RCU = 4;
    static final int USER = 8;
    static final int PERCPU = 16;

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** reg_type_str's modifier prefixes, in its order. */
    String flagPrefix() {
        return (has(USER) ? "user_" : "") + (has(PERCPU) ? "percpu_" : "") + (has(RCU) ? "rcu_" : "")
                + (has(UNTRUSTED) ? "untrusted_" : "") + (has(TRUSTED) ? "trusted_" : "");
    }
}
