package io.bpf4j.elf.spec;

import io.bpf4j.isa.BpfException;

/**
 * A declaration in an object (a map, a global-data section, an extern) that libbpf would
 * refuse at open. The message is libbpf's; {@link #entity()} names the map or extern and
 * {@link #section()} the ELF section it was declared in, when known.
 */
public class DeclarationException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String entity;
    private final String section;

    public DeclarationException(String message, String entity, String section) {
        super(message);
        this.entity = entity;
        this.section = section;
    }

    /** The map or extern the declaration is about, or null when the problem is not about one. */
    public String entity() {
        return entity;
    }

    /** The ELF section of the declaration, or null when unknown. */
    public String section() {
        return section;
    }
}
