package io.bpf4j.elf.btf;

/**
 * A {@code bpf_func_info} record of {@code .BTF.ext}.
 *
 * @param insnOffset the byte offset of the function's first instruction in its ELF section
 * @param typeId     the function's BTF FUNC type
 */
public record FuncInfo(long insnOffset, int typeId) {
    /** {@return the instruction slot index (offset / 8)} */
    public long insnIndex() { return insnOffset / 8; }
}
