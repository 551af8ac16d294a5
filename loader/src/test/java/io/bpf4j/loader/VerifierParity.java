package io.bpf4j.loader;

import io.bpf4j.isa.BpfException;
import io.bpf4j.isa.abi.KernelProfile;
import io.bpf4j.loader.selftest.Selftest;
import io.bpf4j.loader.selftest.Selftests;
import io.bpf4j.testdata.KernelVerifier;
import io.bpf4j.testdata.KernelVerifier.ObjectProgram;
import io.bpf4j.testdata.KernelVerifier.ObjectVerdicts;
import io.bpf4j.verifier.Privileges;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Kernel and bpf4j side by side on every program of BPF objects: the running kernel through
 * libbpf ({@link KernelVerifier}, each program with its own log) and bpf4j's verifier on the
 * same program as {@link BpfObject#load} would verify it, in the same run. Programs the kernel
 * never judged are counted apart: objects libbpf cannot open, programs libbpf refuses before
 * BPF_PROG_LOAD, and this machine's lockdown (EPERM with an empty log for fentry, fexit, lsm...).
 *
 * <p>Also a command: {@code VerifierParity DIR [LOG_LEVEL]} compares every {@code .o} under DIR
 * and prints agreement grouped by file (used on the kernel's verifier selftests, built outside
 * the repository).
 */
public final class VerifierParity {
    /** How one program fared on both sides. */
    public enum Outcome {
        /** Same verdict; for a rejection also the same error line. */
        AGREE,
        /** Both reject, with different error lines. */
        SAME_VERDICT_OTHER_LINE,
        /** bpf4j rejects with "bpf4j: not supported yet", the kernel decided otherwise. */
        UNSUPPORTED,
        /** Different verdicts. */
        DISAGREE,
        /** bpf4j threw something other than a verifier rejection (a bpf4j bug). */
        CRASH,
        /** The kernel never judged it (libbpf refused it, lockdown, or bpf4j could not open the object). */
        NOT_JUDGED,
        /**
         * Beyond this kernel: the program has {@code callx} or {@code gotox}, which 6.18 refuses as an
         * unknown opcode before it looks at anything else; bpf4j judges it by 6.19's and the pending
         * series' rules (docs/indirect-calls.md), so the two verdicts are not comparable.
         */
        BEYOND_KERNEL
    }

    /** One program: both answers and their comparison. */
    public record Program(String file, String name, Outcome outcome, String kernel, String bpf4j, String note) {}

    private VerifierParity() {
    }

    /**
     * Every program of {@code object} on both sides, at {@code logLevel}, bpf4j judging with
     * {@code profile} (the running kernel's: {@link KernelProfiles#probe()}).
     */
    public static List<Program> compare(KernelVerifier kernel, Path object, int logLevel, KernelProfile profile) {
        String file = object.getFileName().toString();
        ObjectVerdicts k = kernel.verifyObject(object, logLevel);
        List<Program> out = new ArrayList<>();
        if (k.openError() != null) {
            out.add(new Program(file, "*", Outcome.NOT_JUDGED, "libbpf: " + lastLine(k.openError()), "", "libbpf cannot open"));
            return out;
        }
        BpfObject obj;
        try {
            obj = BpfObject.open(object);
        } catch (BpfException | UncheckedIOException e) {
            for (ObjectProgram p : k.programs()) {
                out.add(new Program(file, p.name(), Outcome.NOT_JUDGED, p.verdict().summary(), "open: " + e.getMessage(),
                        "bpf4j cannot open"));
            }
            return out;
        }
        try (obj) {
            for (ObjectProgram p : k.programs()) {
                out.add(compare(file, p, obj, logLevel, profile));
            }
        }
        return out;
    }

    /**
     * The programs of a selftest object that have an {@code @unpriv} run, judged as a user without
     * capabilities on both sides: the kernel's harness as nobody (call it inside
     * {@link io.bpf4j.testdata.UnprivilegedBpf#enabled}), bpf4j with {@link Privileges#UNPRIVILEGED}.
     * Empty when the object has none.
     */
    public static List<Program> compareUnprivileged(KernelVerifier kernel, Path object, int logLevel, KernelProfile profile) {
        String file = object.getFileName().toString();
        List<String> names;
        try {
            names = Selftests.read(object).stream().filter(Selftest::unprivileged).map(t -> t.spec().program()).distinct()
                    .toList();
        } catch (BpfException | UncheckedIOException e) {
            return List.of(new Program(file, "*", Outcome.NOT_JUDGED, "", "open: " + e.getMessage(), "bpf4j cannot open"));
        }
        if (names.isEmpty()) {
            return List.of();
        }
        ObjectVerdicts k = kernel.verifyObjectUnprivileged(object, logLevel, names.toArray(String[]::new));
        List<Program> out = new ArrayList<>();
        if (k.openError() != null) {
            out.add(new Program(file, "*", Outcome.NOT_JUDGED, "libbpf: " + lastLine(k.openError()), "", "libbpf cannot open"));
            return out;
        }
        try (BpfObject obj = BpfObject.open(object)) {
            for (ObjectProgram p : k.programs()) {
                out.add(compare(file, p, obj, logLevel, profile, Privileges.UNPRIVILEGED));
            }
        }
        return out;
    }

    private static Program compare(String file, ObjectProgram kp, BpfObject obj, int logLevel, KernelProfile profile) {
        return compare(file, kp, obj, logLevel, profile, Privileges.ROOT);
    }

    private static Program compare(String file, ObjectProgram kp, BpfObject obj, int logLevel, KernelProfile profile,
                                   Privileges privileges) {
        KernelVerifier.Verdict kv = kp.verdict();
        String kernelSide = kv.summary();
        if (!kv.accepted() && kv.errorLine() == null) {
            String why = kv.errno() == 1 ? "lockdown or permission (EPERM, empty log)"
                    : "libbpf refused before the kernel: " + lastLine(kv.libbpf());
            return new Program(file, kp.name(), Outcome.NOT_JUDGED, kernelSide, "", why);
        }
        BpfProgram p = obj.program(kp.name()).orElse(null);
        if (p == null) {
            return new Program(file, kp.name(), Outcome.CRASH, kernelSide, "no such program in bpf4j's open", "");
        }
        java.util.List<String> callTables = p.relocated().indirect().tables().stream()
                .filter(t -> t.kind() == io.bpf4j.relocator.tables.TableKind.CALL_TABLE).map(t -> t.table()).toList();
        if (!callTables.isEmpty()) {
            // libbpf 1.1 leaves a const array of function pointers in .rodata and appends none of its
            // callees: the kernel is given another program than the one bpf4j verifies
            return new Program(file, kp.name(), Outcome.NOT_JUDGED, kernelSide, "",
                    "bpf4j makes call tables of " + callTables + ", libbpf 1.1 does not");
        }
        ProgramVerification v;
        boolean beyond = beyondKernel(p, kv);
        try {
            v = p.verify(LoadOptions.builder().logLevel(logLevel).kernelProfile(profile).privileges(privileges).build());
        } catch (BpfException e) {
            // bpf4j's relocation refused what libbpf relocated
            return new Program(file, kp.name(), Outcome.DISAGREE, kernelSide, "relocation: " + e.getMessage(), "");
        } catch (RuntimeException | StackOverflowError e) {
            return new Program(file, kp.name(), Outcome.CRASH, kernelSide, e.toString(), "");
        }
        recordStats(file, kp.name(), kv.log(), v.log());
        String line = v.rejection() == null ? null
                : v.log().isBlank() ? v.rejection().kernelMessage() : KernelVerifier.errorLine(v.log());
        String bpf4jSide = v.accepted() ? "accepted" : "rejected: " + line;
        Outcome o;
        if (v.accepted() == kv.accepted()) {
            o = kv.accepted() || kv.errorLine().equals(line) ? Outcome.AGREE : Outcome.SAME_VERDICT_OTHER_LINE;
        } else {
            o = v.status() == ProgramVerification.Status.UNSUPPORTED ? Outcome.UNSUPPORTED : Outcome.DISAGREE;
        }
        if (o == Outcome.SAME_VERDICT_OTHER_LINE && v.status() == ProgramVerification.Status.UNSUPPORTED) {
            o = Outcome.UNSUPPORTED;
        }
        if (beyond) {
            o = Outcome.BEYOND_KERNEL;
        }
        return new Program(file, kp.name(), o, kernelSide, bpf4jSide, "");
    }

    /** The kernel refused an indirect-flow opcode it does not know, and the program has one. */
    private static boolean beyondKernel(BpfProgram p, KernelVerifier.Verdict kv) {
        String line = kv.errorLine();
        if (kv.accepted() || !("unknown opcode 8d".equals(line) || "unknown opcode 0d".equals(line))) {
            return false;
        }
        io.bpf4j.isa.Instructions insns = p.instructions();
        for (int i = 0; i < insns.slotCount(); i++) {
            int code = insns.slotAt(i).code();
            if (code == io.bpf4j.isa.Opcodes.CODE_CALLX || code == io.bpf4j.isa.Opcodes.CODE_GOTOX) {
                return true;
            }
        }
        return false;
    }

    /**
     * With {@code -Dbpf4j.statsReport=FILE}: appends file, program and both sides' {@code processed}
     * lines, tab-separated (how closely bpf4j's exploration and pruning follow the kernel's).
     */
    private static void recordStats(String file, String prog, String kernelLog, String bpf4jLog) {
        String out = System.getProperty("bpf4j.statsReport");
        if (out == null || out.isBlank()) {
            return;
        }
        try {
            Files.writeString(Path.of(out), file + "\t" + prog + "\t" + processed(kernelLog) + "\t" + processed(bpf4jLog) + "\n",
                    java.nio.charset.StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String processed(String log) {
        int at = log == null ? -1 : log.lastIndexOf("processed ");
        if (at < 0) {
            return "-";
        }
        int end = log.indexOf('\n', at);
        return log.substring(at, end < 0 ? log.length() : end);
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** Counts per outcome, grouped by file, then the programs that do not agree. */
    public static void print(List<Program> all, PrintStream out) {
        Map<String, int[]> byFile = new TreeMap<>();
        int[] total = new int[Outcome.values().length];
        for (Program p : all) {
            byFile.computeIfAbsent(p.file(), f -> new int[Outcome.values().length])[p.outcome().ordinal()]++;
            total[p.outcome().ordinal()]++;
        }
        String header = String.format("%-44s %6s %6s %6s %6s %6s %6s %6s %6s", "file", "progs", "agree", "line", "unsup",
                "differ", "crash", "unjudg", "beyond");
        out.println(header);
        byFile.forEach((f, c) -> out.println(row(f, c)));
        out.println(row("TOTAL", total));
        int judged = all.size() - total[Outcome.NOT_JUDGED.ordinal()] - total[Outcome.BEYOND_KERNEL.ordinal()];
        int sameVerdict = total[Outcome.AGREE.ordinal()] + total[Outcome.SAME_VERDICT_OTHER_LINE.ordinal()];
        long kernelRejections = all.stream().filter(p -> p.outcome() != Outcome.NOT_JUDGED && p.outcome() != Outcome.BEYOND_KERNEL
                && p.kernel().startsWith("rejected")).count();
        long sameLine = all.stream().filter(p -> p.outcome() == Outcome.AGREE && p.kernel().startsWith("rejected")).count();
        out.printf("judged by the kernel: %d of %d programs; same verdict: %d; kernel rejections: %d, same error line: %d%n",
                judged, all.size(), sameVerdict, kernelRejections, sameLine);
        out.printf("beyond the kernel (callx/gotox, which 6.18 refuses as unknown opcodes): %d programs, bpf4j accepts %d%n",
                total[Outcome.BEYOND_KERNEL.ordinal()], all.stream().filter(p -> p.outcome() == Outcome.BEYOND_KERNEL
                        && p.bpf4j().equals("accepted")).count());
        for (Program p : all) {
            if (p.outcome() != Outcome.AGREE && p.outcome() != Outcome.NOT_JUDGED) {
                out.printf("%s %s %s%n    kernel: %s%n    bpf4j:  %s%n", p.outcome(), p.file(), p.name(), p.kernel(), p.bpf4j());
            }
        }
    }

    private static String row(String file, int[] c) {
        int n = 0;
        for (int x : c) {
            n += x;
        }
        return String.format("%-44s %6d %6d %6d %6d %6d %6d %6d %6d", file, n, c[Outcome.AGREE.ordinal()],
                c[Outcome.SAME_VERDICT_OTHER_LINE.ordinal()], c[Outcome.UNSUPPORTED.ordinal()],
                c[Outcome.DISAGREE.ordinal()], c[Outcome.CRASH.ordinal()], c[Outcome.NOT_JUDGED.ordinal()],
                c[Outcome.BEYOND_KERNEL.ordinal()]);
    }

    /** Every {@code .o} under {@code dir}, sorted. */
    public static List<Path> objects(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code VerifierParity DIR [LOG_LEVEL]}: compares every object under DIR and prints the summary. */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: VerifierParity DIR [LOG_LEVEL]");
            System.exit(2);
        }
        String why = KernelVerifier.unavailableReason();
        if (why != null) {
            System.err.println("kernel verifier unavailable: " + why);
            System.exit(1);
        }
        int level = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        KernelVerifier k = KernelVerifier.require();
        KernelProfile profile = KernelProfiles.probe();
        List<Program> all = new ArrayList<>();
        for (Path o : objects(Path.of(args[0]))) {
            all.addAll(compare(k, o, level, profile));
        }
        print(all, System.out);
    }
}
