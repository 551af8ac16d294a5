package io.bpf4j.elf;

import io.bpf4j.testdata.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The test objects: every object of {@link TestData#objects()}, this module's own
 * {@code src/test/resources/objects/*.o} (BTF kinds the corpus lacks), plus
 * {@code -Dbpf4j.extraObjects=DIR}.
 */
public final class Corpus {
    private Corpus() {}

    /** {@return the repository root} */
    static Path root() {
        return TestData.dir().getParent();
    }

    public static List<Path> objects() {
        List<Path> out = new ArrayList<>(TestData.objects());
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
        Path shared = TestData.golden("btf", object);
        if (object.startsWith(TestData.objectsDir())) {
            return Files.isRegularFile(shared) ? Optional.of(shared) : Optional.empty();
        }
        for (Path dir : List.of(object.getParent().resolveSibling("goldens/btf"))) {
            for (String candidate : List.of(name + ".txt", name.substring(0, name.length() - 2) + ".txt")) {
                Path p = dir.resolve(candidate);
                if (Files.isRegularFile(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
