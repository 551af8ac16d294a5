package io.bpf4j.maven;

import io.bpf4j.isa.BpfException;
import io.bpf4j.loader.BpfBtf;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compiles BPF C sources ({@code src/main/bpf/**}{@code /*.bpf.c}) with clang into
 * {@code ${project.build.outputDirectory}/bpf/<name>.bpf.o}, so the objects ship on the
 * classpath ({@code BpfObject.openResource("bpf/<name>.bpf.o")}). Objects newer than their
 * source and every header beside it are not rebuilt; clang's diagnostics are passed through.
 */
@Mojo(name = "compile", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public final class CompileMojo extends AbstractMojo {
    /** The clang to run (a name on PATH or a path); by default the newest {@code clang-NN} on PATH, else {@code clang}. */
    @Parameter(property = "bpf4j.clang")
    String clang;

    /** {@code -mcpu}: v1 to v4 (v3 adds 32-bit jumps and atomics, v4 sign extension, bswap, gotol). */
    @Parameter(property = "bpf4j.cpu", defaultValue = "v3")
    String cpu;

    /** Extra {@code -I} directories. */
    @Parameter
    List<File> includeDirs = new ArrayList<>();

    /** {@code -D} definitions, {@code NAME} or {@code NAME=VALUE}. */
    @Parameter
    List<String> defines = new ArrayList<>();

    /** Further clang arguments, after the plugin's ({@code -O2 -g -target bpf -mcpu=...}). */
    @Parameter
    List<String> flags = new ArrayList<>();

    /**
     * Whether the multiarch system include directory ({@code /usr/include/x86_64-linux-gnu} on
     * Debian x86-64, for {@code <asm/types.h>} under {@code <linux/bpf.h>}) is added when it exists.
     */
    @Parameter(property = "bpf4j.systemIncludes", defaultValue = "true")
    boolean systemIncludes;

    /**
     * A kernel BTF file ({@code /sys/kernel/btf/vmlinux}) from which a {@code vmlinux.h} is
     * generated into {@link #generatedIncludeDirectory} (with bpf4j's C dumper, which writes what {@code bpftool btf dump ... format c} writes).
     */
    @Parameter(property = "bpf4j.vmlinuxBtf")
    File vmlinuxBtf;

    /** Where the C sources are. */
    @Parameter(defaultValue = "${project.basedir}/src/main/bpf", required = true)
    File sourceDirectory;

    /** Which files under {@link #sourceDirectory} are compiled. */
    @Parameter
    List<String> includes = new ArrayList<>(List.of("**/*.bpf.c"));

    /** Where the objects go (mirroring the source tree). */
    @Parameter(defaultValue = "${project.build.outputDirectory}/bpf", required = true)
    File outputDirectory;

    /** Where the generated {@code vmlinux.h} goes (on the include path). */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/bpf4j/include", required = true)
    File generatedIncludeDirectory;

    /** Skips the goal. */
    @Parameter(property = "bpf4j.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("bpf4j: compile skipped");
            return;
        }
        Path src = sourceDirectory.toPath();
        List<Path> sources = FileSets.select(src, includes, List.of());
        if (sources.isEmpty()) {
            getLog().info("bpf4j: no BPF sources under " + src);
            return;
        }
        String compiler = clang();
        List<String> base = new ArrayList<>(List.of(compiler, "-O2", "-g", "-target", "bpf", "-mcpu=" + cpu));
        if (vmlinuxBtf != null) {
            base.add("-I" + vmlinuxHeader().getParent());
        }
        for (File dir : includeDirs) {
            base.add("-I" + dir.getAbsolutePath());
        }
        Path multiarch = multiarchInclude();
        if (systemIncludes && multiarch != null) {
            base.add("-I" + multiarch);
        }
        for (String d : defines) {
            base.add("-D" + d);
        }
        base.addAll(flags);
        long newestHeader = newestHeader(src);
        int built = 0;
        for (Path source : sources) {
            Path rel = src.relativize(source);
            String name = rel.getFileName().toString();
            Path out = outputDirectory.toPath().resolve(rel).resolveSibling(name.substring(0, name.length() - 2) + ".o");
            if (upToDate(source, out, newestHeader)) {
                getLog().debug("bpf4j: " + out + " is up to date");
                continue;
            }
            List<String> cmd = new ArrayList<>(base);
            cmd.addAll(List.of("-c", source.toString(), "-o", out.toString()));
            run(cmd, out, source);
            built++;
        }
        getLog().info("bpf4j: compiled " + built + " of " + sources.size() + " BPF sources into " + outputDirectory
                + (built < sources.size() ? " (" + (sources.size() - built) + " up to date)" : ""));
    }

    private void run(List<String> cmd, Path out, Path source) throws MojoExecutionException, MojoFailureException {
        getLog().debug("bpf4j: " + String.join(" ", cmd));
        try {
            Files.createDirectories(out.getParent());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int exit = p.waitFor();
            for (String line : output.split("\n")) {
                if (!line.isEmpty()) {
                    if (exit != 0) {
                        getLog().error(line);
                    } else {
                        getLog().warn(line);
                    }
                }
            }
            if (exit != 0) {
                Files.deleteIfExists(out);
                throw new MojoFailureException("bpf4j: clang failed on " + source + " (exit code " + exit + ")");
            }
        } catch (IOException e) {
            throw new MojoExecutionException("bpf4j: cannot run " + cmd.get(0) + " on " + source + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("bpf4j: interrupted while compiling " + source, e);
        }
    }

    /** The configured clang, or the newest clang-NN (else clang) from PATH; a missing one is an error naming the parameter. */
    private String clang() throws MojoExecutionException {
        if (clang != null && !clang.isBlank()) {
            if (clang.contains(File.separator) ? Files.isExecutable(Path.of(clang)) : onPath(clang) != null) {
                return clang;
            }
            throw new MojoExecutionException("bpf4j: clang '" + clang + "' (parameter <clang>, property bpf4j.clang) "
                    + "was not found" + (clang.contains(File.separator) ? "" : " on PATH")
                    + ": install clang with the BPF target or point <clang> at it");
        }
        Optional<String> found = ClangOnPath.newest(System.getenv("PATH"));
        if (found.isPresent()) {
            return found.get();
        }
        throw new MojoExecutionException("bpf4j: no clang on PATH (looked for clang-NN and clang): install clang with the "
                + "BPF target or set the parameter <clang> (property bpf4j.clang) to its path");
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static Path multiarchInclude() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String triple = switch (arch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            default -> null;
        };
        if (triple == null) {
            return null;
        }
        Path p = Path.of("/usr/include", triple);
        return Files.isDirectory(p) ? p : null;
    }

    private long newestHeader(Path src) throws MojoExecutionException {
        long newest = 0;
        List<Path> dirs = new ArrayList<>(List.of(src));
        includeDirs.forEach(d -> dirs.add(d.toPath()));
        try {
            for (Path dir : dirs) {
                for (Path h : FileSets.select(dir, List.of("**/*.h"), List.of())) {
                    newest = Math.max(newest, Files.getLastModifiedTime(h).toMillis());
                }
            }
            if (vmlinuxBtf != null) {
                newest = Math.max(newest, Files.getLastModifiedTime(vmlinuxHeader()).toMillis());
            }
        } catch (IOException e) {
            throw new MojoExecutionException("bpf4j: cannot read the headers under " + src + ": " + e.getMessage(), e);
        }
        return newest;
    }

    private static boolean upToDate(Path source, Path out, long newestHeader) {
        try {
            if (!Files.isRegularFile(out)) {
                return false;
            }
            long built = Files.getLastModifiedTime(out).toMillis();
            return built >= Files.getLastModifiedTime(source).toMillis() && built >= newestHeader;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code vmlinux.h} from {@link #vmlinuxBtf}, regenerated when the BTF file is newer. */
    private Path vmlinuxHeader() throws MojoExecutionException {
        Path header = generatedIncludeDirectory.toPath().resolve("vmlinux.h");
        try {
            if (!vmlinuxBtf.isFile()) {
                throw new MojoExecutionException("bpf4j: <vmlinuxBtf> " + vmlinuxBtf + " is not a file");
            }
            if (Files.isRegularFile(header)
                    && Files.getLastModifiedTime(header).toMillis() >= vmlinuxBtf.lastModified()) {
                return header;
            }
            Files.createDirectories(header.getParent());
            // bpf4j's own C dumper, byte-identical to bpftool btf dump file F format c
            String c;
            try {
                c = BpfBtf.read(vmlinuxBtf.toPath()).formatC();
            } catch (BpfException | java.io.UncheckedIOException e) {
                throw new MojoExecutionException("bpf4j: <vmlinuxBtf> " + vmlinuxBtf + ": " + e.getMessage(), e);
            }
            Files.writeString(header, c, StandardCharsets.UTF_8);
            return header;
        } catch (IOException e) {
            throw new MojoExecutionException("bpf4j: <vmlinuxBtf> " + vmlinuxBtf + ": " + e.getMessage(), e);
        }
    }
}
