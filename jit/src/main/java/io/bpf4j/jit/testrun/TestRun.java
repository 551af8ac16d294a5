package io.bpf4j.jit.testrun;

import io.bpf4j.isa.abi.Errno;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.runtime.Packet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code BPF_PROG_TEST_RUN} in process: runs a program on a packet or context laid out as the
 * kernel's {@code net/bpf/test_run.c} lays it out for the program's type, with the same input
 * checks and errnos, and returns what the kernel returns.
 *
 * <pre>{@code
 * TestRunResult r = TestRun.of(executable, ProgramType.XDP).run(TestRunInput.ofData(frame));
 * }</pre>
 *
 * <p>Types: {@link ProgramType#XDP} (a 4 KiB page, {@value #XDP_PACKET_HEADROOM} bytes of
 * headroom, {@code struct xdp_md}), {@link ProgramType#SCHED_CLS}, {@link ProgramType#SCHED_ACT}
 * and {@link ProgramType#SOCKET_FILTER} ({@code struct __sk_buff}; the frame resolved against
 * the loopback device: protocol and pkt_type from the Ethernet header; a socket filter sees the
 * packet from the network header on), {@link ProgramType#SYSCALL} (the context bytes, written
 * back), {@link ProgramType#RAW_TRACEPOINT} (u64 arguments) and {@link ProgramType#KPROBE}
 * ({@code struct pt_regs} of x86-64; the kernel has no test run for kprobes, this is bpf4j's).
 * Any other type is refused.
 *
 * <p>Repeats run on the same packet and context, as in the kernel; the duration is the average
 * per run of the running thread's CPU time (wall-clock time where the JVM cannot measure it),
 * as the kernel's excludes the time its test loop spends rescheduled. {@code cpu} is the CPU the program sees; raw tracepoints
 * take it only with {@code BPF_F_TEST_RUN_ON_CPU}, as in the kernel, while the other types take
 * it as a bpf4j extension (the kernel runs them on the calling CPU). The kernel also refuses a
 * raw tracepoint context shorter than the program reads (the verifier's max_ctx_offset); without
 * a verifier here, such a run faults at the read.
 */
public final class TestRun {
    /** {@code XDP_PACKET_HEADROOM}. */
    public static final int XDP_PACKET_HEADROOM = 256;
    static final int PAGE_SIZE = 4096;
    /** {@code SKB_DATA_ALIGN(sizeof(struct skb_shared_info))} on x86-64: the tailroom of a test packet. */
    static final int SKB_SHARED_INFO = 320;
    /** {@code sizeof(struct xdp_frame)}: headroom the adjust helpers cannot take. */
    static final int XDP_FRAME_SIZE = 40;
    /** {@code NET_SKB_PAD + NET_IP_ALIGN} on x86-64: the headroom of a test socket buffer. */
    static final int SKB_HEADROOM = 64;
    static final int ETH_HLEN = 14;
    static final int SIZEOF_XDP_MD = 24;
    static final int SIZEOF_SK_BUFF = 192;
    static final int SIZEOF_PT_REGS = 168;
    static final int MAX_RAW_TP_ARGS = 12;

    private final Executable program;
    private final ProgramType type;
    private final Consumer<ExecutionContext> setup;
    private final java.time.Duration timeLimit;
    /** True for the warm-up of another run: its loop ends quietly after {@link #WARMUP_TIME_LIMIT_NANOS}. */
    private final boolean warmup;

    /** The longest a warm-up runs, whatever the number of runs asked for. */
    public static final long WARMUP_TIME_LIMIT_NANOS = 5_000_000_000L;

    private TestRun(Executable program, ProgramType type, Consumer<ExecutionContext> setup, java.time.Duration timeLimit, boolean warmup) {
        this.program = program;
        this.type = type;
        this.setup = setup;
        this.timeLimit = timeLimit;
        this.warmup = warmup;
    }

    /** A test run of {@code program} as a program of {@code type}, with no time limit. */
    public static TestRun of(Executable program, ProgramType type) {
        return new TestRun(Objects.requireNonNull(program, "program"), Objects.requireNonNull(type, "type"), c -> { }, null, false);
    }

    /** This test run with {@code setup} applied to each run's context first (clock, trace, budgets). */
    public TestRun withContextSetup(Consumer<ExecutionContext> contextSetup) {
        return new TestRun(program, type, Objects.requireNonNull(contextSetup, "contextSetup"), timeLimit, warmup);
    }

    /**
     * This test run with a wall-clock limit on its repeat loop: past it, the run stops between
     * two repetitions with a {@link TestRunException} ({@code ETIMEDOUT}). Without one (the
     * default) only an interrupt stops a long repeat loop: like the kernel's test loop on a
     * pending signal, the run then ends with {@code EINTR}.
     */
    public TestRun withTimeLimit(java.time.Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("time limit " + limit + " is not positive");
        }
        return new TestRun(program, type, setup, limit, warmup);
    }

    /**
     * Runs the program; throws {@link TestRunException} for input the kernel refuses. With
     * {@link TestRunInput#warmup()} runs, the types that repeat (XDP, socket buffers, kprobe)
     * first run that many times on a fresh copy of the input, uncounted, for at most
     * {@link #WARMUP_TIME_LIMIT_NANOS}; syscall and raw tracepoint programs run once, as in the kernel.
     */
    public TestRunResult run(TestRunInput in) {
        if (in.warmup() > 0 && type != ProgramType.SYSCALL && type != ProgramType.RAW_TRACEPOINT) {
            new TestRun(program, type, setup, timeLimit, true).dispatch(in.withRepeat(in.warmup()).withWarmup(0));
        }
        return dispatch(in);
    }

    private TestRunResult dispatch(TestRunInput in) {
        switch (type) {
            case XDP:
                return xdp(in);
            case SCHED_CLS:
            case SCHED_ACT:
                return skb(in, true);
            case SOCKET_FILTER:
                return skb(in, false);
            case SYSCALL:
                return syscall(in);
            case RAW_TRACEPOINT:
                return rawTracepoint(in);
            case KPROBE:
                return kprobe(in);
            default:
                throw new TestRunException(program.name(), Errno.ENOTSUPP.number(), "program type " + type.name().toLowerCase(java.util.Locale.ROOT)
                        + " has no test run");
        }
    }

    private TestRunException refuse(int errno, String why) {
        return new TestRunException(program.name(), errno, why);
    }

    private ExecutionContext newContext(TestRunInput in) {
        ExecutionContext c = program.newContext();
        c.setCpu(in.cpu());
        setup.accept(c);
        return c;
    }

    /**
     * The kernel's {@code bpf_test_run} loop: the context, packet and regions were set up once by
     * the caller; each run resets only what a run may change (the engine's run state and stack
     * frame, regions handed out during the run). The clock is read around the loop, and inside it
     * only when a time limit needs it.
     */
    private long[] runRepeated(ExecutionContext c, int repeat) {
        int n = Math.max(1, repeat);
        long ret = 0;
        long limitNanos = warmup ? WARMUP_TIME_LIMIT_NANOS : timeLimit == null ? Long.MAX_VALUE : saturatedNanos(timeLimit);
        boolean clocked = limitNanos != Long.MAX_VALUE;
        Thread self = Thread.currentThread();
        long cpuStart = threadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            // bpf_test_timer_continue: a pending signal ends the loop with -EINTR
            if (self.isInterrupted()) {
                throw refuse(Errno.EINTR.number(), "interrupted after " + i + " of " + n + " runs");
            }
            if (clocked && System.nanoTime() - start > limitNanos) {
                if (warmup) {
                    break;
                }
                throw refuse(Errno.ETIMEDOUT.number(), "time limit of " + timeLimit.toMillis() + " ms reached after " + i + " of " + n + " runs");
            }
            ret = program.run(c);
        }
        long elapsed = System.nanoTime() - start;
        long cpuEnd = threadCpuTime();
        if (cpuStart >= 0 && cpuEnd >= 0) {
            elapsed = cpuEnd - cpuStart;
        }
        return new long[] {ret & 0xffff_ffffL, Math.min(elapsed / n, 0xffff_ffffL)};
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * This thread's CPU time in ns, or -1 when the JVM cannot tell. The kernel's test loop stops
     * its clock while the task is rescheduled ({@code bpf_test_timer_leave} around
     * {@code cond_resched}), so the time the loop spends descheduled is not in its duration;
     * on a machine shared with other work, this thread's CPU time is the comparable figure.
     */
    private static long threadCpuTime() {
        try {
            return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    private static long saturatedNanos(java.time.Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static byte[] ctxCopy(byte[] ctxIn, int size, TestRun run) {
        byte[] ctx = new byte[size];
        if (ctxIn != null) {
            for (int i = size; i < ctxIn.length; i++) {
                if (ctxIn[i] != 0) {
                    throw run.refuse(Errno.E2BIG.number(), "ctx_in has " + ctxIn.length + " bytes, non-zero past the " + size + " of the context");
                }
            }
            System.arraycopy(ctxIn, 0, ctx, 0, Math.min(size, ctxIn.length));
        }
        return ctx;
    }

    // ---- XDP ----------------------------------------------------------------------------------

    private TestRunResult xdp(TestRunInput in) {
        if ((in.flags() & ~TestRunInput.BPF_F_TEST_XDP_LIVE_FRAMES) != 0) {
            throw refuse(Errno.EINVAL.number(), "unknown flags " + in.flags());
        }
        if ((in.flags() & TestRunInput.BPF_F_TEST_XDP_LIVE_FRAMES) != 0) {
            throw refuse(Errno.EINVAL.number(), "live frames need a device to transmit on");
        }
        byte[] data = in.dataIn() == null ? new byte[0] : in.dataIn();
        int tailroom = SKB_SHARED_INFO;
        int maxData = PAGE_SIZE - XDP_PACKET_HEADROOM - tailroom;
        int size = data.length;
        byte[] ctx = ctxCopy(in.ctxIn(), SIZEOF_XDP_MD, this);
        ByteBuffer md = ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN);
        int headroom = XDP_PACKET_HEADROOM;
        int metalen = 0;
        if (size < ETH_HLEN) {
            throw refuse(Errno.EINVAL.number(), "data_in of " + size + " bytes: an XDP test packet has at least " + ETH_HLEN + " bytes");
        }
        // the linear part: what fits the page, or (Linux 6.17+) what ctx_in's data_end says; the rest
        // goes to fragments the program does not see (no frags support here) and comes back unchanged
        int linear = Math.min(size, maxData);
        if (in.ctxIn() != null) {
            int mdData = md.getInt(0);
            int mdEnd = md.getInt(4);
            if (md.getInt(8) != 0 || Integer.compareUnsigned(mdEnd, size) > 0 || Integer.compareUnsigned(mdData, mdEnd) > 0
                    || (mdData & 3) != 0 || Integer.compareUnsigned(mdData, 255) > 0) {
                throw refuse(Errno.EINVAL.number(), "xdp_md data, data_end, data_meta do not describe data_in");
            }
            metalen = mdData;
            headroom -= metalen;
            linear = Math.min(mdEnd, maxData);
        }
        byte[] frags = Arrays.copyOfRange(data, linear, size);
        size = linear;
        int ingress = md.getInt(12);
        int rxQueue = md.getInt(16);
        if (md.getInt(20) != 0) {
            throw refuse(Errno.EINVAL.number(), "egress_ifindex must be 0");
        }
        if (ingress == 0 && rxQueue != 0) {
            throw refuse(Errno.EINVAL.number(), "rx_queue_index without ingress_ifindex");
        }
        if (ingress > 1) {
            throw refuse(Errno.ENODEV.number(), "no device with ifindex " + ingress + " (only loopback, 1)");
        }
        if (ingress == 1 && rxQueue != 0) {
            throw refuse(Errno.EINVAL.number(), "rx_queue_index " + rxQueue + " past the loopback device's one queue");
        }
        byte[] page = new byte[PAGE_SIZE];
        System.arraycopy(data, 0, page, headroom, size);
        ExecutionContext c = newContext(in);
        // the default receive queue is the loopback device's first
        md.putInt(12, 1);
        md.putInt(16, 0);
        long ctxPointer = c.setContext(ctx, false);
        c.setPacket(page, headroom, headroom + metalen, headroom + size);
        Packet p = c.packet();
        p.setLimits(XDP_FRAME_SIZE, PAGE_SIZE - tailroom);
        p.bindContextFields(ctxPointer, 8, 0, 4);
        long[] r = runRepeated(c, in.repeat());
        byte[] out = p.copy(p.meta(), p.end());
        if (frags.length > 0) {
            out = Arrays.copyOf(out, out.length + frags.length);
            System.arraycopy(frags, 0, out, out.length - frags.length, frags.length);
        }
        byte[] ctxOut = in.ctxIn() == null ? new byte[SIZEOF_XDP_MD] : ctx.clone();
        ByteBuffer o = ByteBuffer.wrap(ctxOut).order(ByteOrder.LITTLE_ENDIAN);
        o.putInt(0, p.data() - p.meta());
        o.putInt(4, p.end() - p.meta());
        if (in.ctxIn() == null) {
            o.putInt(12, 0);
        } else {
            o.putInt(12, ingress);
            o.putInt(16, rxQueue);
        }
        return new TestRunResult(r[0], out, ctxOut, r[1]);
    }

    // ---- socket buffers ---------------------------------------------------------------------

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private TestRunResult skb(TestRunInput in, boolean l2) {
        if ((in.flags() & ~TestRunInput.BPF_F_TEST_SKB_CHECKSUM_COMPLETE) != 0) {
            throw refuse(Errno.EINVAL.number(), "unknown flags " + in.flags());
        }
        byte[] data = in.dataIn() == null ? new byte[0] : in.dataIn();
        int maxData = PAGE_SIZE - SKB_HEADROOM - SKB_SHARED_INFO;
        if (data.length < ETH_HLEN || data.length > maxData) {
            throw refuse(Errno.EINVAL.number(), "data_in of " + data.length + " bytes: a socket buffer test packet has " + ETH_HLEN + " to " + maxData);
        }
        byte[] ctxIn = ctxCopy(in.ctxIn(), SIZEOF_SK_BUFF, this);
        // the fields user space may set: mark, priority, ingress_ifindex, ifindex, cb, tstamp, wire_len, gso_segs, gso_size, hwtstamp
        if (!zero(ctxIn, 0, 8) || !zero(ctxIn, 12, 32) || !zero(ctxIn, 44, 48) || !zero(ctxIn, 68, 152)
                || !zero(ctxIn, 168, 176) || !zero(ctxIn, 180, 184)) {
            throw refuse(Errno.EINVAL.number(), "__sk_buff sets a field a test run does not take");
        }
        ByteBuffer inb = ByteBuffer.wrap(ctxIn).order(ByteOrder.LITTLE_ENDIAN);
        int ifindex = inb.getInt(40);
        if (ifindex > 1) {
            throw refuse(Errno.ENODEV.number(), "no device with ifindex " + ifindex + " (only loopback, 1)");
        }
        byte[] buffer = new byte[PAGE_SIZE];
        System.arraycopy(data, 0, buffer, SKB_HEADROOM, data.length);
        int mac = SKB_HEADROOM;
        int network = mac + ETH_HLEN;
        int start = l2 ? mac : network;
        int end = mac + data.length;
        int len = end - start;
        int protocol = ethProtocol(data);
        if (protocol == 0x0800 && data.length - ETH_HLEN < 20 || protocol == 0x86dd && data.length - ETH_HLEN < 40) {
            throw refuse(Errno.EINVAL.number(), "data_in of " + data.length + " bytes is too short for its IP header");
        }
        int wireLen = inb.getInt(160);
        if (wireLen != 0 && (wireLen < len || wireLen > 65536)) {
            throw refuse(Errno.EINVAL.number(), "wire_len " + wireLen + " below the packet length " + len);
        }
        byte[] ctx = new byte[SIZEOF_SK_BUFF];
        ByteBuffer sk = ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN);
        sk.putInt(0, len);
        sk.putInt(4, pktType(data));
        sk.putInt(8, inb.getInt(8));
        sk.putInt(16, Short.toUnsignedInt(Short.reverseBytes((short) protocol)));
        sk.putInt(32, inb.getInt(32));
        sk.putInt(36, inb.getInt(36));
        sk.putInt(40, 1);
        System.arraycopy(ctxIn, 48, ctx, 48, 20);
        int family = protocol == 0x0800 ? 2 : protocol == 0x86dd ? 10 : 0;
        sk.putInt(88, family);
        if (family == 2 && data.length - ETH_HLEN >= 20) {
            System.arraycopy(data, ETH_HLEN + 16, ctx, 92, 4); // remote_ip4 = daddr
            System.arraycopy(data, ETH_HLEN + 12, ctx, 96, 4); // local_ip4 = saddr
        } else if (family == 10 && data.length - ETH_HLEN >= 40) {
            System.arraycopy(data, ETH_HLEN + 24, ctx, 100, 16);
            System.arraycopy(data, ETH_HLEN + 8, ctx, 116, 16);
        }
        sk.putLong(152, inb.getLong(152));
        // without ctx_in the kernel converts no __sk_buff, so wire_len (the qdisc cb's pkt_len) stays 0
        sk.putInt(160, in.ctxIn() == null ? 0 : wireLen != 0 ? wireLen : len);
        sk.putInt(164, inb.getInt(164));
        sk.putInt(176, inb.getInt(176));
        sk.putLong(184, inb.getLong(184));
        ExecutionContext c = newContext(in);
        long ctxPointer = c.setContext(ctx, true);
        c.setPacket(buffer, start, start, end);
        Packet p = c.packet();
        p.setMetaSupported(false);
        p.bindContextFields(ctxPointer, 140, 76, 80);
        long[] r = runRepeated(c, in.repeat());
        byte[] out;
        if (l2) {
            out = p.copy(p.data(), p.end());
        } else {
            out = new byte[ETH_HLEN + p.length()];
            System.arraycopy(p.buffer(), p.data(), out, ETH_HLEN, p.length());
        }
        byte[] ctxOut = new byte[SIZEOF_SK_BUFF];
        ByteBuffer o = ByteBuffer.wrap(ctxOut).order(ByteOrder.LITTLE_ENDIAN);
        o.putInt(8, sk.getInt(8));
        o.putInt(32, sk.getInt(32));
        o.putInt(36, sk.getInt(36));
        o.putInt(40, 1);
        System.arraycopy(ctx, 48, ctxOut, 48, 20);
        o.putLong(152, sk.getLong(152));
        o.putInt(160, sk.getInt(160));
        o.putInt(164, sk.getInt(164));
        o.putInt(176, sk.getInt(176));
        o.putLong(184, sk.getLong(184));
        return new TestRunResult(r[0], out, ctxOut, r[1]);
    }

    /** {@code eth_type_trans}'s protocol, host order. */
    static int ethProtocol(byte[] frame) {
        int proto = (frame[12] & 0xff) << 8 | (frame[13] & 0xff);
        if (proto >= 0x0600) {
            return proto;
        }
        if (frame.length >= ETH_HLEN + 2 && (frame[14] & 0xff) == 0xff && (frame[15] & 0xff) == 0xff) {
            return 0x0001; // ETH_P_802_3: raw 802.3
        }
        return 0x0004; // ETH_P_802_2
    }

    /** {@code eth_type_trans}'s pkt_type against the loopback device (address and broadcast all zero). */
    static int pktType(byte[] frame) {
        boolean zero = zero(frame, 0, 6);
        if (zero) {
            return 0; // PACKET_HOST
        }
        return (frame[0] & 1) != 0 ? 2 : 3; // PACKET_MULTICAST, PACKET_OTHERHOST
    }

    // ---- context-only types -----------------------------------------------------------------

    private void noPacket(TestRunInput in) {
        if (in.dataIn() != null) {
            throw refuse(Errno.EINVAL.number(), "data_in is not taken by " + type.name().toLowerCase(java.util.Locale.ROOT) + " programs");
        }
    }

    private TestRunResult syscall(TestRunInput in) {
        noPacket(in);
        if (in.repeat() > 1 || in.flags() != 0) {
            throw refuse(Errno.EINVAL.number(), "syscall programs take no repeat and no flags");
        }
        byte[] ctx = in.ctxIn() == null ? new byte[0] : in.ctxIn().clone();
        if (ctx.length > 0xffff) {
            throw refuse(Errno.EINVAL.number(), "ctx_in of " + ctx.length + " bytes exceeds 65535");
        }
        ExecutionContext c = newContext(in);
        if (ctx.length > 0) {
            c.setContext(ctx, true);
        } else {
            c.setArgs(0);
        }
        long[] r = runRepeated(c, 1);
        return new TestRunResult(r[0], null, ctx, 0);
    }

    private TestRunResult rawTracepoint(TestRunInput in) {
        noPacket(in);
        if (in.repeat() > 1) {
            throw refuse(Errno.EINVAL.number(), "raw tracepoint programs take no repeat");
        }
        if ((in.flags() & ~TestRunInput.BPF_F_TEST_RUN_ON_CPU) != 0) {
            throw refuse(Errno.EINVAL.number(), "unknown flags " + in.flags());
        }
        if ((in.flags() & TestRunInput.BPF_F_TEST_RUN_ON_CPU) == 0 && in.cpu() != 0) {
            throw refuse(Errno.EINVAL.number(), "cpu " + in.cpu() + " without BPF_F_TEST_RUN_ON_CPU");
        }
        byte[] ctx = in.ctxIn() == null ? new byte[0] : in.ctxIn().clone();
        if (ctx.length > MAX_RAW_TP_ARGS * 8 || ctx.length % 8 != 0) {
            throw refuse(Errno.EINVAL.number(), "ctx_in of " + ctx.length + " bytes: raw tracepoint arguments are up to " + MAX_RAW_TP_ARGS + " u64");
        }
        ExecutionContext c = newContext(in);
        c.setContext(ctx.length == 0 ? new byte[8] : ctx, false);
        long[] r = runRepeated(c, 1);
        return new TestRunResult(r[0], null, null, 0);
    }

    private TestRunResult kprobe(TestRunInput in) {
        noPacket(in);
        byte[] regs = ctxCopy(in.ctxIn(), SIZEOF_PT_REGS, this);
        ExecutionContext c = newContext(in);
        c.setContext(regs, false);
        long[] r = runRepeated(c, in.repeat());
        return new TestRunResult(r[0], null, Arrays.copyOf(regs, regs.length), r[1]);
    }
}
