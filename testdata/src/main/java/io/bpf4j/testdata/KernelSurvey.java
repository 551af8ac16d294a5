package io.bpf4j.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The kernel survey (testdata/kernel-survey/survey.c, what {@code kernel-survey.sh} runs to write
 * {@code goldens/kernel-accepts.txt} and {@code goldens/kernel-runs.txt}) made against the
 * running kernel now, so the committed files can be diffed against it: which programs this
 * kernel accepts (and why it refuses the others) and what their test runs return.
 *
 * @param verdicts {@code "<object> <program>"} to {@code "<section> accepted"} or {@code "<section> rejected: <reason>"}
 * @param runs     {@code "<object> <program> <input>"} to what the run gave ({@code "retval 0"}, {@code "result 28 status 0"})
 */
public record KernelSurvey(Map<String, String> verdicts, Map<String, String> runs) {

    /** The committed survey ({@code goldens/kernel-accepts.txt} and {@code goldens/kernel-runs.txt}). */
    public static KernelSurvey committed() {
        try {
            return parse(Files.readAllLines(TestData.kernelAccepts()), Files.readAllLines(TestData.kernelRuns()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The survey of every little-endian object made now by this machine's libbpf and kernel.
     * An object libbpf cannot open gets its reason for every program the committed survey
     * lists for it (kernel-survey.sh lists them from the symbol table).
     */
    public static KernelSurvey live() {
        KernelFacts.assume(LiveKernel.unavailableReason());
        Path work = null;
        Path pins = LiveKernel.BPFFS.resolve("bpf4j_survey_" + ProcessHandle.current().pid() + "_" + System.nanoTime());
        try {
            work = Files.createTempDirectory("bpf4j-survey");
            Path survey = work.resolve("survey");
            List<String> cc = List.of(LibbpfCapture.compiler(), "-O1", "-Wall", "-o", survey.toString(),
                    TestData.dir().resolve("kernel-survey/survey.c").toString(), "-lbpf");
            Exec.run(cc).orThrow(cc);
            KernelSurvey committed = committed();
            List<String> accepts = new ArrayList<>();
            List<String> runs = new ArrayList<>();
            for (Path o : TestData.objects()) {
                String name = o.getFileName().toString();
                if (TestData.isBigEndian(o)) {
                    continue;
                }
                Files.createDirectories(pins);
                Exec.Result r = Exec.run(List.of(survey.toString(), name, pins.toString()), TestData.objectsDir(), Map.of());
                if (r.exit() == 0) {
                    accepts.addAll(r.text().lines().filter(l -> l.startsWith(name + " ")).toList());
                } else {
                    String why = r.text().strip();
                    committed.verdicts().forEach((k, v) -> {
                        if (k.startsWith(name + " ")) {
                            accepts.add(name + " " + v.split(" ", 2)[0] + " " + k.substring(name.length() + 1) + " rejected: " + why);
                        }
                    });
                }
                LiveKernel.deleteTree(pins);
                Files.createDirectories(pins);
                Exec.Result run = Exec.run(List.of(survey.toString(), name, pins.toString(), "run"), TestData.objectsDir(), Map.of());
                runs.addAll(run.text().lines().filter(l -> l.startsWith(name + " ")).toList());
                LiveKernel.deleteTree(pins);
            }
            return parse(accepts, runs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            LiveKernel.deleteTree(work);
            LiveKernel.deleteTree(pins);
        }
    }

    static KernelSurvey parse(List<String> acceptLines, List<String> runLines) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (String l : acceptLines) {
            String[] f = l.split(" ", 4);
            if (l.startsWith("#") || f.length < 4) {
                continue;
            }
            verdicts.put(f[0] + " " + f[2], f[1] + " " + f[3]);
        }
        Map<String, String> runs = new LinkedHashMap<>();
        for (String l : runLines) {
            String[] f = l.split(" ", 4);
            if (l.startsWith("#") || f.length < 4) {
                continue;
            }
            // "<expr> result <n> status <s>" and "<expr> retval <n>" are two facts of one run
            String kind = f[3].startsWith("result ") ? " result" : f[3].startsWith("retval ") ? " retval" : "";
            runs.put(f[0] + " " + f[1] + " " + f[2] + kind, f[3]);
        }
        return new KernelSurvey(verdicts, runs);
    }

    /** Every verdict and run of {@code committed} that {@code live} gives differently, or lacks, or adds. */
    public static List<KernelFacts.Change> diff(KernelSurvey committed, KernelSurvey live) {
        List<KernelFacts.Change> out = new ArrayList<>();
        diff("verdict of ", committed.verdicts(), live.verdicts(), out);
        diff("test run of ", committed.runs(), live.runs(), out);
        return out;
    }

    private static void diff(String what, Map<String, String> a, Map<String, String> b, List<KernelFacts.Change> out) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            String x = a.getOrDefault(k, "(absent)");
            String y = b.getOrDefault(k, "(absent)");
            if (!x.equals(y)) {
                out.add(new KernelFacts.Change(what + k, x, y));
            }
        }
    }
}
