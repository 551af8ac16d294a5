package io.bpf4j.loader.soundness;

import io.bpf4j.loader.BpfObject;
import io.bpf4j.loader.BpfProgram;
import io.bpf4j.loader.Engine;
import io.bpf4j.loader.LoadOptions;
import io.bpf4j.loader.OpenOptions;
import io.bpf4j.loader.ProgramFaultException;
import io.bpf4j.loader.ProgramRejectedException;
import io.bpf4j.loader.TestRunInput;
import io.bpf4j.loader.TestRunResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One program through bpf4j: verified as {@code load()} verifies, and when accepted run on
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

    static Outcome check(ProgramGenerator.Program program, Random inputs, int runsPerEngine) {
        byte[] object = program.object();
        List<String> findings = new ArrayList<>();
        List<TestRunInput> packets = new ArrayList<>();
        for (int i = 0; i < runsPerEngine; i++) {
            byte[] data = new byte[14 + (inputs.nextInt(4) == 0 ? inputs.nextInt(8) : inputs.nextInt(120))];
            inputs.nextBytes(data);
            packets.add(TestRunInput.ofData(data));
        }
        List<List<Long>> results = new ArrayList<>();
        for (Engine engine : List.of(Engine.INTERPRETER, Engine.COMPILER)) {
            try (BpfObject obj = BpfObject.open(object, OPEN)) {
                try {
                    obj.load(LoadOptions.builder().engine(engine).build());
                } catch (ProgramRejectedException e) {
                    return new Outcome(false, e.kernelMessage(), 0, List.of());
                }
                BpfProgram prog = obj.program("prog").orElseThrow();
                List<Long> out = new ArrayList<>();
                for (TestRunInput in : packets) {
                    try {
                        TestRunResult r = prog.testRun(in);
                        out.add(r.retval());
                        out.add((long) Arrays.hashCode(r.dataOut()));
                    } catch (ProgramFaultException e) {
                        findings.add(engine.name().toLowerCase() + ": " + e.kind() + " at pc " + e.pc() + " on a "
                                + in.data().length + "-byte packet: " + e.getMessage());
                        out.add(Long.MIN_VALUE);
                    }
                }
                results.add(out);
            }
        }
        if (!results.get(0).equals(results.get(1))) {
            findings.add("the interpreter and the compiled engine disagree: " + results.get(0) + " vs " + results.get(1));
        }
        return new Outcome(true, null, runsPerEngine * 2, findings);
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
