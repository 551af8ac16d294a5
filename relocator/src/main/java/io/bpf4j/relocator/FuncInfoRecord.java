package io.bpf4j.relocator;

/**
 * A {@code bpf_func_info} record as handed to the kernel: instruction (slot) offset within the
 * relocated program and the FUNC's BTF id.
 */
public record FuncInfoRecord(int insnOffset, int typeId) {}
