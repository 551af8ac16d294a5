package io.bpf4j.isa.abi;

/**
 * Instruction forms a kernel's verifier may or may not accept, beyond the base (v1..v3) set; see
 * {@link KernelProfile#supports(InsnFeature)}. A form the kernel lacks is refused as an unknown or
 * reserved-field opcode (e.g. {@code unknown opcode %02x}, {@code BPF_JA uses reserved fields}).
 */
public enum InsnFeature {
    /** Sign-extending loads, {@code BPF_LDX | BPF_MEMSX} (v4, Linux 6.6). */
    LDSX,
    /** Sign-extending register moves, {@code BPF_MOV} with off 8/16/32 (v4, 6.6). */
    MOVSX,
    /** Signed division and modulo, {@code BPF_DIV}/{@code BPF_MOD} with off 1 (v4, 6.6). */
    SDIV_SMOD,
    /** Unconditional byte swap, {@code BPF_ALU64 | BPF_END} (v4, 6.6). */
    BSWAP,
    /** 32-bit-offset jump, {@code BPF_JMP32 | BPF_JA} with the offset in imm (v4, 6.6). */
    GOTOL,
    /** {@code may_goto}, {@code BPF_JMP | BPF_JCOND} with src 0 (6.9). */
    MAY_GOTO,
    /** {@code load_acquire}, {@code BPF_STX | BPF_ATOMIC} with imm 0x100 (6.15). */
    LOAD_ACQUIRE,
    /** {@code store_release}, {@code BPF_STX | BPF_ATOMIC} with imm 0x110 (6.15). */
    STORE_RELEASE,
    /** {@code addr_space_cast} for arena pointers, {@code BPF_MOV} with off 1 (6.9). */
    ADDR_SPACE_CAST,
    /** Indirect calls through a register, {@code BPF_JMP | BPF_CALL | BPF_X}: no Linux release accepts them. */
    CALLX,
    /** Indirect jumps through a register, {@code BPF_JMP | BPF_JA | BPF_X} with instruction-array maps (6.19). */
    GOTOX
}
