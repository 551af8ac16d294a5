package io.bpf4j.testdata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a tool of the kernel harness (bpftool, cc, python3, libbpf harnesses) and collects its output. */
public final class Exec {
    private Exec() {}

    /** What a process printed (stdout and stderr interleaved) and its exit status. */
    public record Result(int exit, String text) {
        /** The text, or an exception naming the command when it failed. */
        public String orThrow(List<String> cmd) {
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + exit + "): " + text);
            }
            return text;
        }
    }

    /** Runs {@code cmd} in the current directory with the inherited environment. */
    public static Result run(List<String> cmd) {
        return run(cmd, null, Map.of());
    }

    /** Runs {@code cmd} in {@code dir} (or the current one) with {@code env} added, at most 300 s. */
    public static Result run(List<String> cmd, Path dir, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[] out;
            try (InputStream s = p.getInputStream()) {
                out = s.readAllBytes();
            }
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a process printed on stdout and on stderr, kept apart, and its exit status. */
    public record Output(int exit, String out, String err) {}

    /** Runs {@code cmd} with stdout and stderr kept apart (bpftool's JSON on one, messages on the other), at most 300 s. */
    public static Output capture(List<String> cmd) {
        Path err = null;
        try {
            err = java.nio.file.Files.createTempFile("bpf4j-exec", ".err");
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            byte[] out;
            try (InputStream s = p.getInputStream()) {
                out = s.readAllBytes();
            }
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8), java.nio.file.Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (err != null) {
                err.toFile().delete();
            }
        }
    }

    /** Runs {@code cmd}; its output, or an exception when it exits non-zero. */
    public static String check(List<String> cmd) {
        return run(cmd).orThrow(cmd);
    }
}
