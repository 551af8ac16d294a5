package io.bpf4j.jit.runtime;

/** The time sources behind the time helpers; tests pass a fixed clock. */
public interface BpfClock {
    /** {@code bpf_ktime_get_ns}: CLOCK_MONOTONIC in nanoseconds. */
    long monotonicNanos();

    /** {@code bpf_ktime_get_boot_ns}: CLOCK_BOOTTIME (monotonic, counting suspend). */
    default long bootNanos() {
        return monotonicNanos();
    }

    /** {@code bpf_ktime_get_coarse_ns}: CLOCK_MONOTONIC_COARSE, a tick-resolution clock. */
    default long coarseNanos() {
        long tick = 1_000_000_000L / hz();
        return monotonicNanos() / tick * tick;
    }

    /** {@code bpf_jiffies64}: ticks since boot at {@link #hz()}. */
    default long jiffies() {
        return bootNanos() / (1_000_000_000L / hz());
    }

    /** The tick rate (the kernel's CONFIG_HZ); 250 is the common distribution setting. */
    default int hz() {
        return 250;
    }

    /** The JVM's monotonic clock ({@link System#nanoTime()}). */
    static BpfClock system() {
        return System::nanoTime;
    }

    /** A clock that always reads {@code nanos}. */
    static BpfClock fixed(long nanos) {
        return () -> nanos;
    }
}
