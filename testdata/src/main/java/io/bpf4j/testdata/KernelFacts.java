package io.bpf4j.testdata;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assertions;
import org.opentest4j.TestAbortedException;

/**
 * Facts that come from the running kernel (BTF ids, kallsyms addresses, Kconfig values, helper
 * availability, verdicts, test-run results): tests take them from the kernel in the same run
 * and treat committed captures of them as inputs to diff against, never as the expectation.
 *
 * <p>{@link #assume} is how a kernel-tagged test says it needs the kernel: skipped where the
 * kernel (or a tool) is missing, failed instead when {@code bpf4j.requireKernel} is true (CI).
 * {@link #diff} names every fact of a committed capture that the running kernel now gives
 * differently, and {@link #report} prints them, so that a changed kernel build is visible
 * without failing anything.
 */
public final class KernelFacts {
    /** The system property (set by CI) that turns a missing kernel into a failure. */
    public static final String REQUIRE_PROPERTY = "bpf4j.requireKernel";

    /** Keys of captured JSON that vary from run to run on any kernel (pin directories name the capturing pid). */
    private static final Set<String> PER_RUN = Set.of("pin_path");

    private KernelFacts() {}

    /** Whether kernel-tagged tests must run ({@code -Dbpf4j.requireKernel=true}, set by CI). */
    public static boolean required() {
        return Boolean.getBoolean(REQUIRE_PROPERTY);
    }

    /**
     * Nothing when {@code unavailableReason} is null; else aborts the calling test (JUnit
     * assumption) with that reason, or fails it when the kernel is {@linkplain #required() required}.
     */
    public static void assume(String unavailableReason) {
        if (unavailableReason == null) {
            return;
        }
        if (required()) {
            Assertions.fail(REQUIRE_PROPERTY + " is set but the kernel cannot be used: " + unavailableReason);
        }
        throw new TestAbortedException("needs the running kernel: " + unavailableReason);
    }

    /** {@link #assume} with {@link LiveKernel#unavailableReason()}: root, bpftool, bpffs, libbpf. */
    public static void assumeKernel() {
        assume(LiveKernel.unavailableReason());
    }

    /**
     * Aborts the calling test because the running kernel refused what it needs for a reason of
     * its build (a helper it lacks, lockdown): reported by name and reason, never a failure.
     */
    public static TestAbortedException refused(String what, String reason) {
        String line = "this kernel (" + release() + ") refuses " + what + ": " + reason;
        System.out.println("skipped: " + line);
        return new TestAbortedException(line);
    }

    /**
     * What a test does with a program of {@code object} that the running kernel refused: skip
     * it (JUnit abort, by name with the reason) when the committed survey already records it
     * as rejected, or when the reason is one of the kernel's build ({@link Refusal#ofTheKernelBuild()});
     * otherwise fail (this throws the assertion), since the refusal is explained by nothing.
     * Throw what this returns.
     */
    public static RuntimeException refusedProgram(String object, Refusal refusal) {
        String committed = KernelSurvey.committed().verdicts().get(object + " " + refusal.program());
        String what = object + " " + refusal.program();
        if (committed != null && committed.contains(" rejected: ")) {
            return refused(what, refusal.reason() + " (kernel-accepts.txt records it rejected too)");
        }
        if (refusal.ofTheKernelBuild()) {
            return refused(what, refusal.reason() + (committed == null ? "" : " (kernel-accepts.txt says accepted: a limit of this build)"));
        }
        throw new org.opentest4j.AssertionFailedError("this kernel (" + release() + ") refuses " + what + " for a reason that is not one of its build"
                + (committed == null ? "" : " (kernel-accepts.txt: " + committed + ")") + ": " + refusal.reason());
    }

    /** {@code uname -r} of the running kernel, or "unknown". */
    public static String release() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** One fact that differs between a committed capture and the live one. */
    public record Change(String fact, String committed, String live) {
        @Override
        public String toString() {
            return fact + ": committed " + committed + ", live " + live;
        }
    }

    /**
     * Every fact (JSON leaf) of {@code committed} that {@code live} gives differently, named by
     * its path; array elements that carry a {@code program} or {@code name} are named by it
     * ({@code loads[ksyms].prog_load.insns[1]}). Pin directories are not facts.
     */
    public static List<Change> diff(JsonNode committed, JsonNode live) {
        List<Change> out = new ArrayList<>();
        diff("", committed, live, out);
        return out;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<Change> out) {
        if (a == null || b == null || a.getNodeType() != b.getNodeType()) {
            if (!(a == null && b == null)) {
                out.add(new Change(path, text(a), text(b)));
            }
            return;
        }
        if (a.isObject()) {
            Set<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (!PER_RUN.contains(k)) {
                    diff(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
                }
            }
        } else if (a.isArray()) {
            if (a.size() != b.size()) {
                out.add(new Change(path + ".length", Integer.toString(a.size()), Integer.toString(b.size())));
            }
            Iterator<JsonNode> i = a.elements();
            Iterator<JsonNode> j = b.elements();
            for (int n = 0; i.hasNext() && j.hasNext(); n++) {
                JsonNode x = i.next();
                diff(path + "[" + label(x, n) + "]", x, j.next(), out);
            }
        } else if (!a.equals(b)) {
            out.add(new Change(path, text(a), text(b)));
        }
    }

    private static String label(JsonNode element, int index) {
        for (String k : List.of("program", "name")) {
            if (element.isObject() && element.hasNonNull(k) && element.get(k).isTextual()) {
                return element.get(k).asText();
            }
        }
        return Integer.toString(index);
    }

    private static String text(JsonNode n) {
        if (n == null) {
            return "(absent)";
        }
        String s = n.isTextual() ? n.asText() : n.toString();
        s = s.replace("\n", "\\n");
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    /** Prints {@code changes} as facts of {@code what} that the live capture gives differently; returns them. */
    public static List<Change> report(String what, List<Change> changes) {
        if (!changes.isEmpty()) {
            System.out.println("kernel facts of " + what + " that the live capture (" + release() + ") gives differently from the committed one: "
                    + changes.size());
            for (Change c : changes) {
                System.out.println("  changed " + c);
            }
        }
        return changes;
    }
}
