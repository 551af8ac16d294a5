package io.bpf4j.testdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** One test of the eBPF conformance suite as the suite's own runner assembled it (assembled.jsonl). */
public record ConformanceCase(String name, byte[] program, byte[] memory, long expectedR0, String expectedError) {

    /**
     * The suite's directory: {@code shared/conformance} beside the repository root
     * ({@code ${bpf4j.root}/../shared/conformance}, as CI lays it out), or beside one of the
     * root's ancestors (a git worktree sits deeper than the main checkout).
     */
    public static Path suiteDirectory() {
        String root = System.getProperty("bpf4j.root");
        if (root == null) {
            throw new IllegalStateException("system property bpf4j.root is not set (the root pom's surefire configuration sets it)");
        }
        Path start = Path.of(root).toAbsolutePath().normalize();
        for (Path p = start.getParent(); p != null; p = p.getParent()) {
            Path dir = p.resolve("shared/conformance");
            if (Files.isRegularFile(dir.resolve("assembled.jsonl"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the eBPF conformance suite is missing: no shared/conformance/assembled.jsonl beside "
                + start + " or any of its parents (shared/ must sit beside the repository)");
    }

    public static List<ConformanceCase> load() {
        Path file = suiteDirectory().resolve("assembled.jsonl");
        ObjectMapper json = new ObjectMapper();
        List<ConformanceCase> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = json.readTree(line);
                JsonNode error = n.get("expected_error");
                out.add(new ConformanceCase(n.get("test").asText(),
                        HexFormat.of().parseHex(n.get("program_hex").asText()),
                        HexFormat.of().parseHex(n.get("memory_hex").asText()),
                        Long.parseUnsignedLong(n.get("expected_r0_hex").asText().substring(2), 16),
                        error == null || error.isNull() ? null : error.asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
