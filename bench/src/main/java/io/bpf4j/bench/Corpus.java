package io.bpf4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The testdata objects, found from the working directory (the repository root or below it). */
final class Corpus {
    private Corpus() {}

    static Path testdata() {
        String root = System.getProperty("bpf4j.root");
        Path dir = root != null ? Path.of(root).toAbsolutePath() : Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata/objects"))) {
                return p.resolve("testdata");
            }
        }
        throw new IllegalStateException("no testdata/objects above " + dir + "; run from the repository or set -Dbpf4j.root");
    }

    static List<Path> objects() {
        try (Stream<Path> s = Files.list(testdata().resolve("objects"))) {
            return s.filter(p -> p.toString().endsWith(".o")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file name under testdata/objects, or a path as given. */
    static Path resolve(String object) {
        Path inCorpus = testdata().resolve("objects").resolve(object);
        return Files.exists(inCorpus) ? inCorpus : Path.of(object);
    }

    static Path largestObject() {
        return objects().stream().max(Comparator.comparingLong(Corpus::size)).orElseThrow();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
