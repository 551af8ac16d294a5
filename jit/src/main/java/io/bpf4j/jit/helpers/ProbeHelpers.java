package io.bpf4j.jit.helpers;

import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.Pointers;
import io.bpf4j.jit.runtime.Region;
import java.util.Arrays;

/**
 * The probe_read family. There is no kernel or user address space here: the "unsafe" source
 * must lie in one of the run's regions, and anything else reads as a fault the kernel would
 * also report: -EFAULT with the destination zeroed. The destination itself must be valid
 * memory of the program (the verifier guarantees that in the kernel), or the run faults.
 */
public final class ProbeHelpers {
    private ProbeHelpers() {}

    /** {@code table} plus probe_read(_str) and probe_read_kernel/user(_str). */
    public static HelperTable addTo(HelperTable table) {
        return table
                .with(HelperId.PROBE_READ, ProbeHelpers::probeRead)
                .with(HelperId.PROBE_READ_KERNEL, ProbeHelpers::probeRead)
                .with(HelperId.PROBE_READ_USER, ProbeHelpers::probeRead)
                .with(HelperId.PROBE_READ_STR, ProbeHelpers::probeReadStr)
                .with(HelperId.PROBE_READ_KERNEL_STR, ProbeHelpers::probeReadStr)
                .with(HelperId.PROBE_READ_USER_STR, ProbeHelpers::probeReadStr);
    }

    /** (dst, size, unsafe_ptr): 0, or -EFAULT with dst zeroed. */
    static long probeRead(HelperRuntime rt, long dst, long size, long unsafe, long r4, long r5) {
        int n = (int) size;
        Memory mem = rt.memory();
        if (n < 0) {
            return Errno.EINVAL.negated();
        }
        mem.check(dst, Math.max(n, 1), MemoryFault.Access.WRITE, rt.pc());
        Region src = mem.regionOf(unsafe);
        long off = Pointers.offset(unsafe);
        if (n > 0 && (src == null || off < 0 || off > src.length() - (long) n)) {
            mem.write(dst, new byte[n], rt.pc());
            return Errno.EFAULT.negated();
        }
        mem.write(dst, n == 0 ? new byte[0] : mem.read(unsafe, n, rt.pc()), rt.pc());
        return 0;
    }

    /**
     * (dst, size, unsafe_ptr): copies the string and its NUL, at most size bytes with the NUL;
     * returns the length including the NUL, or -EFAULT with dst zeroed.
     */
    static long probeReadStr(HelperRuntime rt, long dst, long size, long unsafe, long r4, long r5) {
        int n = (int) size;
        Memory mem = rt.memory();
        if (n <= 0) {
            return n == 0 ? 0 : Errno.EINVAL.negated();
        }
        mem.check(dst, n, MemoryFault.Access.WRITE, rt.pc());
        Region src = mem.regionOf(unsafe);
        long off = Pointers.offset(unsafe);
        if (src == null || off < 0 || off >= src.length()) {
            mem.write(dst, new byte[n], rt.pc());
            return Errno.EFAULT.negated();
        }
        byte[] s = mem.readCString(unsafe, n - 1, rt.pc());
        boolean terminated = s.length == n - 1 || off + s.length < src.length();
        if (!terminated) {
            mem.write(dst, new byte[n], rt.pc());
            return Errno.EFAULT.negated();
        }
        byte[] out = Arrays.copyOf(s, s.length + 1);
        mem.write(dst, out, rt.pc());
        return out.length;
    }
}
