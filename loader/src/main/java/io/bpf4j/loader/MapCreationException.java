package io.bpf4j.loader;

import io.bpf4j.isa.BpfException;

/**
 * {@link BpfObject#load} could not create a map (an unknown map type, a size the map type does
 * not allow, a prog_array slot naming a program that was not loaded). The message reads as
 * libbpf's: {@code map 'counts': failed to create: ...}.
 */
public final class MapCreationException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String map;

    MapCreationException(String map, String message, Throwable cause) {
        super(message, cause);
        this.map = map;
    }

    /** The name of the map that could not be created. */
    public String map() {
        return map;
    }
}
