package io.bpf4j.jit.runtime;

/**
 * One helper function: receives r1 to r5 and returns r0. A helper reaches the program's memory
 * and environment only through {@code runtime}; a problem with its arguments that the kernel
 * would report as an error code is returned as that negative code, while one the verifier would
 * have rejected throws an {@link ExecutionFault}.
 */
@FunctionalInterface
public interface Helper {
    long call(HelperRuntime runtime, long r1, long r2, long r3, long r4, long r5);
}
