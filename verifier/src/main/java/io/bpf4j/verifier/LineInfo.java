package io.bpf4j.verifier;

/**
 * One BTF line_info record: the source line an instruction (slot index) comes from. The log
 * prints {@code ; <sourceText trimmed> @ <file basename>:<line>} as the kernel does.
 */
public record LineInfo(int insnOffset, String fileName, int line, int column, String sourceText) {
}
