package io.bpf4j.loader;

import java.util.List;

/**
 * What {@link BpfProgram#testRun} gives back, as {@code BPF_PROG_TEST_RUN} does, plus the lines
 * the program printed.
 *
 * @param retval     the program's return value (the kernel reports the low 32 bits:
 *                   {@link #retval32()})
 * @param dataOut    the packet after the last run, as the kernel copies it out (XDP from
 *                   data_meta, socket filters with the 14 link-layer bytes zeroed), or
 *                   {@code null} for types without a packet
 * @param ctxOut     the context after the last run as the kernel converts it back, or {@code null}
 * @param durationNs nanoseconds per run, averaged over the repeats (syscall programs: the kernel
 *                   measures none and reports 0; bpf4j reports what it measured)
 * @param trace      what {@code bpf_printk}/{@code bpf_trace_printk} printed during the runs, one
 *                   line per call without the trailing newline, as {@code bpftool prog tracelog}
 *                   shows the message part
 */
public record TestRunResult(long retval, byte[] dataOut, byte[] ctxOut, long durationNs, List<String> trace) {
    /** Copies the trace list. */
    public TestRunResult {
        trace = List.copyOf(trace);
    }

    /** The return value as the kernel reports it: the low 32 bits, unsigned. */
    public long retval32() {
        return retval & 0xffffffffL;
    }
}
