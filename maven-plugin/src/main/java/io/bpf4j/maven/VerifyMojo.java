package io.bpf4j.maven;

import io.bpf4j.isa.BpfException;
import io.bpf4j.isa.abi.KernelProfile;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.KernelProfiles;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.OpenOptions;
import io.bpf4j.loader.ProgramVerification;
import io.bpf4j.loader.VerifyReport;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Opens, relocates and verifies every BPF object under {@link #directory} with bpf4j's verifier,
 * as Linux 6.18's would judge each program. A rejected program fails the build with one line
 * per program, {@code prog 'NAME' in FILE: <kernel-format error line> (SOURCE.c:LINE)}; its
 * verifier log is printed at {@code -X} and kept in the report. Writes veristat's CSV
 * ({@code verify.csv}) and a JSON report ({@code verify.json}) into {@link #reportDirectory}.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.PROCESS_CLASSES, threadSafe = true)
public final class VerifyMojo extends AbstractMojo {
    /** Where the objects are (by default the classes directory, where {@code compile} puts them under {@code bpf/}). */
    @Parameter(property = "bpf4j.directory", defaultValue = "${project.build.outputDirectory}")
    File directory;

    /** Which files under {@link #directory} are objects (Ant-style patterns). */
    @Parameter
    List<String> includes = new ArrayList<>(List.of("**/*.o"));

    /** Files under {@link #directory} to leave out. */
    @Parameter
    List<String> excludes = new ArrayList<>();

    /**
     * Whose rules judge the programs: {@code linux-6.18} (the built-in profile) or {@code host}
     * (the running kernel, probed: which helpers each program type may call).
     */
    @Parameter(property = "bpf4j.kernelProfile", defaultValue = "linux-6.18")
    String kernelProfile;

    /** A kernel BTF for CO-RE relocations (default: the running kernel's, when it has one). */
    @Parameter(property = "bpf4j.targetBtf")
    File targetBtf;

    /**
     * The most bytes an object's global data ({@code .data*}, {@code .rodata*}, {@code .bss*}) may
     * declare together; a larger object fails as unreadable (docs/resource-limits.md).
     */
    @Parameter(property = "bpf4j.maxGlobalData", defaultValue = "268435456")
    long maxGlobalData;

    /** The verifier log level kept in the report and printed at {@code -X}: 1 or 2. */
    @Parameter(property = "bpf4j.logLevel", defaultValue = "1")
    int logLevel;

    /** Whether a rejected program fails the build; false reports it as a warning. */
    @Parameter(property = "bpf4j.failOnRejection", defaultValue = "true")
    boolean failOnRejection;

    /** Skips the goal. */
    @Parameter(property = "bpf4j.skip", defaultValue = "false")
    boolean skip;

    /** Where {@code verify.csv} and {@code verify.json} are written. */
    @Parameter(defaultValue = "${project.build.directory}/bpf4j", required = true)
    File reportDirectory;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("bpf4j: verify skipped");
            return;
        }
        if (logLevel != 1 && logLevel != 2) {
            throw new MojoExecutionException("bpf4j: <logLevel> must be 1 or 2, not " + logLevel);
        }
        if (targetBtf != null && !targetBtf.isFile()) {
            throw new MojoExecutionException("bpf4j: <targetBtf> " + targetBtf + " is not a file");
        }
        LoadOptions options = LoadOptions.builder().logLevel(logLevel).kernelProfile(profile()).build();
        Path root = directory.toPath();
        List<Path> objects = FileSets.select(root, includes, excludes);
        List<VerifyReport.Entry> entries = new ArrayList<>();
        for (Path file : objects) {
            String name = root.relativize(file).toString().replace(File.separatorChar, '/');
            OpenOptions open = OpenOptions.builder().targetBtf(targetBtf == null ? null : targetBtf.toPath())
                    .maxGlobalData(maxGlobalData).build();
            try (BpfObject obj = BpfObject.open(file, open)) {
                for (BpfProgram p : obj.programs()) {
                    entries.add(VerifyReport.verify(name, p, options));
                }
            } catch (BpfException | UncheckedIOException e) {
                throw new MojoExecutionException("bpf4j: cannot read BPF object " + file + ": " + e.getMessage(), e);
            }
        }
        entries = VerifyReport.sorted(entries);
        writeReports(entries);
        List<String> rejected = new ArrayList<>();
        int accepted = 0;
        for (VerifyReport.Entry e : entries) {
            if (e.success()) {
                accepted++;
                getLog().debug("prog '" + e.program() + "' in " + e.file() + ": accepted, " + e.totalInsns() + " insns processed");
            } else if (e.status() == ProgramVerification.Status.UNSUPPORTED) {
                getLog().warn("prog '" + e.program() + "' in " + e.file() + ": not verified: " + e.error());
            } else {
                rejected.add(e.diagnostic());
                if (failOnRejection) {
                    getLog().error(e.diagnostic());
                } else {
                    getLog().warn(e.diagnostic());
                }
                // why: the instructions that made the offending value, with source lines, and a hint
                if (e.explanation() != null) {
                    for (String line : e.explanation().render().split("\n")) {
                        if (failOnRejection) {
                            getLog().error("  " + line);
                        } else {
                            getLog().warn("  " + line);
                        }
                    }
                }
            }
            if (getLog().isDebugEnabled() && !e.log().isEmpty()) {
                getLog().debug("prog '" + e.program() + "' in " + e.file() + ": verifier log:\n" + e.log());
            }
        }
        getLog().info("bpf4j: verified " + entries.size() + " programs in " + objects.size() + " objects: " + accepted
                + " accepted, " + rejected.size() + " rejected (report: " + reportDirectory.toPath().resolve("verify.csv") + ")");
        if (!rejected.isEmpty() && failOnRejection) {
            throw new MojoFailureException("bpf4j: the verifier rejected " + rejected.size() + " program"
                    + (rejected.size() == 1 ? "" : "s") + ":\n" + String.join("\n", rejected));
        }
    }

    private KernelProfile profile() throws MojoExecutionException {
        switch (kernelProfile) {
            case "linux-6.18":
            case "6.18":
                return KernelProfile.linux618();
            case "host":
                return KernelProfiles.probeOrBuiltIn();
            default:
                throw new MojoExecutionException("bpf4j: <kernelProfile> '" + kernelProfile + "': expected linux-6.18 or host");
        }
    }

    private void writeReports(List<VerifyReport.Entry> entries) throws MojoExecutionException {
        Path dir = reportDirectory.toPath();
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("verify.csv"), VerifyReport.csv(entries), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("verify.json"), VerifyReport.json(entries), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("bpf4j: cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
    }
}
