package io.bpf4j.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/** Ant-style include/exclude selection of files under a directory ({@code **}, {@code *}, {@code ?}). */
final class FileSets {
    private FileSets() {
    }

    /** Regular files under {@code root} matching an include and no exclude, sorted; empty when {@code root} does not exist. */
    static List<Path> select(Path root, List<String> includes, List<String> excludes) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<PathMatcher> in = includes.stream().map(FileSets::matcher).toList();
        List<PathMatcher> out = excludes.stream().map(FileSets::matcher).toList();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                Path rel = root.relativize(p);
                return in.stream().anyMatch(m -> m.matches(rel)) && out.stream().noneMatch(m -> m.matches(rel));
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ant's {@code **}/ also matches no directory at all, which a glob's {@code **}/ does not. */
    private static PathMatcher matcher(String pattern) {
        String p = pattern.replace('\\', '/');
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + p);
        PathMatcher top = p.startsWith("**/") ? FileSystems.getDefault().getPathMatcher("glob:" + p.substring(3)) : null;
        return path -> glob.matches(path) || top != null && top.matches(path);
    }
}
