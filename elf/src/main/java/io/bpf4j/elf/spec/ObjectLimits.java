package io.bpf4j.elf.spec;

/**
 * What an object may make bpf4j hold before anything runs: the open-time half of bpf4j's
 * resource policy (the run-time half, memory held by live maps, is
 * {@code io.bpf4j.maps.MemoryBudget}).
 *
 * <p>Global-data sections become one-element array maps whose value is the section, so a
 * {@code .bss} declared as {@code NOBITS} costs nothing in the file and its whole size in
 * memory. Each such value must fit the kernel's rule for array values
 * ({@code array_map_alloc_check}: {@code value_size > INT_MAX} is {@code -E2BIG}), and their sum
 * must fit {@link #maxGlobalData()}. A {@code .bss} image is not allocated at open
 * ({@link MapSpec#initialData()} makes its zeros on demand).
 *
 * @param maxGlobalData the most bytes all global-data sections of one object ({@code .data*},
 *                      {@code .rodata*}, {@code .bss*}) may declare together; the default, 256 MiB,
 *                      is far above any real object's (a few MiB at most) and far below a
 *                      small build JVM's heap
 */
public record ObjectLimits(long maxGlobalData) {
    /** The largest value of an array map: {@code INT_MAX} ({@code array_map_alloc_check}). */
    public static final long MAX_VALUE_SIZE = Integer.MAX_VALUE;
    /** The default {@link #maxGlobalData()}: 256 MiB. */
    public static final long DEFAULT_MAX_GLOBAL_DATA = 256L << 20;

    public ObjectLimits {
        if (maxGlobalData < 0) {
            throw new IllegalArgumentException("maxGlobalData " + maxGlobalData + " is negative");
        }
    }

    /** {@return the default limits} */
    public static ObjectLimits defaults() {
        return new ObjectLimits(DEFAULT_MAX_GLOBAL_DATA);
    }

    /** {@return a copy with {@code bytes} as {@link #maxGlobalData()}} */
    public ObjectLimits withMaxGlobalData(long bytes) {
        return new ObjectLimits(bytes);
    }
}
