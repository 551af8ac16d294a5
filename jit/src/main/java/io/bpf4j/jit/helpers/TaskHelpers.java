package io.bpf4j.jit.helpers;

import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.TaskContext;
import java.nio.charset.StandardCharsets;

/** Helpers that report the current task and CPU, from {@link TaskContext}, and the random source. */
public final class TaskHelpers {
    private TaskHelpers() {}

    /** {@code table} plus get_prandom_u32, get_smp_processor_id, get_current_pid_tgid, _uid_gid and _comm. */
    public static HelperTable addTo(HelperTable table) {
        return table
                .with(HelperId.GET_PRANDOM_U32, (rt, a, b, c, d, e) -> rt.random().nextInt() & 0xffff_ffffL)
                .with(HelperId.GET_SMP_PROCESSOR_ID, (rt, a, b, c, d, e) -> rt.task().cpu() & 0xffff_ffffL)
                .with(HelperId.GET_CURRENT_PID_TGID,
                        (rt, a, b, c, d, e) -> (long) rt.task().tgid() << 32 | (rt.task().pid() & 0xffff_ffffL))
                .with(HelperId.GET_CURRENT_UID_GID,
                        (rt, a, b, c, d, e) -> (long) rt.task().gid() << 32 | (rt.task().uid() & 0xffff_ffffL))
                .with(HelperId.GET_CURRENT_COMM, (rt, buf, size, c, d, e) -> currentComm(rt, buf, (int) size));
    }

    /** Copies at most size - 1 bytes of comm (itself at most 15), NUL-terminated and zero-padded, as strscpy_pad. */
    static long currentComm(HelperRuntime rt, long buf, int size) {
        if (size <= 0) {
            return Errno.EINVAL.negated();
        }
        rt.memory().check(buf, size, MemoryFault.Access.WRITE, rt.pc());
        byte[] comm = rt.task().comm().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size];
        int n = Math.min(Math.min(comm.length, TaskContext.COMM_LEN - 1), size - 1);
        System.arraycopy(comm, 0, out, 0, n);
        rt.memory().write(buf, out, rt.pc());
        return 0;
    }
}
