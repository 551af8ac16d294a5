package io.bpf4j.verifier;

/**
 * One BTF func_info record as the verifier needs it: where a function starts (in instruction
 * slots), its name, and whether its BTF linkage is global (globals are verified on their own).
 */
public record FuncInfo(int insnOffset, String name, boolean global) {
}
