package io.bpf4j.verifier.internal;

/**
 * Thrown by a check after it printed its message(s) to the log: the kernel's "print, return a
 * negative errno" idiom. Carries no text; the log knows the lines.
 */
final class Reject extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Whether no speculative path may recover from it (a complexity limit, not a safety check). */
    final boolean fatal;

    Reject() {
        this(false);
    }

    Reject(boolean fatal) {
        super(null, null, false, false);
        this.fatal = fatal;
    }
}
