package io.bpf4j.jit.helpers;

import io.bpf4j.isa.abi.Errno;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.KfuncTable;
import io.bpf4j.jit.runtime.Memory;

/**
 * The numeric open-coded iterator, {@code struct bpf_iter_num} (Linux
 * {@code kernel/bpf/bpf_iter.c}): 8 bytes on the program's stack holding {@code int cur}
 * (the last value handed out) and {@code int end} (exclusive), both zero once the iterator is
 * drained, failed or destroyed. {@code int} arguments are the low 32 bits of their registers;
 * an {@code int} result is returned zero-extended, as the x86-64 kernel leaves it in r0.
 */
public final class IterKfuncs {
    private IterKfuncs() {}

    /** The kernel's cap on an iterator's length ({@code BPF_MAX_LOOPS}). */
    public static final long MAX_LOOPS = LoopHelpers.MAX_LOOPS;

    /** {@code table} with {@code bpf_iter_num_new}, {@code _next} and {@code _destroy} bound. */
    public static KfuncTable addTo(KfuncTable table) {
        return table.with("bpf_iter_num_new", IterKfuncs::numNew)
                .with("bpf_iter_num_next", IterKfuncs::numNext)
                .with("bpf_iter_num_destroy", IterKfuncs::numDestroy);
    }

    /** (it, start, end): -EINVAL when start > end, -E2BIG past BPF_MAX_LOOPS elements; else 0. */
    static long numNew(HelperRuntime rt, long it, long startReg, long endReg, long r4, long r5) {
        int start = (int) startReg;
        int end = (int) endReg;
        if (start > end) {
            set(rt, it, 0, 0);
            return Errno.EINVAL.negated() & 0xffff_ffffL;
        }
        if ((long) end - (long) start > MAX_LOOPS) {
            set(rt, it, 0, 0);
            return Errno.E2BIG.negated() & 0xffff_ffffL;
        }
        // next() increments before it hands out a value; start - 1 may wrap, as in the kernel
        set(rt, it, start - 1, end);
        return 0;
    }

    /** (it): a pointer to the next value (the iterator's own {@code cur}), or NULL once drained. */
    static long numNext(HelperRuntime rt, long it, long r2, long r3, long r4, long r5) {
        Memory m = rt.memory();
        int cur = (int) m.load32(it, rt.pc());
        int end = (int) m.load32(it + 4, rt.pc());
        // cur + 1 wraps in 32 bits before the comparison widens it (cur == end == INT_MAX)
        if ((long) (cur + 1) >= end) {
            set(rt, it, 0, 0);
            return 0;
        }
        m.store32(it, cur + 1, rt.pc());
        return it;
    }

    /** (it): clears the state. */
    static long numDestroy(HelperRuntime rt, long it, long r2, long r3, long r4, long r5) {
        set(rt, it, 0, 0);
        return 0;
    }

    private static void set(HelperRuntime rt, long it, int cur, int end) {
        rt.memory().store32(it, cur, rt.pc());
        rt.memory().store32(it + 4, end, rt.pc());
    }
}
