package io.bpf4j.jit.testrun;

import io.bpf4j.isa.BpfException;

/** A test run the kernel's {@code BPF_PROG_TEST_RUN} would refuse, with the errno it would give. */
public final class TestRunException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String program;
    private final int errno;

    public TestRunException(String program, int errno, String detail) {
        super("prog '" + program + "': test run: " + detail);
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
