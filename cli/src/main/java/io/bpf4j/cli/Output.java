package io.bpf4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** Where a command prints: text, or JSON (compact like bpftool -j, or pretty like -p). */
record Output(PrintWriter out, boolean json, boolean pretty) {
    /** bpftool's key style, snake_case, for the loader's records as well as for the maps commands build. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    void println(String line) {
        out.println(line);
    }

    /** Prints a JSON value built from maps, lists, strings and numbers. */
    void printJson(Object value) {
        try {
            if (pretty) {
                out.println(MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
            } else {
                out.println(MAPPER.writeValueAsString(value));
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
