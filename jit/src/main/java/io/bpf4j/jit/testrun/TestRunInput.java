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
 * @param warmup runs before the timed repeats that the duration does not count (a bpf4j
 *               extension: HotSpot compiles a program's code only after it has run a while);
 *               each on a fresh copy of the input, so the result is that of {@code repeat} runs,
 *               but maps see the warm-up runs too. 0 (the kernel's way) counts everything.
 */
public record TestRunInput(byte[] dataIn, byte[] ctxIn, int repeat, int cpu, int flags, int warmup) {
    public TestRunInput {
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must not be negative: " + warmup);
        }
    }

    /** A run without warm-up, as the kernel takes it. */
    public TestRunInput(byte[] dataIn, byte[] ctxIn, int repeat, int cpu, int flags) {
        this(dataIn, ctxIn, repeat, cpu, flags, 0);
    }

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
        return new TestRunInput(dataIn, ctx, repeat, cpu, flags, warmup);
    }

    public TestRunInput withRepeat(int n) {
        return new TestRunInput(dataIn, ctxIn, n, cpu, flags, warmup);
    }

    public TestRunInput withCpu(int c) {
        return new TestRunInput(dataIn, ctxIn, repeat, c, flags, warmup);
    }

    public TestRunInput withFlags(int f) {
        return new TestRunInput(dataIn, ctxIn, repeat, cpu, f, warmup);
    }

    /** This input with {@code n} uncounted warm-up runs first. */
    public TestRunInput withWarmup(int n) {
        return new TestRunInput(dataIn, ctxIn, repeat, cpu, flags, n);
    }
}
