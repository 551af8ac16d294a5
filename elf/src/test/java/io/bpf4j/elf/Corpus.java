package io.bpf4j.elf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The test objects: every {@code testdata/objects/*.o} of the repository, this module's own
 * {@code src/test/resources/objects/*.o} (BTF kinds the corpus lacks), plus
 * {@code -Dbpf4j.extraObjects=DIR}.
 */
public final class Corpus {
    private Corpus() {}

    static Path root() {
        String root = System.getProperty("bpf4j.root");
        Path p = root == null ? Path.of("..") : Path.of(root);
        return p.toAbsolutePath().normalize();
    }

    public static List<Path> objects() {
        List<Path> out = new ArrayList<>(list(root().resolve("testdata/objects")));
        out.addAll(list(root().resolve("elf/src/test/resources/objects")));
        String extra = System.getProperty("bpf4j.extraObjects");
        if (extra != null) out.addAll(list(Path.of(extra)));
        return out;
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".o")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the bpftool btf dump golden for an object, if the corpus has one} */
    public static Optional<Path> btfGolden(Path object) {
        String name = object.getFileName().toString();
        for (Path dir : List.of(object.getParent().resolveSibling("goldens/btf"), root().resolve("testdata/goldens/btf"))) {
            for (String candidate : List.of(name + ".txt", name.substring(0, name.length() - 2) + ".txt")) {
                Path p = dir.resolve(candidate);
                if (Files.isRegularFile(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
