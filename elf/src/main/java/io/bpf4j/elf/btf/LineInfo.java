package io.bpf4j.elf.btf;

/**
 * A {@code bpf_line_info} record of {@code .BTF.ext}.
 *
 * @param insnOffset     the byte offset of the instruction in its ELF section
 * @param fileNameOffset the BTF string offset of the file name
 * @param fileName       the source file name
 * @param lineOffset     the BTF string offset of the source line text
 * @param line           the source line text
 * @param lineNumber     {@code line_col >> 10}
 * @param column         {@code line_col & 0x3ff}
 */
public record LineInfo(long insnOffset, long fileNameOffset, String fileName, long lineOffset, String line, int lineNumber, int column) {
    /** {@return the instruction slot index (offset / 8)} */
    public long insnIndex() { return insnOffset / 8; }
}
