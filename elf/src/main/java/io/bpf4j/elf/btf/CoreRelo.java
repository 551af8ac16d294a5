package io.bpf4j.elf.btf;

/**
 * A {@code bpf_core_relo} record of {@code .BTF.ext}.
 *
 * @param insnOffset         the byte offset of the instruction to patch in its ELF section
 * @param typeId             the local root type
 * @param accessStringOffset the BTF string offset of the access string
 * @param accessString       the access string, e.g. {@code "0:1:3"}
 * @param kind               what to compute
 */
public record CoreRelo(long insnOffset, int typeId, long accessStringOffset, String accessString, CoreReloKind kind) {
    /** {@return the instruction slot index (offset / 8)} */
    public long insnIndex() { return insnOffset / 8; }
}
