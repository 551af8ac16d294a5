package io.bpf4j.cli;

import io.bpf4j.isa.BpfException;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code bpf4j verify OBJ...}: bpf4j's verifier on every program of each object, each on its
 * own, printed as veristat prints the kernel's verdicts (table, {@code -o csv}, or with
 * {@code -j} a JSON array keyed by veristat's CSV names plus {@code error}, {@code explanation} and
 * {@code log}); {@code --explain} adds, after the table, why each rejected program was rejected
 * (the slice of the failing path with source lines, and a hint); {@code --compare A.csv B.csv} is
 * veristat's comparison mode. Exit code 1 when a program is
 * rejected (or could not be verified) or an object could not be opened.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify every program of BPF objects in process and print veristat's statistics.")
final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    Bpf4j root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "OBJ", arity = "1..*", description = "BPF ELF objects (with --compare: two veristat CSV files).")
    List<Path> files;

    @Option(names = "--prog", paramLabel = "NAME", description = "Only this program (repeatable).")
    List<String> programs = new ArrayList<>();

    @Option(names = {"-l", "--log-level"}, paramLabel = "LEVEL", defaultValue = "1",
            description = "Verifier log level for --log and the JSON log: 1 or 2 (default 1).")
    int logLevel;

    @Option(names = "--log-size", paramLabel = "BYTES", defaultValue = "" + LoadOptions.DEFAULT_LOG_SIZE,
            description = "Verifier log buffer size, as veristat's (default 16 MiB): a longer log keeps its end.")
    int logSize;

    @Option(names = {"-v", "--log"}, description = "Print each program's verifier log first, as veristat -v does.")
    boolean log;

    @Option(names = "--explain", description = "After the results, explain each rejection: the instructions that made "
            + "the offending value (with source lines) and what would make the program acceptable.")
    boolean explain;

    @Option(names = {"-o", "--output-format"}, paramLabel = "FMT", defaultValue = "table",
            description = "table or csv (default table).")
    String format;

    @Option(names = {"-C", "--compare"}, description = "Comparison mode: compare two CSV files of results, as veristat -C.")
    boolean compare;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("table") && !format.equals("csv")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "-o: unrecognized output format '" + format + "' (table or csv)");
        }
        if (logLevel != 1 && logLevel != 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--log-level: must be 1 or 2, not " + logLevel);
        }
        if (logSize < 1 || logSize > LoadOptions.MAX_LOG_SIZE) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--log-size: must be 1 to " + LoadOptions.MAX_LOG_SIZE + " bytes, not " + logSize);
        }
        Output out = root.output(spec.commandLine().getOut());
        if (compare) {
            return compare(out);
        }
        PrintWriter err = spec.commandLine().getErr();
        boolean table = format.equals("table") && !out.json();
        List<Result> results = new ArrayList<>();
        int filesDone = 0;
        int filesSkipped = 0;
        List<String> errors = new ArrayList<>();
        for (Path file : files) {
            String base = file.getFileName().toString();
            if (table) {
                out.println("Processing '" + base + "'...");
            }
            try (BpfObject obj = ObjectFile.open(file, root.openOptions().build())) {
                filesDone++;
                for (BpfProgram p : obj.programs()) {
                    if (programs.isEmpty() || programs.contains(p.name())) {
                        results.add(verify(base, p));
                    }
                }
            } catch (IOException | BpfException e) {
                if (!out.json()) {
                    err.println("bpf4j: error: " + e.getMessage());
                }
                errors.add(String.valueOf(e.getMessage()));
                filesSkipped++;
            }
        }
        results.sort((a, b) -> Veristat.ORDER.compare(a.row(), b.row()));
        if (log && !out.json()) {
            for (Result r : results) {
                out.println("PROCESSING " + r.row().file() + "/" + r.row().prog() + ", DURATION US: "
                        + r.row().number(Veristat.Stat.DURATION) + ", VERDICT: " + r.row().text(Veristat.Stat.VERDICT)
                        + ", VERIFIER LOG:\n" + r.log());
            }
        }
        List<Veristat.Row> rows = results.stream().map(Result::row).toList();
        if (out.json() && !errors.isEmpty()) {
            // one document: the files that could not be read, and the rows of those that could
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("error", String.join("; ", errors));
            doc.put("results", results.stream().map(VerifyCommand::json).toList());
            out.printJson(doc);
        } else if (out.json()) {
            out.printJson(results.stream().map(VerifyCommand::json).toList());
        } else if (table) {
            Veristat.printTable(out.out(), Veristat.TABLE, rows, "Done. Processed " + filesDone + " files, "
                    + rows.size() + " programs. Skipped " + filesSkipped + " files, 0 programs.");
        } else {
            out.out().print(VerifyReport.csv(results.stream().map(Result::entry).toList()));
        }
        if (explain && !out.json()) {
            // after the table on stdout; beside CSV on stderr, so that the CSV stays one document
            PrintWriter to = table ? out.out() : err;
            for (Result r : results) {
                VerifyReport.Entry e = r.entry();
                if (e.success()) {
                    continue;
                }
                to.println();
                to.println(e.diagnostic());
                to.print(e.explanation() == null ? "no explanation: the program was refused as a whole\n"
                        : e.explanation().render());
            }
            to.flush();
        }
        boolean failed = filesSkipped > 0 || rows.stream().anyMatch(r -> !r.success());
        return failed ? 1 : 0;
    }

    /** One program: its veristat row and the loader's report entry (error line, source place, log, JSON facts). */
    private record Result(Veristat.Row row, VerifyReport.Entry entry) {
        String log() {
            return entry.log();
        }
    }

    private Result verify(String file, BpfProgram p) {
        VerifyReport.Entry e = VerifyReport.verify(file, p, LoadOptions.builder().logLevel(logLevel).logSize(logSize).build());
        Map<Veristat.Stat, Long> n = new EnumMap<>(Veristat.Stat.class);
        n.put(Veristat.Stat.DURATION, e.durationUs());
        n.put(Veristat.Stat.TOTAL_INSNS, e.totalInsns());
        n.put(Veristat.Stat.TOTAL_STATES, e.totalStates());
        n.put(Veristat.Stat.PEAK_STATES, e.peakStates());
        n.put(Veristat.Stat.MAX_STATES_PER_INSN, e.maxStatesPerInsn());
        n.put(Veristat.Stat.MARK_READ_MAX_LEN, e.markReadMaxLen());
        return new Result(new Veristat.Row(file, p.name(), e.success(), n), e);
    }

    private static Map<String, Object> json(Result r) {
        return r.entry().jsonFields();
    }

    private int compare(Output out) throws IOException {
        if (files.size() != 2) {
            throw new CliException("comparison mode expects exactly two input CSV files");
        }
        Veristat.Csv a = Veristat.readCsv(files.get(0));
        Veristat.Csv b = Veristat.readCsv(files.get(1));
        if (!a.columns().equals(b.columns())) {
            throw new CliException("stats composition differs between '" + files.get(0) + "' and '" + files.get(1) + "'");
        }
        List<Veristat.Joined> joined = Veristat.join(a.rows(), b.rows());
        if (out.json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            String[] sfx = {"_base", "_comp", "_diff"};
            for (Veristat.Joined j : joined) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Veristat.Stat s : Veristat.CSV) {
                    String[] cells = Veristat.compareCells(j, s);
                    for (int k = 0; k < cells.length; k++) {
                        m.put(s.csvName() + (s.key() ? "" : sfx[k]), cells[k]);
                    }
                }
                rows.add(m);
            }
            out.printJson(rows);
        } else if (format.equals("csv")) {
            Veristat.printCompareCsv(out.out(), Veristat.CSV, joined);
        } else {
            Veristat.printCompareTable(out.out(), Veristat.TABLE, joined);
        }
        return 0;
    }
}
