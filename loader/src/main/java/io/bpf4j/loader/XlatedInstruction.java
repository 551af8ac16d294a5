package io.bpf4j.loader;

/**
 * One instruction of a relocated program with its fields, as {@code bpftool -j prog dump xlated}
 * gives them, plus the names bpftool cannot know.
 *
 * @param pc     the slot index (an {@code ld_imm64} takes two)
 * @param code   the opcode byte
 * @param dstReg the destination register
 * @param srcReg the source register (for {@code ld_imm64} and calls, the pseudo source)
 * @param off    the signed 16-bit offset
 * @param imm    the 32-bit immediate (the low half for {@code ld_imm64})
 * @param immHi  the high half of an {@code ld_imm64}'s immediate, else {@code null}
 * @param map    the name of the map an {@code ld_imm64} refers to, else {@code null}
 * @param callee the function a local call or a function address leads to, else {@code null}
 * @param disasm the instruction in bpftool's syntax, without the pc and the opcode
 */
public record XlatedInstruction(int pc, int code, int dstReg, int srcReg, int off, int imm, Integer immHi, String map,
                                String callee, String disasm) {}
