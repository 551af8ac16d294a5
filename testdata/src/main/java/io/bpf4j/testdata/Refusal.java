package io.bpf4j.testdata;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Why the kernel refused a program, as libbpf printed it, and whether the reason belongs to
 * the kernel's build (a helper or kfunc this build does not offer that program type, lockdown,
 * a missing attach target) rather than to the program: such refusals are reported and skipped,
 * never counted as a failure of bpf4j.
 */
public record Refusal(String program, String reason) {
    /** Verifier log lines that are statistics, not reasons (as testdata/kernel-survey/survey.c skips them). */
    private static final List<String> STATISTICS = List.of("processed ", "verification time", "stack depth",
            "-- END PROG LOAD LOG", "Warning: ", "SCC exit");

    private static final List<Pattern> BUILD = List.of(
            Pattern.compile("program of this type cannot use helper \\w+#\\d+"),
            Pattern.compile("unknown func \\w+#\\d+"),
            Pattern.compile("invalid func unknown#\\d+"),
            Pattern.compile("calling kernel function \\w+ is not allowed"),
            Pattern.compile("Operation not permitted"),
            Pattern.compile("attach_btf_id \\d+ is not a function"),
            Pattern.compile("The address of function \\w+ cannot be found"),
            Pattern.compile("Invalid argument \\(empty log\\)"));

    /** Whether the reason is one of the kernel's build rather than of the program. */
    public boolean ofTheKernelBuild() {
        return BUILD.stream().anyMatch(p -> p.matcher(reason).find());
    }

    @Override
    public String toString() {
        return program + ": " + reason + (ofTheKernelBuild() ? " (a limit of this kernel build)" : "");
    }

    /**
     * The reason in what libbpf printed for a failed load: the last line of the verifier log
     * that is not a statistics line, else libbpf's last message, else the tool's last line.
     */
    public static String reason(String libbpfOutput) {
        List<String> lines = libbpfOutput.lines().toList();
        int begin = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("-- BEGIN PROG LOAD LOG --")) {
                begin = i;
            }
        }
        if (begin >= 0) {
            String best = null;
            for (int i = begin + 1; i < lines.size() && !lines.get(i).contains("-- END PROG LOAD LOG --"); i++) {
                String l = lines.get(i);
                if (!l.isBlank() && STATISTICS.stream().noneMatch(l::startsWith)) {
                    best = l;
                }
            }
            if (best != null) {
                int limit = best.indexOf("BPF program is too large");
                return limit > 0 ? best.substring(limit) : best;
            }
        }
        String best = null;
        for (String l : lines) {
            java.util.regex.Matcher m = Pattern.compile("BPF program load failed: (.*)").matcher(l);
            if (m.find()) {
                return m.group(1) + " (empty log)";
            }
            if (l.startsWith("libbpf: ") && !l.contains("failed to load object") && !l.matches("libbpf: prog '[^']*': failed to load: .*")) {
                best = l;
            }
        }
        if (best != null) {
            return best;
        }
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
    }
}
