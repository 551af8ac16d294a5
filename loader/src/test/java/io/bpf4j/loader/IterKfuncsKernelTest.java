package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LiveKernel;
import io.bpf4j.testdata.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The numeric iterator kfuncs ({@code bpf_iter_num_new/next/destroy}) against the running
 * kernel: every program of the iterator objects runs in the kernel (BPF_PROG_TEST_RUN) and in
 * process on both engines, with the same contexts; return values must be equal.
 * {@code iters_ctx} takes its range from the context: empty, reversed, negative, around
 * INT_MIN and INT_MAX, past BPF_MAX_LOOPS, and stopped early.
 */
@Tag("kernel")
class IterKfuncsKernelTest {
    private static final List<String> PROGRAMS = List.of("iters_for", "iters_repeat", "iters_nested", "iters_break", "iters_raw", "iters_ctx");

    /** (start, end, stop) for iters_ctx. */
    private static final int[][] RANGES = {
        {0, 10, 0}, {3, 3, 0}, {5, 2, 0}, {-7, 4, 0}, {0, 100, 17}, {-20, -5, 0},
        {Integer.MAX_VALUE - 3, Integer.MAX_VALUE, 0}, {Integer.MIN_VALUE, Integer.MIN_VALUE + 5, 0},
        {0, 8 * 1024 * 1024 + 1, 0}, {Integer.MIN_VALUE, Integer.MAX_VALUE, 0}, {-1, 8 * 1024 * 1024 - 1, 40},
        {Integer.MAX_VALUE, Integer.MAX_VALUE, 0}, {1000, 3000, 0},
    };

    static byte[] range(int start, int end, int stop) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(start).putInt(end).putInt(stop).array();
    }

    @Test
    void iteratorRunsEqualTheKernels() {
        KernelFacts.assume(LiveKernel.unavailableReason());
        int runs = 0;
        int objects = 0;
        for (Path object : TestData.objectsStartingWith("iters.")) {
            if (!object.getFileName().toString().contains(".el.")) {
                continue;
            }
            objects++;
            try (LiveKernel kernel = LiveKernel.load(object, Set.copyOf(PROGRAMS));
                 BpfObject interpreted = BpfObject.open(object);
                 BpfObject compiled = BpfObject.open(object)) {
                assertThat(kernel.refused()).as("%s: programs the kernel refused", object.getFileName()).isEmpty();
                interpreted.load(LoadOptions.builder().verify(false).engine(Engine.INTERPRETER).build());
                compiled.load(LoadOptions.builder().verify(false).engine(Engine.COMPILER).build());
                for (String prog : PROGRAMS) {
                    List<byte[]> inputs = new ArrayList<>();
                    if (prog.equals("iters_ctx")) {
                        for (int[] r : RANGES) {
                            inputs.add(range(r[0], r[1], r[2]));
                        }
                    } else {
                        inputs.add(new byte[0]);
                    }
                    for (byte[] in : inputs) {
                        LiveKernel.Run k = kernel.runContextOnly(prog, in);
                        assertThat(k.error()).as("%s %s: kernel run", object.getFileName(), prog).isNull();
                        for (BpfObject side : List.of(interpreted, compiled)) {
                            TestRunResult r = side.program(prog).orElseThrow().testRun(TestRunInput.ofContext(in));
                            assertThat(r.retval() & 0xffff_ffffL).as("%s %s %s", object.getFileName(), prog, java.util.HexFormat.of().formatHex(in))
                                    .isEqualTo(k.retval() & 0xffff_ffffL);
                            runs++;
                        }
                    }
                }
            }
        }
        System.out.printf("iterator kfuncs: %d objects, %d in-process runs (interpreter and compiler) equal to the kernel's%n", objects, runs);
        assertThat(runs).isPositive();
    }
}
