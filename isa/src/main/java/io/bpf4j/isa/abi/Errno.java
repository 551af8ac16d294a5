package io.bpf4j.isa.abi;

/**
 * The Linux error numbers bpf4j reports, as the kernel's BPF code returns them
 * ({@code <asm-generic/errno-base.h>}, {@code errno.h}), with the text {@code strerror(3)} gives
 * for them on glibc. The one place errno values are written down.
 *
 * <p>Helper implementations return {@link #negated()} to a program; map operations, test runs
 * and program loads carry the constant in their exceptions; libbpf-style results are
 * {@code -number()}.
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    ESRCH(3, "No such process"),
    EINTR(4, "Interrupted system call"),
    E2BIG(7, "Argument list too long"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    ENODEV(19, "No such device"),
    EINVAL(22, "Invalid argument"),
    ENOSPC(28, "No space left on device"),
    ERANGE(34, "Numerical result out of range"),
    EOPNOTSUPP(95, "Operation not supported"),
    ETIMEDOUT(110, "Connection timed out"),
    /** What libbpf's CO-RE returns for a relocation it found inconsistent. */
    EUCLEAN(117, "Structure needs cleaning"),
    /** The kernel-internal "not supported" (524) that some map operations leak to user space. */
    ENOTSUPP(524, "Unknown error 524");

    private final int number;
    private final String description;

    Errno(int number, String description) {
        this.number = number;
        this.description = description;
    }

    /** The positive error number ({@code ENOENT} is 2). */
    public int number() {
        return number;
    }

    /** What a BPF helper returns for this error: {@code -number()}. */
    public int negated() {
        return -number;
    }

    /** The glibc {@code strerror} text, as bpftool prints it. */
    public String description() {
        return description;
    }

    /** The constant for a positive error number, or {@code null} when bpf4j does not know it. */
    public static Errno ofNumber(int number) {
        for (Errno e : values()) {
            if (e.number == number) {
                return e;
            }
        }
        return null;
    }

    /** The constant whose {@link #description()} is {@code text}, or {@code null}. */
    public static Errno ofDescription(String text) {
        for (Errno e : values()) {
            if (e.description.equals(text)) {
                return e;
            }
        }
        return null;
    }
}
