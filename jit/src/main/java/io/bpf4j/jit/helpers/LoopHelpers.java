package io.bpf4j.jit.helpers;

import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.HelperTable;

/** bpf_loop: calls a callback of the program up to nr_loops times. */
public final class LoopHelpers {
    private LoopHelpers() {}

    /** The kernel's cap on nr_loops ({@code BPF_MAX_LOOPS}). */
    public static final long MAX_LOOPS = 8L * 1024 * 1024;

    public static HelperTable addTo(HelperTable table) {
        return table.with(HelperId.LOOP, LoopHelpers::loop);
    }

    /**
     * (nr_loops, callback_fn, callback_ctx, flags): calls {@code callback(i, ctx)} for i from 0
     * until it returns nonzero or nr_loops calls were made; returns the number of calls.
     */
    static long loop(HelperRuntime rt, long nrLoops, long callback, long ctx, long flags, long r5) {
        long n = nrLoops & 0xffff_ffffL;
        if (flags != 0) {
            return Errno.EINVAL.negated();
        }
        if (n > MAX_LOOPS) {
            return Errno.E2BIG.negated();
        }
        for (long i = 0; i < n; i++) {
            if (rt.callFunction(callback, i, ctx, 0, 0, 0) != 0) {
                return i + 1;
            }
        }
        return n;
    }
}
