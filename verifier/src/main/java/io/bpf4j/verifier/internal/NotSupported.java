package io.bpf4j.verifier.internal;

/** A feature this verifier does not model yet: the program is rejected naming it, never silently accepted. */
final class NotSupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotSupported(String feature) {
        super(feature, null, false, false);
    }
}
