package io.bpf4j.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The running kernel as an unprivileged user sees it, for the {@code _unpriv} judgements:
 * {@code kernel.unprivileged_bpf_disabled} is 2 on this machine ("disabled, but an admin may
 * set it to 0"), so root lowers it to 0 for the duration of {@link #enabled} and puts the old
 * value back in a {@code finally} (and a JVM shutdown hook, should the JVM be stopped
 * meanwhile); the harness process then runs as {@code nobody} with no capabilities at all
 * ({@code setpriv}, util-linux). A value of 1 cannot be lowered until reboot: unprivileged
 * verdicts cannot be observed then ({@link #unavailableReason}).
 */
public final class UnprivilegedBpf {
    private static final Path SYSCTL = Path.of("/proc/sys/kernel/unprivileged_bpf_disabled");
    /** The command prefix that runs a program as nobody without capabilities. */
    private static final List<String> DROP = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all");
    private static final Object LOCK = new Object();

    private UnprivilegedBpf() {
    }

    /**
     * Why unprivileged BPF cannot be observed here (not root, no sysctl, a value of 1, no
     * setpriv), or null.
     */
    public static String unavailableReason() {
        if (!Files.isReadable(SYSCTL)) {
            return SYSCTL + " does not exist";
        }
        String v = read();
        if (!v.equals("0") && !v.equals("2")) {
            return "kernel.unprivileged_bpf_disabled=" + v + ": only a reboot enables unprivileged BPF";
        }
        if (!v.equals("0") && !Files.isWritable(SYSCTL)) {
            return "kernel.unprivileged_bpf_disabled=" + v + " and the sysctl is not writable here (not root, or a container)";
        }
        try {
            if (Exec.run(List.of("setpriv", "--version")).exit() == 0) {
                return null;
            }
        } catch (UncheckedIOException e) {
            // not installed
        }
        return "setpriv (util-linux) is not installed";
    }

    /** {@code command} as it runs without privileges. */
    public static List<String> unprivileged(List<String> command) {
        List<String> out = new ArrayList<>(DROP);
        out.addAll(command);
        return out;
    }

    /**
     * Runs {@code body} with {@code kernel.unprivileged_bpf_disabled} at 0 and puts the old value
     * back afterwards, whatever happens. Calls do not overlap (one JVM-wide lock).
     */
    public static <T> T enabled(Supplier<T> body) {
        synchronized (LOCK) {
            String old = read();
            if (old.equals("0")) {
                return body.get();
            }
            Thread restore = new Thread(() -> write(old), "restore unprivileged_bpf_disabled");
            Runtime.getRuntime().addShutdownHook(restore);
            try {
                write("0");
                return body.get();
            } finally {
                write(old);
                Runtime.getRuntime().removeShutdownHook(restore);
            }
        }
    }

    private static String read() {
        try {
            return Files.readString(SYSCTL, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String value) {
        try {
            Files.writeString(SYSCTL, value + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set " + SYSCTL + " to " + value, e);
        }
    }
}
