package io.bpf4j.maps;

import io.bpf4j.isa.abi.Errno;
import io.bpf4j.isa.BpfException;

/**
 * A map operation or map creation that the kernel would refuse, with the errno it would return.
 *
 * <p>These are expected outcomes (a full hash, a missing key), so the exception records no
 * stack trace: a helper that turns it into {@code -errno} for a program pays little for it.
 */
public final class MapException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final String mapName;
    private final String operation;

    public MapException(Errno errno, String mapName, String operation, String detail) {
        super(message(errno, mapName, operation, detail), null);
        this.errno = errno;
        this.mapName = mapName;
        this.operation = operation;
    }

    private static String message(Errno errno, String mapName, String operation, String detail) {
        StringBuilder sb = new StringBuilder();
        sb.append("map '").append(mapName).append("': ").append(operation).append(": ");
        if (detail != null && !detail.isEmpty()) {
            sb.append(detail).append(": ");
        }
        return sb.append(errno.description()).append(" (").append(errno.name()).append(')').toString();
    }

    /** The kernel's error for this refusal. */
    public Errno errno() {
        return errno;
    }

    /** What a BPF helper returns to the program for this refusal ({@code -errno}). */
    public int helperReturn() {
        return errno.negated();
    }

    /** The name of the map, as given in its {@link MapDefinition}. */
    public String mapName() {
        return mapName;
    }

    /** The operation refused: {@code create}, {@code lookup}, {@code update}, {@code delete}, ... */
    public String operation() {
        return operation;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
