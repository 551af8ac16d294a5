package io.bpf4j.verifier.internal;

/**
 * Thrown by a check after it printed its message(s) to the log: the kernel's "print, return a
 * negative errno" idiom. Carries no text; the log knows the lines.
 */
final class Reject extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Reject() {
        super(null, null, false, false);
    }
}
