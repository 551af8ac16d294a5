package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The command line is a front end of the loader: its sources name no type of the modules below
 * it (elf, relocator, jit, maps, verifier), and of isa only the root exception every bpf4j error
 * extends and the ABI enums the loader's API hands out; its pom declares the loader as its only
 * bpf4j dependency. Imports and fully qualified names are both checked.
 */
class FrontEndSeamTest {
    private static final Pattern REFERENCE = Pattern.compile("io\\.bpf4j\\.([a-z]+)((?:\\.[A-Za-z_][A-Za-z0-9_]*)*)");
    private static final List<String> ALLOWED_ISA = List.of("io.bpf4j.isa.BpfException", "io.bpf4j.isa.abi.");

    @Test
    void cliSourcesReferenceOnlyTheLoader() throws IOException {
        Path sources = Path.of("src/main/java");
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = REFERENCE.matcher(lines.get(i));
                    while (m.find()) {
                        String module = m.group(1);
                        String name = m.group();
                        boolean ok = module.equals("cli") || module.equals("loader")
                                || module.equals("isa") && ALLOWED_ISA.stream().anyMatch(name::startsWith);
                        if (!ok) {
                            offending.add(sources.relativize(f) + ":" + (i + 1) + ": " + name);
                        }
                    }
                }
            }
        }
        assertThat(offending).as("cli references below the loader").isEmpty();
    }

    @Test
    void theLoaderIsTheOnlyBpf4jDependency() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        List<String> bpf4j = new ArrayList<>();
        Matcher m = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(pom);
        while (m.find()) {
            String dep = m.group(1);
            Matcher a = Pattern.compile("<artifactId>(bpf4j-[a-z-]+)</artifactId>").matcher(dep);
            if (a.find() && !dep.contains("<scope>test</scope>")) {
                bpf4j.add(a.group(1));
            }
        }
        assertThat(bpf4j).containsExactly("bpf4j-loader");
    }
}
