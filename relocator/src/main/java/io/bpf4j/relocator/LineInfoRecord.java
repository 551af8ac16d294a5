package io.bpf4j.relocator;

/**
 * A {@code bpf_line_info} record as handed to the kernel (slot offset within the relocated
 * program, string offsets, {@code line << 10 | column}) with its strings resolved.
 */
public record LineInfoRecord(int insnOffset, long fileNameOffset, long lineOffset, int lineCol, String fileName,
                             String line) {

    public int lineNumber() {
        return lineCol >>> 10;
    }

    public int column() {
        return lineCol & 0x3ff;
    }
}
