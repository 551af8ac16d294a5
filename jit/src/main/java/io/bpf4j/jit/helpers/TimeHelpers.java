package io.bpf4j.jit.helpers;

import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.jit.runtime.HelperTable;

/** The clock helpers, reading {@link io.bpf4j.jit.runtime.BpfClock}. */
public final class TimeHelpers {
    private TimeHelpers() {}

    /** {@code table} plus ktime_get_ns, ktime_get_boot_ns, ktime_get_coarse_ns and jiffies64. */
    public static HelperTable addTo(HelperTable table) {
        return table
                .with(HelperId.KTIME_GET_NS, (rt, a, b, c, d, e) -> rt.clock().monotonicNanos())
                .with(HelperId.KTIME_GET_BOOT_NS, (rt, a, b, c, d, e) -> rt.clock().bootNanos())
                .with(HelperId.KTIME_GET_COARSE_NS, (rt, a, b, c, d, e) -> rt.clock().coarseNanos())
                .with(HelperId.JIFFIES64, (rt, a, b, c, d, e) -> rt.clock().jiffies());
    }
}
