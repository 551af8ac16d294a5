package io.bpf4j.verifier;

/**
 * The capabilities the kernel latches at the start of {@code bpf_check()}; each one changes
 * verdicts (see the kernel notes, section 8). {@link #ROOT} is what a root loader has.
 *
 * @param allowPtrLeaks   CAP_PERFMON: pointers may be stored, compared, returned, spilled and read back
 * @param bypassSpecV1    CAP_PERFMON or mitigations off: no speculative paths, variable stack offsets allowed
 * @param bypassSpecV4    CAP_PERFMON or mitigations off: no store barriers (no verdict effect)
 * @param allowUninitStack CAP_PERFMON: reading never-written stack bytes is allowed
 * @param bpfCapable      CAP_BPF: back-edges, bpf-to-bpf calls, precision tracking
 */
public record Privileges(boolean allowPtrLeaks, boolean bypassSpecV1, boolean bypassSpecV4,
                         boolean allowUninitStack, boolean bpfCapable) {
    /** Everything allowed: root, or CAP_BPF + CAP_PERFMON. */
    public static final Privileges ROOT = new Privileges(true, true, true, true, true);
    /**
     * Nothing allowed: a user without CAP_BPF and CAP_PERFMON on a kernel with Spectre
     * mitigations, when {@code kernel.unprivileged_bpf_disabled} is 0 (the {@code _unpriv} runs of
     * the kernel's selftests). Only socket filters and cgroup skb programs load.
     */
    public static final Privileges UNPRIVILEGED = new Privileges(false, false, false, false, false);
}
