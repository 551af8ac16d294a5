package io.bpf4j.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compile goal's default clang is the newest clang-NN on the PATH (issue 18 §5). */
class ClangOnPathTest {
    @TempDir
    Path tmp;

    private Path dir(String name, String... executables) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        for (String e : executables) {
            Path f = Files.writeString(d.resolve(e), "#!/bin/sh\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return d;
    }

    private static String path(Path... dirs) {
        StringBuilder sb = new StringBuilder();
        for (Path d : dirs) {
            sb.append(sb.length() == 0 ? "" : File.pathSeparator).append(d);
        }
        return sb.toString();
    }

    @Test
    void theNewestVersionWinsAcrossDirectoriesAndNumerically() throws IOException {
        Path a = dir("a", "clang-9", "clang-19", "clang");
        Path b = dir("b", "clang-22", "clang-format-22", "clang-tidy");
        assertThat(ClangOnPath.newest(path(a, b))).contains("clang-22");
        assertThat(ClangOnPath.newest(path(a))).contains("clang-19");
    }

    @Test
    void plainClangWhenNoVersionedOneAndNothingWithoutEither() throws IOException {
        assertThat(ClangOnPath.newest(path(dir("c", "clang", "clang-format")))).contains("clang");
        assertThat(ClangOnPath.newest(path(dir("d", "gcc"), tmp.resolve("missing")))).isEmpty();
        assertThat(ClangOnPath.newest("")).isEmpty();
        assertThat(ClangOnPath.newest(null)).isEmpty();
    }

    @Test
    void aFileThatIsNotExecutableIsNotChosen() throws IOException {
        Path e = dir("e", "clang-19");
        Files.writeString(e.resolve("clang-30"), "not a program");
        assertThat(ClangOnPath.newest(path(e))).contains("clang-19");
    }

    @Test
    void thisMachinesPathAgreesWithWhatTheShellFinds() throws Exception {
        // the same choice `ls` of PATH makes: compare with the shell's own lookup of clang-NN
        Process p = new ProcessBuilder("sh", "-c",
                "IFS=:; for d in $PATH; do ls \"$d\" 2>/dev/null; done | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1")
                .redirectErrorStream(true).start();
        String shell = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        if (shell.isEmpty()) {
            ClangOnPath.newest(System.getenv("PATH")).ifPresent(name -> assertThat(name).isEqualTo("clang"));
        } else {
            assertThat(ClangOnPath.newest(System.getenv("PATH"))).contains(shell);
        }
    }
}
