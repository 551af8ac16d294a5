package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public declaration of the loader's API package (types, constructors, methods, fields,
 * nested types) carries Javadoc, and the package has a package-info. Declarations are found in
 * the sources: a {@code public} line whose previous line, skipping annotations, does not end a
 * Javadoc comment is undocumented (a record's components are documented by its {@code @param}s).
 */
class ApiDocumentationTest {
    private static final Path SOURCES = Path.of("src/main/java/io/bpf4j/loader");
    private static final Pattern PUBLIC = Pattern.compile("^\\s*public\\s.*");

    @Test
    void everyPublicDeclarationHasJavadoc() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (!PUBLIC.matcher(lines.get(i)).matches()) {
                        continue;
                    }
                    int k = i - 1;
                    while (k >= 0 && lines.get(k).strip().startsWith("@")) {
                        k--;
                    }
                    if (k < 0 || !lines.get(k).strip().endsWith("*/")) {
                        missing.add(f.getFileName() + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(missing).as("public declarations without Javadoc").isEmpty();
        assertThat(SOURCES.resolve("package-info.java")).exists();
    }
}
