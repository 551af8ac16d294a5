package io.bpf4j.cli;

import io.bpf4j.isa.BpfException;
import io.bpf4j.loader.OpenOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code bpf4j} command. Exit codes: 0 success, 1 rejected input (one line on stderr naming
 * the file and the place), 2 usage error.
 */
@Command(
        name = "bpf4j",
        mixinStandardHelpOptions = true,
        versionProvider = Bpf4j.Version.class,
        description = "Open, inspect, dump, verify and run BPF objects on the JVM.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Bpf4j {

    @Option(names = {"-j", "--json"}, scope = ScopeType.INHERIT, description = "Print JSON instead of text, as bpftool -j does.")
    boolean json;

    @Option(names = {"-p", "--pretty"}, scope = ScopeType.INHERIT, description = "Print pretty JSON (implies --json), as bpftool -p does.")
    boolean pretty;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
    boolean debug;

    @Option(names = "--max-global-data", paramLabel = "BYTES", scope = ScopeType.INHERIT, description = {
        "The most bytes an object's global data (.data*, .rodata*, .bss*) may declare together;"
            + " a larger object is refused at open (default 268435456, 256 MiB; see docs/resource-limits.md)."})
    long maxGlobalData = OpenOptions.DEFAULT_MAX_GLOBAL_DATA;

    private InputStream stdin = System.in;

    /** Runs the command line and returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(System.in, out, err, args);
    }

    /** Runs the command line with {@code in} as standard input and returns the exit code. */
    public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        Bpf4j root = new Bpf4j();
        root.stdin = in;
        CommandLine cl = new CommandLine(root);
        Commands.register(cl);
        cl.setOut(out);
        cl.setErr(err);
        boolean json = wantsJson(args);
        cl.setParameterExceptionHandler((ex, params) -> usageError(ex, json, out, err));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CommandLine.ParameterException pe) {
                return usageError(pe, json, out, err);
            }
            if (root.debug) {
                ex.printStackTrace(err);
            }
            String message = describe(ex);
            if (json) {
                // bpftool -j: the error is the one JSON document on stdout
                new Output(out, true, root.pretty).printJson(java.util.Map.of("error", message));
            } else {
                err.println("bpf4j: error: " + message);
            }
            err.flush();
            return isRejectedInput(ex) ? 1 : 2;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** A usage error: one line and a hint at the help of the command that was given, exit code 2. */
    private static int usageError(CommandLine.ParameterException ex, boolean json, PrintWriter out, PrintWriter err) {
        String command = ex.getCommandLine().getCommandSpec().qualifiedName();
        String message = String.valueOf(ex.getMessage()).lines().findFirst().orElse("").strip();
        if (json) {
            new Output(out, true, false).printJson(java.util.Map.of("error", message));
        } else {
            err.println("bpf4j: error: " + message);
            err.println("try '" + command + " --help'");
        }
        out.flush();
        err.flush();
        return 2;
    }

    /** Whether -j, --json or -p is among the options before a lone {@code --}, wherever it stands. */
    private static boolean wantsJson(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--json") || a.equals("--pretty") || a.matches("-[A-Za-z]*[jp][A-Za-z]*") && !a.startsWith("--")) {
                return true;
            }
        }
        return false;
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, false);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /** Open options as the root's switches set them. */
    OpenOptions.Builder openOptions() {
        if (maxGlobalData < 0) {
            throw new CliException("--max-global-data: must not be negative, not " + maxGlobalData);
        }
        return OpenOptions.builder().maxGlobalData(maxGlobalData);
    }

    InputStream stdin() {
        return stdin;
    }

    /** The JSON switches as set on the root, whichever subcommand carried them. */
    Output output(PrintWriter out) {
        return new Output(out, json || pretty, pretty);
    }

    private static boolean isRejectedInput(Throwable ex) {
        return ex instanceof BpfException || ex instanceof IOException || ex instanceof UncheckedIOException;
    }

    private static String describe(Throwable ex) {
        if (ex instanceof NoSuchFileException nsf) {
            return nsf.getFile() + ": no such file";
        }
        if (ex instanceof UncheckedIOException u) {
            return describe(u.getCause());
        }
        if (ex instanceof IOException io) {
            return io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage();
        }
        if (ex instanceof BpfException) {
            return ex.getMessage();
        }
        // Anything else is a bug in bpf4j, not in the input: say so rather than pretend.
        return "internal error: " + ex + " (rerun with --debug for the stack trace)";
    }

    /** The project version, written into {@code version.properties} by the build. */
    static String version() {
        try (InputStream in = Bpf4j.class.getResourceAsStream("version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bpf4j " + version()};
        }
    }
}
