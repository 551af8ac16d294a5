package io.bpf4j.isa;

/**
 * The one unchecked root of every exception bpf4j throws on purpose.
 *
 * <p>Subclasses carry the place of the problem as typed fields (offset, section, program,
 * instruction index); the message follows libbpf's grammar: lowercase, chained with colons,
 * entity names in quotes.
 */
public class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BpfException(String message) {
        super(message);
    }

    public BpfException(String message, Throwable cause) {
        super(message, cause);
    }
}
