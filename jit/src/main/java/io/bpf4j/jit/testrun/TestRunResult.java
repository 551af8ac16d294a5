package io.bpf4j.jit.testrun;

/**
 * What {@code BPF_PROG_TEST_RUN} gives back.
 *
 * @param retval     the program's return value (the kernel reports the low 32 bits)
 * @param dataOut    the packet after the last run, as the kernel copies it out (XDP from
 *                   data_meta, socket filters with the 14 link-layer bytes zeroed), or
 *                   {@code null} for types without a packet
 * @param ctxOut     the context after the last run as the kernel converts it back, or
 *                   {@code null}
 * @param durationNs nanoseconds per run, averaged over the repeats
 */
public record TestRunResult(long retval, byte[] dataOut, byte[] ctxOut, long durationNs) {}
