package io.bpf4j.cli;

import io.bpf4j.isa.BpfException;

/** A rejected input, with the file name already in front of the library's message. */
final class CliException extends BpfException {
    private static final long serialVersionUID = 1L;

    CliException(String message, Throwable cause) {
        super(message, cause);
    }

    CliException(String message) {
        super(message);
    }
}
