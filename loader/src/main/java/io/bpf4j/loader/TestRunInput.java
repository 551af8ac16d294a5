package io.bpf4j.loader;

/**
 * What {@link BpfProgram#testRun} takes, as {@code BPF_PROG_TEST_RUN} takes it ({@code union
 * bpf_attr.test}). The context layout depends on the program type: XDP {@code struct xdp_md}
 * (24 bytes, optional), TC and socket filters {@code struct __sk_buff} (optional), syscall
 * programs the argument bytes the program reads through its context pointer, raw tracepoints
 * the u64 arguments, kprobes x86-64's {@code struct pt_regs} (168 bytes).
 *
 * <pre>{@code
 * prog.testRun(TestRunInput.ofData(frame));            // XDP, TC, socket filter: a packet
 * prog.testRun(TestRunInput.ofContext(new byte[16]));  // syscall: the argument bytes
 * prog.testRun(TestRunInput.empty());                  // no data and no context
 * }</pre>
 *
 * @param data    the packet (XDP, TC, socket filter), or {@code null}
 * @param context the context bytes, or {@code null}
 * @param repeat  how many times to run (0 means 1); the result's duration is the average
 * @param cpu     the CPU the program sees (per-CPU map values, {@code bpf_get_smp_processor_id})
 * @param flags   {@code BPF_F_TEST_*} flags ({@link #BPF_F_TEST_RUN_ON_CPU}, ...)
 * @param warmup  runs before the counted ones, on a fresh copy of the input, not counted in the
 *                duration (so that HotSpot has compiled the program's code); maps see them
 */
public record TestRunInput(byte[] data, byte[] context, int repeat, int cpu, int flags, int warmup) {
    /** {@code BPF_F_TEST_RUN_ON_CPU}: raw tracepoints run on {@link #cpu()} only with it. */
    public static final int BPF_F_TEST_RUN_ON_CPU = 1;
    /** {@code BPF_F_TEST_XDP_LIVE_FRAMES}. */
    public static final int BPF_F_TEST_XDP_LIVE_FRAMES = 2;
    /** {@code BPF_F_TEST_SKB_CHECKSUM_COMPLETE}. */
    public static final int BPF_F_TEST_SKB_CHECKSUM_COMPLETE = 4;

    /** Checks the numbers; the arrays are taken as they are (not copied). */
    public TestRunInput {
        if (repeat < 0) {
            throw new IllegalArgumentException("repeat must not be negative: " + repeat);
        }
        if (cpu < 0) {
            throw new IllegalArgumentException("cpu must not be negative: " + cpu);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must not be negative: " + warmup);
        }
    }

    /** An input without warm-up runs. */
    public TestRunInput(byte[] data, byte[] context, int repeat, int cpu, int flags) {
        this(data, context, repeat, cpu, flags, 0);
    }

    /** A run without data and without context, once (a syscall program then gets a NULL context, as in the kernel). */
    public static TestRunInput empty() {
        return new TestRunInput(null, null, 1, 0, 0);
    }

    /** A run over the packet {@code data} once, without context. */
    public static TestRunInput ofData(byte[] data) {
        return new TestRunInput(data, null, 1, 0, 0);
    }

    /** A run with only the context {@code context}, once. */
    public static TestRunInput ofContext(byte[] context) {
        return new TestRunInput(null, context, 1, 0, 0);
    }

    /** A run over a packet with a context, once. */
    public static TestRunInput of(byte[] data, byte[] context) {
        return new TestRunInput(data, context, 1, 0, 0);
    }

    /** This input with another packet. */
    public TestRunInput withData(byte[] newData) {
        return new TestRunInput(newData, context, repeat, cpu, flags, warmup);
    }

    /** This input with another context. */
    public TestRunInput withContext(byte[] newContext) {
        return new TestRunInput(data, newContext, repeat, cpu, flags, warmup);
    }

    /** This input run {@code n} times. */
    public TestRunInput withRepeat(int n) {
        return new TestRunInput(data, context, n, cpu, flags, warmup);
    }

    /** This input run on CPU {@code c}. */
    public TestRunInput withCpu(int c) {
        return new TestRunInput(data, context, repeat, c, flags, warmup);
    }

    /** This input with {@code BPF_F_TEST_*} flags {@code f}. */
    public TestRunInput withFlags(int f) {
        return new TestRunInput(data, context, repeat, cpu, f, warmup);
    }

    /** This input after {@code n} uncounted warm-up runs. */
    public TestRunInput withWarmup(int n) {
        return new TestRunInput(data, context, repeat, cpu, flags, n);
    }

    io.bpf4j.jit.testrun.TestRunInput toRuntime() {
        return new io.bpf4j.jit.testrun.TestRunInput(data, context, repeat, cpu, flags, warmup);
    }
}
