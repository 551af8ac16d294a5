package io.bpf4j.loader;

import io.bpf4j.isa.BpfException;

/**
 * A user-space map operation on a loaded {@link BpfMap} failed as the kernel's {@code bpf()}
 * map commands fail: {@code E2BIG} for a full map, {@code EEXIST} for {@link BpfMap#BPF_NOEXIST}
 * on a present key, {@code EPERM} for a write to a frozen map, {@code EINVAL} for a key or value
 * of the wrong size. A missing key is not an error: lookups return an empty {@code Optional}.
 */
public final class MapOperationException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String map;
    private final String operation;
    private final int errno;

    MapOperationException(String map, String operation, int errno, String message, Throwable cause) {
        super(message, cause);
        this.map = map;
        this.operation = operation;
        this.errno = errno;
    }

    /** The map's name. */
    public String map() {
        return map;
    }

    /** The operation that failed: {@code lookup}, {@code update}, {@code delete} or {@code get_next_key}. */
    public String operation() {
        return operation;
    }

    /** The positive errno the kernel would return ({@code EINVAL} 22, {@code E2BIG} 7, {@code EPERM} 1, ...). */
    public int errno() {
        return errno;
    }
}
