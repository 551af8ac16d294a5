package io.bpf4j.loader;

import io.bpf4j.isa.BpfException;

/**
 * {@link BpfProgram#testRun} refused its input as the kernel's {@code BPF_PROG_TEST_RUN}
 * refuses it (a packet too short or too long, a context of the wrong size, a program type
 * without a test run), before the program ran. {@link #errno()} is what the kernel returns.
 */
public final class TestRunRefusedException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String program;
    private final int errno;

    TestRunRefusedException(String program, int errno, String message, Throwable cause) {
        super(message, cause);
        this.program = program;
        this.errno = errno;
    }

    /** The program's name. */
    public String program() {
        return program;
    }

    /** The positive errno the kernel returns for this input ({@code EINVAL} 22, {@code E2BIG} 7, ...). */
    public int errno() {
        return errno;
    }
}
