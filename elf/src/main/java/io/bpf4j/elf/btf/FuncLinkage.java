package io.bpf4j.elf.btf;

/** The linkage of a FUNC (held in its vlen field). */
public enum FuncLinkage {
    STATIC, GLOBAL, EXTERN;

    /** {@return the name bpftool prints: static, global or extern} */
    public String displayName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
