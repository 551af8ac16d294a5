package io.bpf4j.relocator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A golden written by testdata/libbpf-capture/capture.sh relo: what libbpf 1.1 made of one object
 * after open, and what it handed the kernel when loading each program.
 */
record LibbpfGolden(Path file, Path object, JsonNode json) {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Goldens of the relocator's own objects, plus the project corpus when it has libbpf goldens. */
    static List<LibbpfGolden> all() {
        List<LibbpfGolden> out = new ArrayList<>();
        Path own = Path.of("src/test/resources");
        collect(own.resolve("goldens/libbpf"), own.resolve("objects"), out);
        String root = System.getProperty("bpf4j.root");
        if (root != null) {
            collect(Path.of(root, "testdata/goldens/libbpf-relo"), Path.of(root, "testdata/objects"), out);
        }
        return out;
    }

    private static void collect(Path goldens, Path objects, List<LibbpfGolden> out) {
        if (!Files.isDirectory(goldens)) {
            return;
        }
        try (Stream<Path> s = Files.list(goldens)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode json = MAPPER.readTree(f.toFile());
                out.add(new LibbpfGolden(f, objects.resolve(json.get("object").asText()), json));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return json.get("object").asText();
    }

    boolean opened() {
        return json.get("open").get("ok").asBoolean();
    }

    @Override
    public String toString() {
        return name();
    }
}
