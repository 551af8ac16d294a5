package io.bpf4j.verifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * With {@code -Dbpf4j.statsReport=FILE}, every parity run appends the kernel's and bpf4j's
 * {@code processed ... insns} lines (tab-separated) to FILE: the measure of how closely
 * exploration and pruning follow the kernel's (precision tracking changes them, verdicts not).
 */
final class StatsRecorder {
    private StatsRecorder() {
    }

    static void record(String kernelLog, String bpf4jLog) {
        String file = System.getProperty("bpf4j.statsReport");
        if (file == null || file.isBlank()) {
            return;
        }
        String line = processed(kernelLog) + "\t" + processed(bpf4jLog) + "\n";
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String processed(String log) {
        if (log == null) {
            return "-";
        }
        int at = log.lastIndexOf("processed ");
        if (at < 0) {
            return "-";
        }
        int end = log.indexOf('\n', at);
        return log.substring(at, end < 0 ? log.length() : end);
    }
}
