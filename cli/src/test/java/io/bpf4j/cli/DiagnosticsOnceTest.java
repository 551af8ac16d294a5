package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bpf4j.testdata.TestData;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Every diagnostic is reported once per command, however many programs or passes an object
 * takes: the warning lines of {@code inspect}, {@code dump} and {@code verify} are counted.
 */
class DiagnosticsOnceTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Logger root;

    @BeforeEach
    void attach() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void detach() {
        root.detachAppender(log);
    }

    private List<String> warnings(String... args) {
        log.list.clear();
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    private static Map<String, Long> counted(List<String> lines) {
        return lines.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** A legacy {@code maps} section and two programs without .BTF.ext info beside one with it (warnings.c). */
    @ParameterizedTest
    @ValueSource(strings = {"inspect", "dump", "verify"})
    void eachWarningOnceForAnObjectOfSeveralPrograms(String command) throws URISyntaxException {
        Path obj = Path.of(DiagnosticsOnceTest.class.getResource("/warnings/warnings.o").toURI());
        List<String> lines = warnings(command, obj.toString());
        assertThat(counted(lines)).containsOnly(
                Map.entry("elf: legacy map definitions in 'maps' section are not supported by libbpf v1.0+; reading them as libbpf 0.x did", 1L),
                Map.entry("prog 'asm_prog': missing .BTF.ext function info for the main program, skipping all of .BTF.ext func info.", 1L),
                Map.entry("prog 'asm_prog': missing .BTF.ext line info for the main program, skipping all of .BTF.ext line info.", 1L),
                Map.entry("prog 'asm_xdp': missing .BTF.ext function info for the main program, skipping all of .BTF.ext func info.", 1L),
                Map.entry("prog 'asm_xdp': missing .BTF.ext line info for the main program, skipping all of .BTF.ext line info.", 1L));
    }

    /** The corpus' legacy-maps objects (several maps, two programs): the one warning once. */
    @ParameterizedTest
    @ValueSource(strings = {"inspect", "dump"})
    void legacyMapsWarnedOnce(String command) {
        for (String name : List.of("legacy_maps.v1.el.o", "legacy_maps.v2.el.o")) {
            Path obj = TestData.objects().stream().filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
            assertThat(warnings(command, obj.toString())).as(name).containsExactly(
                    "elf: legacy map definitions in 'maps' section are not supported by libbpf v1.0+; reading them as libbpf 0.x did");
        }
    }

    /** A refused test run names the program once ({@code prog 'x': test run: ...}), not once per layer. */
    @org.junit.jupiter.api.Test
    void aTestRunFailureNamesTheProgramOnce() throws URISyntaxException {
        Path obj = Path.of(DiagnosticsOnceTest.class.getResource("/warnings/warnings.o").toURI());
        CliRun run = CliRun.of("run", "--prog=asm_prog", obj.toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains(obj + ": prog 'asm_prog': test run: ");
        assertThat(run.err().split("prog 'asm_prog'", -1)).hasSize(2);
    }
}
