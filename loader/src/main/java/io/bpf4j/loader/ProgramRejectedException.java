package io.bpf4j.loader;

import io.bpf4j.isa.BpfException;
import io.bpf4j.verifier.LineInfo;
import io.bpf4j.verifier.VerifierException;

/**
 * {@link BpfObject#load} refused a program because the verifier rejected it, as the kernel
 * would. The message reads as libbpf's:
 *
 * <pre>
 * prog 'xdp_main': BPF program load failed: Permission denied
 * prog 'xdp_main': -- BEGIN PROG LOAD LOG --
 * ...the kernel-format log...
 * -- END PROG LOAD LOG --
 * at xdp.bpf.c:42: if (eth + 1 > data_end)
 * </pre>
 *
 * (the last line only when the program has line info). The verifier's own exception is the
 * {@linkplain #getCause() cause} and {@link #verifierException()}.
 */
public final class ProgramRejectedException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String program;
    private final int errno;

    ProgramRejectedException(String program, int errno, VerifierException cause) {
        super(message(program, errno, cause), cause);
        this.program = program;
        this.errno = errno;
    }

    /** The program's name. */
    public String program() {
        return program;
    }

    /** The errno BPF_PROG_LOAD would fail with (EACCES, EINVAL, E2BIG...). */
    public int errno() {
        return errno;
    }

    /** The verifier's own exception (also the cause). */
    public VerifierException verifierException() {
        return (VerifierException) getCause();
    }

    /** Where in the C source the verifier stopped, when the object carries line info. */
    public java.util.Optional<SourceLocation> sourceLocation() {
        return verifierException().sourceLine().map(l -> new SourceLocation(l.fileName(), l.line(), l.sourceText()));
    }

    /**
     * Why, beyond the kernel's line: the instructions on the failing path that made the offending
     * value, with their source lines, and what would make the program acceptable (also at the end
     * of the message). Empty for a rejection of the program as a whole (its layout).
     */
    public java.util.Optional<RejectionExplanation> explanation() {
        return verifierException().explanation().map(RejectionExplanation::of);
    }

    /** The kernel's error line. */
    public String kernelMessage() {
        return verifierException().kernelMessage();
    }

    private static String message(String program, int errno, VerifierException e) {
        StringBuilder sb = new StringBuilder("prog '").append(program).append("': BPF program load failed: ")
                .append(KernelErrno.text(errno));
        String log = e.log();
        if (log != null && !log.isEmpty()) {
            sb.append("\nprog '").append(program).append("': -- BEGIN PROG LOAD LOG --\n").append(log);
            if (!log.endsWith("\n")) {
                sb.append('\n');
            }
            sb.append("-- END PROG LOAD LOG --");
        } else {
            sb.append("\n").append(e.kernelMessage());
        }
        if (e.sourceLine().isPresent()) {
            LineInfo l = e.sourceLine().get();
            String file = l.fileName() == null ? "" : l.fileName().substring(l.fileName().lastIndexOf('/') + 1);
            sb.append("\nat ").append(file).append(':').append(l.line()).append(": ").append(l.sourceText().strip());
        }
        e.explanation().filter(x -> !x.slice().isEmpty())
                .ifPresent(x -> sb.append('\n').append(RejectionExplanation.of(x).render().stripTrailing()));
        return sb.toString();
    }
}
