package io.bpf4j.elf;

/**
 * A well-formed ELF file that is not something bpf4j reads: not ELFCLASS64, not a relocatable
 * object, or built for a machine other than {@code EM_BPF}.
 */
public final class NotBpfObjectException extends MalformedObjectException {
    private static final long serialVersionUID = 1L;

    public NotBpfObjectException(String message) {
        super("elf: " + message, null, -1, 0);
    }
}
