package io.bpf4j.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's plugin and JUnit snippets are, word for word, what the {@code readme} invoker
 * project is made of (so that the integration test builds exactly what a reader copies).
 */
class ReadmeSnippetsTest {
    private static final Path IT = Path.of("src/it/readme");

    private static List<String> snippets() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("## In a Maven build");
        assertThat(start).as("README section").isPositive();
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<String> out = new ArrayList<>();
        for (int i = section.indexOf("```"); i >= 0; ) {
            int body = section.indexOf('\n', i) + 1;
            int end = section.indexOf("```", body);
            out.add(section.substring(body, end));
            i = section.indexOf("```", end + 3);
        }
        return out;
    }

    private static String words(String text) {
        return text.replace("0.1.0-SNAPSHOT", "@project.version@").replaceAll("\\s+", " ").strip();
    }

    @Test
    void theReadmeProjectIsMadeOfTheReadmesSnippets() throws Exception {
        List<String> snippets = snippets();
        assertThat(snippets).hasSize(3);
        String pom = words(Files.readString(IT.resolve("pom.xml")));
        assertThat(pom).contains(words(snippets.get(0))).contains(words(snippets.get(1)));
        String test = words(Files.readString(IT.resolve("src/test/java/demo/CounterTest.java")));
        assertThat(test).contains(words(snippets.get(2)));
        assertThat(snippets.get(2).strip().lines()).hasSizeLessThanOrEqualTo(8);
    }
}
