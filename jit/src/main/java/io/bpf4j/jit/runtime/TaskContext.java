package io.bpf4j.jit.runtime;

import java.util.Objects;

/**
 * The task a run pretends to happen in, as the {@code bpf_get_current_*} helpers report it.
 *
 * @param pid  the thread id (the kernel's {@code task->pid})
 * @param tgid the process id (the kernel's {@code task->tgid})
 * @param uid  the real user id
 * @param gid  the real group id
 * @param comm the command name; the kernel keeps at most 15 bytes plus NUL
 * @param cpu  what {@code bpf_get_smp_processor_id} returns
 */
public record TaskContext(int pid, int tgid, int uid, int gid, String comm, int cpu) {
    /** The kernel's {@code TASK_COMM_LEN}. */
    public static final int COMM_LEN = 16;

    public TaskContext {
        Objects.requireNonNull(comm, "comm");
    }

    /** A neutral default: pid and tgid 1, root, comm "bpf4j", cpu 0. */
    public static TaskContext defaults() {
        return new TaskContext(1, 1, 0, 0, "bpf4j", 0);
    }
}
