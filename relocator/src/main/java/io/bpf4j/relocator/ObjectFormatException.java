package io.bpf4j.relocator;

import io.bpf4j.isa.BpfException;

/**
 * An object libbpf refuses to open for its layout (a corrupted program symbol, a static
 * entry program, a bad license or version section). The message is libbpf's.
 */
public class ObjectFormatException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String section;
    private final String symbol;

    public ObjectFormatException(String message, String section, String symbol) {
        super(message);
        this.section = section;
        this.symbol = symbol;
    }

    /** The ELF section concerned, or null. */
    public String section() {
        return section;
    }

    /** The symbol concerned, or null. */
    public String symbol() {
        return symbol;
    }
}
