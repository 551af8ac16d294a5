package io.bpf4j.jit.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bpf4j.isa.Instructions;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.compiler.GeneratedClasses.Outcome;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.Pointers;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The differential fuzzer: random programs ({@link RandomPrograms}) run on the interpreter and
 * on the compiler with the same inputs (arguments, a 64-byte input region, instruction budget,
 * random seed) must end the same: the same r0 or the same fault (class, pc, message), the same
 * instruction count, the same input region and main frame bytes afterwards.
 *
 * <p>{@link #fixedSeedPrograms} is the normal build's run (a fixed seed, so a failure names its
 * program and input again); {@link #randomPrograms} is the Jazzer target ({@code JAZZER_FUZZ=1};
 * without it, its committed inputs, if any, run as regression tests).
 */
class CompilerFuzzTest {
    private static final long SEED = 0x5eed_b9f4L;
    private static final int PROGRAMS = Integer.getInteger("bpf4j.fuzz.programs", 600);
    private static final int INPUTS = 3;

    /**
     * One program and its inputs, compared; returns whether the compiler compiled it (not its
     * interpreter fallback). {@code endings} counts how the runs ended (r0, or the fault's class).
     */
    static boolean compare(Instructions insns, long[][] inputs, String what, java.util.Map<String, Integer> endings) {
        return compare(insns, inputs, what, endings, Integer.MAX_VALUE);
    }

    /** As above, with every function whose method would exceed {@code splitAbove} bytes split into chunk methods. */
    static boolean compare(Instructions insns, long[][] inputs, String what, java.util.Map<String, Integer> endings, int splitAbove) {
        ProgramImage image = ProgramImage.of(insns, StandardHelpers.all());
        Compiler.Compilation c = Compiler.INSTANCE.compile(image, splitAbove);
        if (c.compiled()) {
            GeneratedClasses.check(c.classFile());
        }
        Executable interpreted = Interpreter.INSTANCE.prepare(image);
        for (long[] in : inputs) {
            Run byCompiler = run(c.executable(), in);
            Run byInterpreter = run(interpreted, in);
            assertThat(byCompiler).as("%s, input %s, program %s", what, Arrays.toString(in), insns).isEqualTo(byInterpreter);
            String fault = byInterpreter.outcome().fault();
            endings.merge(fault == null ? "r0" : fault.substring(0, fault.indexOf(' ')), 1, Integer::sum);
        }
        return c.compiled();
    }

    /** What a run left: its outcome, the input region and the main frame. */
    record Run(Outcome outcome, String input, String frame) {}

    /** {@code in}: budget, seed, r2..r5, then the input region's eight words. */
    private static Run run(Executable exe, long[] in) {
        ExecutionContext ctx = exe.newContext();
        ctx.setInstructionBudget(in[0]).setRandomSeed(in[1]).setMayGotoBudget(1 + (in[1] & 0xff));
        byte[] input = new byte[64];
        for (int i = 0; i < 8; i++) {
            for (int b = 0; b < 8; b++) {
                input[8 * i + b] = (byte) (in[6 + i] >>> (8 * b));
            }
        }
        long pointer = ctx.addMemory("input", input, true);
        ctx.setArgs(pointer, in[2], in[3], in[4], in[5]);
        Outcome o = Outcome.of(exe, ctx, exe::run);
        byte[] frame = ctx.memory().read(Pointers.data(1, 0), Memory.FRAME_SIZE, 0);
        return new Run(o, Arrays.toString(input), Arrays.toString(frame));
    }

    private static long[] input(RandomPrograms.Choices c) {
        long[] in = new long[14];
        in[0] = 1 + c.pick(c.pick(4) == 0 ? 60 : 3000);
        for (int i = 1; i < in.length; i++) {
            in[i] = c.pick(3) == 0 ? c.pick(64) : c.any();
        }
        return in;
    }

    @Test
    void fixedSeedPrograms() {
        fixedSeedPrograms(Integer.MAX_VALUE, PROGRAMS);
    }

    /**
     * The same programs with their functions split: into chunks of about 20 slots, and into one
     * chunk per instruction (every jump then leaves its chunk through the driver).
     */
    @Test
    void fixedSeedProgramsSplit() {
        fixedSeedPrograms(1500, PROGRAMS / 3);
        fixedSeedPrograms(1, PROGRAMS / 3);
    }

    private static void fixedSeedPrograms(int splitAbove, int programs) {
        SplittableRandom random = new SplittableRandom(SEED);
        RandomPrograms.Choices c = new RandomPrograms.Choices() {
            @Override
            public int pick(int bound) {
                return random.nextInt(bound);
            }

            @Override
            public long any() {
                return random.nextLong();
            }
        };
        int compiled = 0;
        java.util.Map<String, Integer> endings = new java.util.TreeMap<>();
        for (int p = 0; p < programs; p++) {
            Instructions insns = RandomPrograms.generate(c, 40);
            long[][] inputs = new long[INPUTS][];
            for (int i = 0; i < INPUTS; i++) {
                inputs[i] = input(c);
            }
            if (compare(insns, inputs, "program " + p + " of seed " + Long.toHexString(SEED) + " split above " + splitAbove, endings, splitAbove)) {
                compiled++;
            }
        }
        System.out.printf("CompilerFuzzTest (split above %d bytes): %d programs x %d inputs, %d compiled (the rest ran on the interpreter's fallback); runs ended: %s%n",
                splitAbove, programs, INPUTS, compiled, endings);
        // most random programs must reach the compiler, or this test compares the interpreter with itself
        assertThat(compiled).isGreaterThan(programs / 2);
    }

    /** Jazzer: the data decides the program and two inputs. */
    @FuzzTest(maxDuration = "60s")
    void randomPrograms(FuzzedDataProvider data) {
        RandomPrograms.Choices c = new RandomPrograms.Choices() {
            @Override
            public int pick(int bound) {
                return data.consumeInt(0, bound - 1);
            }

            @Override
            public long any() {
                return data.consumeLong();
            }
        };
        long[][] inputs = {input(c), input(c)};
        compare(RandomPrograms.generate(c, 40), inputs, "fuzzed program", new java.util.HashMap<>());
    }
}
