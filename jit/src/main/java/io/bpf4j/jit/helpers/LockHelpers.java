package io.bpf4j.jit.helpers;

import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.Region;
import io.bpf4j.jit.runtime.RegionKind;
import io.bpf4j.maps.SpinLocks;

/**
 * bpf_spin_lock and bpf_spin_unlock on the lock word inside a map value, through the maps
 * module's {@link SpinLocks}, the same word {@code BPF_F_LOCK} map operations take. The kernel's
 * verifier allows one lock held at a time and its release before exit; an unverified program
 * that breaks those rules faults here instead of deadlocking.
 */
public final class LockHelpers {
    private LockHelpers() {}

    private static final Object HELD = new Object();

    public static HelperTable addTo(HelperTable table) {
        return table
                .with(HelperId.SPIN_LOCK, (rt, lock, b, c, d, e) -> lock(rt, lock))
                .with(HelperId.SPIN_UNLOCK, (rt, lock, b, c, d, e) -> unlock(rt, lock));
    }

    private static Region lockRegion(HelperRuntime rt, long lock, HelperId helper) {
        Region r = rt.memory().check(lock, 4, MemoryFault.Access.ATOMIC, rt.pc());
        if (r.kind() != RegionKind.MAP_VALUE && r.kind() != RegionKind.GLOBAL_DATA) {
            throw new HelperFault(rt.pc(), helper.id(), helper.helperName() + " needs a lock in a map value, got a " + r.kind().label() + " pointer");
        }
        if ((Memory.index(r, lock) & 3) != 0) {
            throw new HelperFault(rt.pc(), helper.id(), helper.helperName() + " on a misaligned lock");
        }
        return r;
    }

    static long lock(HelperRuntime rt, long lock) {
        Region r = lockRegion(rt, lock, HelperId.SPIN_LOCK);
        if (rt.runState().containsKey(HELD)) {
            throw new HelperFault(rt.pc(), HelperId.SPIN_LOCK.id(), "bpf_spin_lock while a lock is already held");
        }
        SpinLocks.lock(r.bytes(), Memory.index(r, lock));
        rt.runState().put(HELD, lock);
        return 0;
    }

    static long unlock(HelperRuntime rt, long lock) {
        Region r = lockRegion(rt, lock, HelperId.SPIN_UNLOCK);
        Object held = rt.runState().get(HELD);
        if (held == null || (long) held != lock) {
            throw new HelperFault(rt.pc(), HelperId.SPIN_UNLOCK.id(), "bpf_spin_unlock of a lock this run does not hold");
        }
        SpinLocks.unlock(r.bytes(), Memory.index(r, lock));
        rt.runState().remove(HELD);
        return 0;
    }
}
