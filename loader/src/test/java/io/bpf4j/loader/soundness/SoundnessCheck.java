package io.bpf4j.loader.soundness;

import io.bpf4j.loader.BpfMap;
import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.Engine;
import io.bpf4j.loader.EngineComparison;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.OpenOptions;
import io.bpf4j.loader.ProgramFaultException;
import io.bpf4j.loader.ProgramRejectedException;
import io.bpf4j.loader.TestRunInput;
import io.bpf4j.loader.TestRunResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * One program through bpf4j: verified once as {@code load()} verifies, and when accepted run on
 * random packets by the interpreter and the compiled engine. A verified program that faults,
 * or whose engines disagree, is unsound: that is what this check looks for.
 */
final class SoundnessCheck {
    private static final OpenOptions OPEN = OpenOptions.builder().objectName("sound").readHostKconfig(false)
            .kernelVersion(0x061200).build();

    /** The verdict and, for an accepted program, what its runs found. */
    record Outcome(boolean accepted, String rejection, int runs, List<String> findings) {
        boolean sound() {
            return findings.isEmpty();
        }
    }

    private SoundnessCheck() {
    }

    /**
     * Verifies the program once, as a compiled load does; when accepted, runs the packets on the
     * interpreter, then (the map emptied again, as a fresh load has it) on the compiled engine,
     * which has the verifier's facts.
     */
    static Outcome check(ProgramGenerator.Program program, Random inputs, int runsPerEngine) {
        List<String> findings = new ArrayList<>();
        List<TestRunInput> packets = new ArrayList<>();
        for (int i = 0; i < runsPerEngine; i++) {
            byte[] data = new byte[14 + (inputs.nextInt(4) == 0 ? inputs.nextInt(8) : inputs.nextInt(120))];
            inputs.nextBytes(data);
            packets.add(TestRunInput.ofData(data));
        }
        try (BpfObject obj = BpfObject.open(program.object(), OPEN)) {
            try {
                obj.load(LoadOptions.builder().engine(Engine.COMPILER).build());
            } catch (ProgramRejectedException e) {
                return new Outcome(false, e.kernelMessage(), 0, List.of());
            }
            BpfProgram prog = obj.program("prog").orElseThrow();
            List<Long> interpreted = runs(packets, "interpreter", findings, in -> EngineComparison.testRunInterpreted(prog, in));
            emptyMaps(obj);
            List<Long> compiled = runs(packets, "compiler", findings, prog::testRun);
            if (!interpreted.equals(compiled)) {
                findings.add("the interpreter and the compiled engine disagree: " + interpreted + " vs " + compiled);
            }
        }
        return new Outcome(true, null, runsPerEngine * 2, findings);
    }

    /** Each packet's retval and data_out hash, a fault as a finding (and Long.MIN_VALUE). */
    private static List<Long> runs(List<TestRunInput> packets, String engine, List<String> findings,
            Function<TestRunInput, TestRunResult> run) {
        List<Long> out = new ArrayList<>();
        for (TestRunInput in : packets) {
            try {
                TestRunResult r = run.apply(in);
                out.add(r.retval());
                out.add((long) Arrays.hashCode(r.dataOut()));
            } catch (ProgramFaultException e) {
                findings.add(engine + ": " + e.kind() + " at pc " + e.pc() + " on a " + in.data().length + "-byte packet: " + e.getMessage());
                out.add(Long.MIN_VALUE);
            }
        }
        return out;
    }

    /** Zeroes every value of the generator's array map, as a fresh load leaves it. */
    private static void emptyMaps(BpfObject obj) {
        for (BpfMap m : obj.maps()) {
            for (int k = 0; k < m.maxEntries(); k++) {
                m.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(k).array(), new byte[m.valueSize()]);
            }
        }
    }

    /** bpf4j's verdict alone: null when the verifier accepts the program, else the kernel-format error line. */
    static String rejection(ProgramGenerator.Program program) {
        try (BpfObject obj = BpfObject.open(program.object(), OPEN)) {
            obj.load(LoadOptions.builder().engine(Engine.INTERPRETER).build());
            return null;
        } catch (ProgramRejectedException e) {
            return e.kernelMessage();
        }
    }

    /** The program's instructions, one per line, for a finding's report. */
    static String listing(ProgramGenerator.Program program) {
        StringBuilder sb = new StringBuilder();
        try (BpfObject obj = BpfObject.open(program.object(), OPEN)) {
            obj.program("prog").orElseThrow().disassemble().forEach(l -> sb.append("    ").append(l).append('\n'));
        }
        return sb.toString();
    }
}
