package io.bpf4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes each workload's input to a directory and prints one line per workload for
 * run-interp-vs-kernel.sh: {@code name object program kind retval instructions}. The return
 * value is the third run's, after the program has changed its maps twice (the kernel reports
 * the last of many runs too).
 */
public final class WorkloadCheck {
    private WorkloadCheck() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Files.createDirectories(dir);
        for (Workload w : Workload.values()) {
            Files.write(dir.resolve(w.name() + ".in"), w.input());
            Workload.Prepared p = w.prepare();
            long r0 = 0;
            for (int i = 0; i < 3; i++) {
                r0 = p.run();
            }
            System.out.println(w.name() + " " + Corpus.resolve(w.object) + " " + w.program + " " + w.kind.name().toLowerCase()
                    + " " + r0 + " " + p.context().instructionsExecuted());
            p.object().close();
        }
    }
}
