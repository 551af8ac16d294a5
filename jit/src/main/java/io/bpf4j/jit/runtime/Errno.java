package io.bpf4j.jit.runtime;

/** The Linux errno values helpers return (negated), from {@code <asm-generic/errno-base.h>}. */
public final class Errno {
    private Errno() {}

    public static final int ENOENT = 2;
    public static final int E2BIG = 7;
    public static final int EFAULT = 14;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;
}
