package io.bpf4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README as a newcomer uses it, after the package step (this test runs in the package phase,
 * after the launcher is built): its Java snippet compiled and run from the repository root
 * against the loader prints what the README says it prints, and every {@code cli/target/bpf4j}
 * command of its "First commands" block runs verbatim through {@code sh} with exit code 0.
 */
class ReadmeIT {
    private static final Path ROOT = Path.of(System.getProperty("bpf4j.root"));

    /**
     * In the test phase (a -Dtest pattern that matches this class) the launcher may not exist
     * yet: skip there; the package-phase execution sets bpf4j.readme and requires it.
     */
    @org.junit.jupiter.api.BeforeAll
    static void launcherBuilt() {
        boolean built = Files.isExecutable(ROOT.resolve("cli/target/bpf4j")) && Files.exists(ROOT.resolve("cli/target/bpf4j.jar"));
        if (!"required".equals(System.getProperty("bpf4j.readme"))) {
            org.junit.jupiter.api.Assumptions.assumeTrue(built, "cli/target/bpf4j is built by the package phase, which runs this test");
        }
        assertThat(built).as("cli/target/bpf4j and bpf4j.jar").isTrue();
    }

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    /** The bodies of the fenced blocks of one language, in order. */
    private static List<String> blocks(String text, String language) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(false).start();
    }

    private static String[] finish(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new String[] {out, err, Integer.toString(p.exitValue())};
    }

    @Test
    void theJavaSnippetPrintsWhatTheReadmeSays(@TempDir Path dir) throws Exception {
        String text = readme();
        String snippet = blocks(text, "java").get(0);
        String expected = blocks(text, "text").get(0);
        Matcher cls = Pattern.compile("public class (\\w+)").matcher(snippet);
        assertThat(cls.find()).as("the snippet declares a public class").isTrue();
        Path source = dir.resolve(cls.group(1) + ".java");
        Files.writeString(source, snippet);
        // what a user puts on the class path: these tests' class path and module path together
        String classpath = java.util.stream.Stream.of(System.getProperty("java.class.path"), System.getProperty("jdk.module.path"))
                .filter(p -> p != null && !p.isEmpty()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", dir.toString(), "-cp", classpath, source.toString());
        assertThat(rc).as("javac of the README snippet").isZero();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] r = finish(start(List.of(javaBin, "-cp", dir + java.io.File.pathSeparator + classpath, cls.group(1))));
        assertThat(r[2]).as("exit code; stderr: " + r[1]).isEqualTo("0");
        assertThat(r[0]).isEqualTo(expected);
    }

    @Test
    void theFirstCommandsRunVerbatim() throws Exception {
        String commands = blocks(readme(), "sh").get(0);
        List<String> run = new ArrayList<>();
        for (String line : commands.split("\n")) {
            if (line.startsWith("cli/target/bpf4j")) {
                run.add(line);
            }
        }
        assertThat(run).hasSizeGreaterThanOrEqualTo(5);
        for (String line : run) {
            String[] r = finish(start(List.of("sh", "-c", line)));
            assertThat(r[2]).as(line + "\nstdout: " + r[0] + "\nstderr: " + r[1]).isEqualTo("0");
            assertThat(r[0]).as(line).isNotEmpty();
        }
    }
}
