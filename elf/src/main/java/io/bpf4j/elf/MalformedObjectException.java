package io.bpf4j.elf;

import io.bpf4j.isa.BpfException;
import java.util.Optional;

/**
 * An ELF object that cannot be read: it is truncated, inconsistent, or not a 64-bit BPF
 * relocatable object. Carries the section (when the problem is inside one) and the file offset
 * of the offending bytes (-1 when no single offset is to blame).
 */
public class MalformedObjectException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String sectionName;
    private final int sectionIndex;
    private final long fileOffset;

    public MalformedObjectException(String message, String sectionName, int sectionIndex, long fileOffset) {
        super(message);
        this.sectionName = sectionName;
        this.sectionIndex = sectionIndex;
        this.fileOffset = fileOffset;
    }

    public MalformedObjectException(String message, String sectionName, int sectionIndex, long fileOffset, Throwable cause) {
        super(message, cause);
        this.sectionName = sectionName;
        this.sectionIndex = sectionIndex;
        this.fileOffset = fileOffset;
    }

    /** An error about the file as a whole (its header or section header table). */
    public static MalformedObjectException ofFile(String message, long fileOffset) {
        return new MalformedObjectException("elf: " + message, null, -1, fileOffset);
    }

    /** {@return the name of the section holding the problem, if the problem is inside one} */
    public Optional<String> sectionName() {
        return Optional.ofNullable(sectionName);
    }

    /** {@return the index of the section holding the problem, or -1} */
    public int sectionIndex() {
        return sectionIndex;
    }

    /** {@return the file offset of the offending bytes, or -1} */
    public long fileOffset() {
        return fileOffset;
    }
}
