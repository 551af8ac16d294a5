package io.bpf4j.elf.btf;

/** The linkage of a VAR: {@code BTF_VAR_STATIC}, {@code BTF_VAR_GLOBAL_ALLOCATED}, {@code BTF_VAR_GLOBAL_EXTERN}. */
public enum VarLinkage {
    STATIC("static"), GLOBAL_ALLOCATED("global"), GLOBAL_EXTERN("extern");

    private final String displayName;

    VarLinkage(String displayName) { this.displayName = displayName; }

    /** {@return the name bpftool prints: static, global or extern} */
    public String displayName() { return displayName; }
}
