package io.bpf4j.cli;

import io.bpf4j.isa.BpfException;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.Engine;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.ProgramRejectedException;
import io.bpf4j.loader.TestRunInput;
import io.bpf4j.loader.TestRunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code bpf4j run OBJ --prog NAME}: loads the object in process and test-runs one program as
 * {@code bpftool prog run} does through BPF_PROG_TEST_RUN, printing the same lines.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Load an object in process and test-run one program, as bpftool prog run does.")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    Bpf4j root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "OBJ", description = "A BPF ELF object.")
    Path object;

    @Option(names = "--prog", required = true, paramLabel = "NAME", description = "The program to run.")
    String prog;

    @Option(names = "--data-in", paramLabel = "FILE", description = "Packet data (XDP, TC, socket filter).")
    Path dataIn;

    @Option(names = "--ctx-in", paramLabel = "FILE", description = "Context bytes (syscall, raw tracepoint, kprobe; optional for XDP/TC).")
    Path ctxIn;

    @Option(names = "--data-out", paramLabel = "FILE", description = "Where to write the packet after the run; - prints it in hex.")
    String dataOut;

    @Option(names = "--ctx-out", paramLabel = "FILE", description = "Where to write the context after the run; - prints it in hex.")
    String ctxOut;

    @Option(names = "--no-verify", description = "Run even what the verifier rejects (as the kernel would not).")
    boolean noVerify;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1", description = "Run N times; the duration is the average CPU time per run, as the kernel's excludes time rescheduled (default 1).")
    int repeat;

    /** The engines {@code --engine} names, as the JSON output names them. */
    enum EngineName {
        interpreter(Engine.INTERPRETER), compiled(Engine.COMPILER);

        final Engine engine;

        EngineName(Engine engine) {
            this.engine = engine;
        }
    }

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "compiled", description = {
        "What runs the program: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). A program the compiler cannot"
            + " compile yet runs on the interpreter; the JSON output says which engine ran."})
    EngineName engine;

    /** The warm-up when --repeat asks for a timing and --warmup is not given. */
    static final int DEFAULT_WARMUP = 1_000_000;

    @Option(names = "--warmup", paramLabel = "N", description = {
        "Before the timed runs, run N times uncounted (each run on a fresh copy of the input, at most 5 s in all),"
            + " so that HotSpot has compiled the program's code: the duration then is that of compiled code, as the"
            + " kernel's is of JIT'ed code. Default " + DEFAULT_WARMUP + " when --repeat is above 1, else 0;"
            + " 0 counts everything. Warm-up runs change maps as counted runs do."})
    Integer warmup;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = {
        "Stop the repeat loop after SECONDS of wall-clock time with an error (ETIMEDOUT); default: none."
            + " One run is always bounded by the instruction budget, and Ctrl-C stops the loop."})
    Double timeLimit;

    @Override
    public Integer call() throws Exception {
        if (repeat < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--repeat: must be at least 1, not " + repeat);
        }
        if (warmup != null && warmup < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--warmup: must not be negative, not " + warmup);
        }
        if (timeLimit != null && !(timeLimit > 0)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--time-limit: must be a positive number of seconds, not " + timeLimit);
        }
        int warmupRuns = warmup != null ? warmup : repeat > 1 ? DEFAULT_WARMUP : 0;
        Output out = root.output(spec.commandLine().getOut());
        TestRunResult result;
        String type;
        String ran;
        try (BpfObject obj = ObjectFile.open(object, root.openOptions().build())) {
            BpfProgram p = obj.program(prog).orElseThrow(() -> new CliException(object + ": no program named '" + prog + "'"));
            obj.programs().forEach(other -> other.setAutoload(other.name().equals(prog) || other.autoload()));
            try {
                obj.load(LoadOptions.builder().verify(!noVerify).engine(engine.engine).build());
                ran = p.engineName();
                TestRunInput in = new TestRunInput(read(dataIn), read(ctxIn), repeat, 0, 0, warmupRuns);
                type = p.type().displayName();
                result = timeLimit == null ? p.testRun(in)
                        : p.testRun(in, java.time.Duration.ofNanos((long) Math.min(timeLimit * 1e9, Long.MAX_VALUE)));
            } catch (ProgramRejectedException e) {
                // the message is libbpf's, log included; it names the program itself
                throw new CliException(object + ": " + e.getMessage() + "\nbpf4j: the verifier rejects it; --no-verify runs it anyway", e);
            } catch (BpfException e) {
                // name the program once: a test-run refusal names it already
                String tag = "prog '" + prog + "': ";
                String msg = String.valueOf(e.getMessage());
                java.util.regex.Matcher reads = java.util.regex.Pattern.compile("the program reads (\\d+) bytes of its context").matcher(msg);
                if (reads.find()) {
                    msg += "; give them with --ctx-in FILE (at least " + reads.group(1) + " bytes)";
                }
                throw new CliException(object + ": " + (msg.startsWith(tag) ? msg : tag + msg), e);
            }
        }
        // the kernel measures no duration for syscall programs (bpf_prog_test_run_syscall)
        boolean noDuration = type.equals("syscall");
        if (out.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("retval", result.retval32());
            m.put("duration", noDuration ? 0 : result.durationNs());
            m.put("engine", ran);
            if ("-".equals(dataOut) && result.dataOut() != null) {
                m.put("data_out", hex(result.dataOut()));
            }
            if ("-".equals(ctxOut) && result.ctxOut() != null) {
                m.put("ctx_out", hex(result.ctxOut()));
            }
            if (!result.trace().isEmpty()) {
                m.put("trace", result.trace());
            }
            write(dataOut, result.dataOut(), null);
            write(ctxOut, result.ctxOut(), null);
            out.printJson(m);
            return 0;
        }
        for (String line : result.trace()) {
            // what bpftool prog tracelog shows after the task, CPU and time columns
            out.println("bpf_trace_printk: " + line);
        }
        out.println("Return value: " + result.retval32() + ", duration" + (repeat > 1 ? " (average)" : "") + ": "
                + (noDuration ? "0ns (the kernel measures none for syscall programs)" : result.durationNs() + "ns"));
        write(dataOut, result.dataOut(), out.out());
        write(ctxOut, result.ctxOut(), out.out());
        return 0;
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }

    private static byte[] read(Path p) throws IOException {
        return p == null ? null : ObjectFile.bytes(p);
    }

    private static void write(String where, byte[] bytes, PrintWriter out) throws IOException {
        if (where == null || bytes == null) {
            return;
        }
        if (!where.equals("-")) {
            Files.write(Path.of(where), bytes);
            return;
        }
        if (out == null) {
            return;
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            line.append(String.format("%02x", bytes[i] & 0xff)).append(i % 16 == 15 || i == bytes.length - 1 ? "" : " ");
            if (i % 16 == 15 || i == bytes.length - 1) {
                out.println(line);
                line.setLength(0);
            }
        }
    }
}
