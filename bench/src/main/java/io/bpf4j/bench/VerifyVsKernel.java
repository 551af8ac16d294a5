package io.bpf4j.bench;

import io.bpf4j.isa.abi.KernelProfile;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.KernelProfiles;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.ProgramVerification;
import io.bpf4j.verifier.VerifierStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bpf4j's verification time per program beside the kernel's own, on the programs the kernel
 * accepted in the same run (bench/run-verify-vs-kernel.sh feeds the lines of
 * bench/native/verify_time.c). Both figures are each verifier's own clock around its whole
 * check: the kernel's {@code verification time} (bpf_check) and bpf4j's
 * {@link VerifierStats#verificationTime()} (the analyzer from its input to its verdict), so
 * neither side counts opening, relocating or the system call.
 *
 * <p>Warm: every program is verified in a loop for {@code bpf4j.bench.warmupSeconds} (default
 * 10) before any is timed, so the JIT has compiled the verifier for all of them; then each is
 * verified {@code bpf4j.bench.verifyRepeat} times (default 30) and the median and the fastest
 * run are kept. The kernel profile is the running kernel's ({@link KernelProfiles#probe()}), as
 * in the parity tests, so both judge with the same helper sets.
 *
 * <p>Usage: {@code java -cp bpf4j-bench.jar io.bpf4j.bench.VerifyVsKernel KERNEL_RESULTS OBJECT_DIR}.
 */
public final class VerifyVsKernel {
    private VerifyVsKernel() {
    }

    private record Kernel(String file, String program, long medianUs, long minUs, int processed, int states, int peak) {
    }

    private record Row(Kernel k, double medianUs, double minUs, VerifierStats stats) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: VerifyVsKernel KERNEL_RESULTS OBJECT_DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        int warmupSeconds = Integer.getInteger("bpf4j.bench.warmupSeconds", 10);
        int repeat = Integer.getInteger("bpf4j.bench.verifyRepeat", 30);
        List<Kernel> kernel = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 8 && f[2].equals("ok")) {
                kernel.add(new Kernel(f[0], f[1], Long.parseLong(f[3]), Long.parseLong(f[4]), Integer.parseInt(f[5]),
                        Integer.parseInt(f[6]), Integer.parseInt(f[7])));
            }
        }
        KernelProfile profile = KernelProfiles.probe();
        LoadOptions options = LoadOptions.builder().logLevel(0).kernelProfile(profile).build();
        Map<String, BpfObject> objects = new LinkedHashMap<>();
        List<Kernel> judged = new ArrayList<>();
        List<BpfProgram> programs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Kernel k : kernel) {
            BpfObject obj = objects.computeIfAbsent(k.file(), f -> {
                try {
                    return BpfObject.open(dir.resolve(f));
                } catch (RuntimeException e) {
                    return null;
                }
            });
            BpfProgram p = obj == null ? null : obj.program(k.program()).orElse(null);
            ProgramVerification v;
            try {
                v = p == null ? null : p.verify(options);
            } catch (RuntimeException e) {
                v = null;
            }
            if (v == null || !v.accepted()) {
                skipped.add(k.file() + " " + k.program() + (v == null ? " (bpf4j cannot open or relocate it)"
                        : " (bpf4j: " + v.errorLine().orElse(v.status().toString()) + ")"));
                continue;
            }
            judged.add(k);
            programs.add(p);
        }
        long end = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        long warmRuns = 0;
        while (System.nanoTime() < end) {
            for (BpfProgram p : programs) {
                p.verify(options);
                warmRuns++;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < programs.size(); i++) {
            long[] ns = new long[repeat];
            VerifierStats stats = null;
            for (int r = 0; r < repeat; r++) {
                stats = programs.get(i).verify(options).stats();
                ns[r] = stats.verificationTime().toNanos();
            }
            Arrays.sort(ns);
            rows.add(new Row(judged.get(i), ns[repeat / 2] / 1000.0, ns[0] / 1000.0, stats));
        }
        for (BpfObject o : objects.values()) {
            if (o != null) {
                o.close();
            }
        }
        print(rows, skipped, warmRuns, repeat);
    }

    /**
     * One line per timed program: {@code file program median_us best_us processed total_states
     * peak_states} (bpf4j's), then {@code not-timed file program why}; the script joins them with
     * the kernel's figures.
     */
    private static void print(List<Row> rows, List<String> skipped, long warmRuns, int repeat) {
        System.out.printf(Locale.ROOT, "# bpf4j: %d warm-up verifications, then %d timed per program%n", warmRuns, repeat);
        for (Row r : rows) {
            VerifierStats s = r.stats();
            System.out.printf(Locale.ROOT, "%s %s %.1f %.1f %d %d %d%n", r.k().file(), r.k().program(), r.medianUs(), r.minUs(),
                    s.processedInsns(), s.totalStates(), s.peakStates());
        }
        for (String s : skipped) {
            System.out.println("not-timed " + s);
        }
    }
}
