package io.bpf4j.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the clang to run when none is configured: the newest versioned {@code clang-NN} on the
 * PATH (Debian and Ubuntu install several side by side, and only the newest emits everything BPF
 * has, such as clang-22's {@code gotox} jump tables), else a plain {@code clang}.
 */
final class ClangOnPath {
    private static final Pattern VERSIONED = Pattern.compile("clang-(\\d{1,4})");

    private ClangOnPath() {
    }

    /** The name to run, from the directories of {@code path} (a PATH value; null or empty: none). */
    static Optional<String> newest(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.empty();
        }
        int best = -1;
        boolean plain = false;
        for (String dir : path.split(File.pathSeparator)) {
            Path d = Path.of(dir.isEmpty() ? "." : dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(d, "clang*")) {
                for (Path p : entries) {
                    String name = p.getFileName().toString();
                    Matcher m = VERSIONED.matcher(name);
                    if (m.matches() && Files.isExecutable(p)) {
                        best = Math.max(best, Integer.parseInt(m.group(1)));
                    } else if (name.equals("clang") && Files.isExecutable(p)) {
                        plain = true;
                    }
                }
            } catch (IOException | SecurityException e) {
                // an unreadable PATH entry is skipped, as the shell skips it
            }
        }
        if (best >= 0) {
            return Optional.of("clang-" + best);
        }
        return plain ? Optional.of("clang") : Optional.empty();
    }
}
