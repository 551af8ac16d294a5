package io.bpf4j.relocator.core;

import io.bpf4j.isa.BpfException;
import java.util.List;

/**
 * A CO-RE relocation that libbpf would refuse (not one it poisons): a malformed access
 * string, an ambiguous match, an instruction that does not hold the expected value, an
 * instruction form that cannot be patched. The message is libbpf's warning for it.
 */
public final class CoreRelocationException extends BpfException {
    private final String program;
    private final int reloIndex;
    private final int insnIndex;
    private final String errno;
    private final List<String> log;
    private final List<CoreReloResult> completed;

    CoreRelocationException(String message, String errno) {
        this(message, null, -1, -1, errno);
    }

    CoreRelocationException(String message, String program, int reloIndex, int insnIndex, String errno) {
        this(message, program, reloIndex, insnIndex, errno, List.of(), List.of());
    }

    private CoreRelocationException(String message, String program, int reloIndex, int insnIndex, String errno, List<String> log,
                                    List<CoreReloResult> completed) {
        super(message);
        this.program = program;
        this.reloIndex = reloIndex;
        this.insnIndex = insnIndex;
        this.errno = errno;
        this.log = List.copyOf(log);
        this.completed = List.copyOf(completed);
    }

    CoreRelocationException withContext(List<String> programLog, List<CoreReloResult> done) {
        CoreRelocationException e = new CoreRelocationException(getMessage(), program, reloIndex, insnIndex, errno, programLog, done);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** {@return libbpf's log lines for the program up to and including the failure} */
    public List<String> log() { return log; }

    /** {@return the program's relocations that succeeded before this one failed (for inspection)} */
    public List<CoreReloResult> completed() { return completed; }

    /** {@return the program name, or null when the failure is not about one program} */
    public String program() { return program; }

    /** {@return the relocation number ({@code relo #N}), or -1} */
    public int reloIndex() { return reloIndex; }

    /** {@return the instruction slot in the program, or -1 when not known} */
    public int insnIndex() { return insnIndex; }

    /** {@return the errno name libbpf returns, e.g. "EINVAL"} */
    public String errno() { return errno; }
}
