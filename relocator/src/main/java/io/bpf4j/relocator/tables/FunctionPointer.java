package io.bpf4j.relocator.tables;

/**
 * An {@code ld_imm64} of a function's address ({@code BPF_PSEUDO_FUNC}, libbpf's
 * RELO_SUBPROG_ADDR): a callback of {@code bpf_loop}, {@code bpf_for_each_map_elem}, a timer,
 * or a function pointer later called with {@code callx}.
 *
 * @param slot       the slot of the {@code ld_imm64}
 * @param targetSlot the callee's first slot ({@code slot + imm + 1})
 * @param function   the callee's name
 */
public record FunctionPointer(int slot, int targetSlot, String function) {}
