package io.bpf4j.jit.testrun;

/**
 * What {@code BPF_PROG_TEST_RUN} takes ({@code union bpf_attr.test}).
 *
 * @param dataIn the packet (XDP, TC, socket filter), or {@code null}
 * @param ctxIn  the context bytes ({@code struct xdp_md}, {@code struct __sk_buff}, syscall
 *               argument, raw tracepoint u64 arguments, {@code struct pt_regs}), or {@code null}
 * @param repeat how many times to run (0 means 1), for the averaged duration
 * @param cpu    the CPU the program sees (per-CPU values, {@code bpf_get_smp_processor_id})
 * @param flags  {@code BPF_F_TEST_*} flags
 */
public record TestRunInput(byte[] dataIn, byte[] ctxIn, int repeat, int cpu, int flags) {
    /** {@code BPF_F_TEST_RUN_ON_CPU}. */
    public static final int BPF_F_TEST_RUN_ON_CPU = 1;
    /** {@code BPF_F_TEST_XDP_LIVE_FRAMES}. */
    public static final int BPF_F_TEST_XDP_LIVE_FRAMES = 2;
    /** {@code BPF_F_TEST_SKB_CHECKSUM_COMPLETE}. */
    public static final int BPF_F_TEST_SKB_CHECKSUM_COMPLETE = 4;

    /** A run over {@code data} once, no context. */
    public static TestRunInput ofData(byte[] data) {
        return new TestRunInput(data, null, 1, 0, 0);
    }

    /** A run with only a context once. */
    public static TestRunInput ofContext(byte[] ctx) {
        return new TestRunInput(null, ctx, 1, 0, 0);
    }

    public TestRunInput withCtx(byte[] ctx) {
        return new TestRunInput(dataIn, ctx, repeat, cpu, flags);
    }

    public TestRunInput withRepeat(int n) {
        return new TestRunInput(dataIn, ctxIn, n, cpu, flags);
    }

    public TestRunInput withCpu(int c) {
        return new TestRunInput(dataIn, ctxIn, repeat, c, flags);
    }

    public TestRunInput withFlags(int f) {
        return new TestRunInput(dataIn, ctxIn, repeat, cpu, f);
    }
}
