package io.bpf4j.isa;

import io.bpf4j.isa.text.BpftoolSyntax;

/** The text of one instruction for {@code toString()}: bpftool's xlated syntax, jumps relative to it. */
final class InstructionText {
    private static final BpftoolSyntax SYNTAX = BpftoolSyntax.defaults();

    private InstructionText() {}

    static String of(Instruction insn) {
        // bpftool prints "(bf) r0 = r2"; the opcode in parentheses is for dumps, not for one instruction
        return SYNTAX.format(0, insn).replaceFirst("^\\(\\w\\w\\) ", "");
    }
}
