package io.bpf4j.relocator;

/**
 * The flags of a libbpf section definition ({@code sec_def.cookie}). They take effect when a
 * program is loaded, not when the object is opened.
 */
public enum SecFlag {
    /** Drop the expected attach type when the kernel does not know expected attach types. */
    EXP_ATTACH_OPT(1),
    /** Legacy marker used only by {@code libbpf_attach_type_by_name}. */
    ATTACHABLE(2),
    /** The attach target is a BTF object named by the text after the first {@code /}. */
    ATTACH_BTF(4),
    /** Loads with {@code BPF_F_SLEEPABLE}. */
    SLEEPABLE(8),
    /** An XDP program loads with {@code BPF_F_XDP_HAS_FRAGS}. */
    XDP_FRAGS(16),
    /** A USDT program; its attach type becomes uprobe-multi when the kernel has it. */
    USDT(32);

    private final int bit;

    SecFlag(int bit) {
        this.bit = bit;
    }

    /** The bit libbpf uses for this flag. */
    public int bit() {
        return bit;
    }
}
