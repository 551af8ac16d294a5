package io.bpf4j.loader.internal;

import io.bpf4j.jit.Executable;
import io.bpf4j.loader.BpfProgram;

import java.util.Objects;
import java.util.function.Function;

/**
 * Not API: what bpf4j's own benchmarks reach below the loader's public types (a loaded
 * program's engine-level {@link Executable}, to time the engine without the test-run wrapper).
 * The package is not exported to users; it may change with any release.
 */
public final class LoaderInternals {
    private static volatile Function<BpfProgram, Executable> executables;

    private LoaderInternals() {}

    /** Called once by the loader when its classes initialise. */
    public static synchronized void install(Function<BpfProgram, Executable> executableOf) {
        if (executables != null) {
            throw new IllegalStateException("already installed");
        }
        executables = Objects.requireNonNull(executableOf);
    }

    /** The engine-level form of a loaded program. */
    public static Executable executable(BpfProgram program) {
        Function<BpfProgram, Executable> f = executables;
        if (f == null) {
            throw new IllegalStateException("the loader is not initialised");
        }
        return f.apply(program);
    }
}
