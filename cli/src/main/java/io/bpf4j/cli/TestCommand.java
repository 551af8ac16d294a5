package io.bpf4j.cli;

import io.bpf4j.isa.BpfException;
import io.bpf4j.loader.selftest.Selftest;
import io.bpf4j.loader.selftest.SelftestResult;
import io.bpf4j.loader.selftest.Selftests;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code bpf4j test OBJ...}: the programs of objects annotated in the kernel's verifier
 * selftests convention (bpf_misc.h's decl tags) tested as test_loader.c tests them, one line
 * per test ({@code PASS}, {@code FAIL} with the reason, {@code SKIP} with the reason), then
 * {@code N passed, N failed, N skipped}. Exit code 1 when a test failed or an object could not
 * be read.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the verifier-selftest annotations (__success, __failure, __msg, __retval, ...) of BPF objects.")
final class TestCommand implements Callable<Integer> {
    @ParentCommand
    Bpf4j root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "OBJ", arity = "1..*", description = "BPF ELF objects annotated as the kernel's verifier selftests.")
    List<Path> files;

    @Option(names = {"-v", "--log"}, description = "Print the verifier log of each failed test.")
    boolean log;

    @Override
    public Integer call() {
        Output out = root.output(spec.commandLine().getOut());
        List<Map<String, Object>> json = new ArrayList<>();
        List<SelftestResult> results = new ArrayList<>();
        int unreadable = 0;
        for (Path file : files) {
            String base = file.getFileName().toString();
            List<Selftest> tests;
            try {
                tests = Selftests.read(file);
            } catch (BpfException | UncheckedIOException e) {
                unreadable++;
                String why = e instanceof UncheckedIOException u && u.getCause() != null ? e.getMessage() + ": " + u.getCause().getMessage()
                        : e.getMessage();
                if (out.json()) {
                    json.add(entry(base, null, "fail", why, null));
                } else {
                    out.println("FAIL  " + base + ": " + why);
                }
                continue;
            }
            for (Selftest t : tests) {
                SelftestResult r = Selftests.run(t);
                results.add(r);
                String status = switch (r.status()) {
                    case PASSED -> "PASS";
                    case FAILED -> "FAIL";
                    case SKIPPED -> "SKIP";
                };
                if (out.json()) {
                    json.add(entry(base, t, status.toLowerCase(Locale.ROOT), r.message(), r.retval()));
                    continue;
                }
                String line = status + "  " + t + (r.message().isEmpty() ? "" : ": " + r.message().replace("\n", "\n      "));
                out.println(line);
                if (log && r.status() == SelftestResult.Status.FAILED && !r.log().isEmpty()) {
                    out.println("VERIFIER LOG:\n=============\n" + r.log() + (r.log().endsWith("\n") ? "" : "\n") + "=============");
                }
            }
        }
        String summary = Selftests.summary(results);
        if (unreadable > 0) {
            long failed = results.stream().filter(r -> r.status() == SelftestResult.Status.FAILED).count() + unreadable;
            long passed = results.stream().filter(SelftestResult::passed).count();
            long skipped = results.size() - passed - (failed - unreadable);
            summary = passed + " passed, " + failed + " failed, " + skipped + " skipped";
        }
        if (out.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("tests", json);
            doc.put("summary", summary);
            out.printJson(doc);
        } else {
            out.println(summary);
        }
        boolean failed = unreadable > 0 || results.stream().anyMatch(r -> r.status() == SelftestResult.Status.FAILED);
        return failed ? 1 : 0;
    }

    private static Map<String, Object> entry(String file, Selftest t, String status, String message, Long retval) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("test", t == null ? null : t.name());
        m.put("prog", t == null ? null : t.spec().program());
        m.put("status", status);
        m.put("message", message == null || message.isEmpty() ? null : message);
        m.put("retval", retval);
        return m;
    }
}
