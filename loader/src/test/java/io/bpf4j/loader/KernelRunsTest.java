package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every test run the Linux kernel made of the testdata programs it accepted
 * (testdata/goldens/kernel-runs.txt, recorded by testdata/kernel-survey.sh through
 * BPF_PROG_TEST_RUN), made again in process: open, load, run with the same input, same retval
 * (and for calculon the same result written back into the context).
 */
class KernelRunsTest {
    private static final Map<String, BpfObject> LOADED = new HashMap<>();

    /** One line of kernel-runs.txt: object, program, input label, what the kernel returned. */
    record KernelRun(String object, String program, String input, String rest) {}

    static List<KernelRun> runs() throws Exception {
        List<KernelRun> out = new ArrayList<>();
        for (String line : Files.readAllLines(TestData.kernelRuns())) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ", 4);
            out.add(new KernelRun(f[0], f[1], f[2], f[3]));
        }
        return out;
    }

    private static synchronized BpfObject loaded(String object) {
        return LOADED.computeIfAbsent(object, o -> {
            BpfObject obj = BpfObject.open(TestData.object(o));
            obj.load(LoadOptions.builder().verify(false).build());
            return obj;
        });
    }

    @AfterAll
    static void close() {
        LOADED.values().forEach(BpfObject::close);
        LOADED.clear();
    }

    /** struct calculon_ctx { u32 len; u32 status; u64 result; char expr[64]; } (testdata/src/include/calculon.h). */
    static byte[] calculonContext(String expr) {
        ByteBuffer b = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, expr.length());
        b.position(16);
        b.put(expr.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    @TestFactory
    Stream<DynamicTest> sameRetvalAsTheKernel() throws Exception {
        List<KernelRun> runs = runs();
        assertThat(runs).hasSizeGreaterThan(100);
        return runs.stream().map(r -> DynamicTest.dynamicTest(r.object() + " " + r.program() + " " + r.input(), () -> {
            BpfProgram prog = loaded(r.object()).program(r.program()).orElseThrow();
            String[] rest = r.rest().split(" ");
            if (r.input().equals("zero-ctx")) {
                TestRunResult got = prog.testRun(TestRunInput.ofContext(new byte[96]));
                assertThat((int) got.retval()).isEqualTo(Integer.parseInt(rest[1]));
            } else if (r.input().equals("zero-packet-64")) {
                TestRunResult got = prog.testRun(TestRunInput.ofData(new byte[64]));
                assertThat((int) got.retval()).isEqualTo(Integer.parseInt(rest[1]));
            } else if (rest[0].equals("retval")) {
                TestRunResult got = prog.testRun(TestRunInput.ofContext(calculonContext(r.input())));
                assertThat((int) got.retval()).isEqualTo(Integer.parseInt(rest[1]));
            } else {
                // "<expr> result <n> status <s>": what calculon_run wrote back into its context
                String expr = r.input();
                TestRunResult got = prog.testRun(TestRunInput.ofContext(calculonContext(expr)));
                ByteBuffer ctx = ByteBuffer.wrap(got.ctxOut()).order(ByteOrder.LITTLE_ENDIAN);
                assertThat(ctx.getLong(8)).as("result").isEqualTo(Long.parseUnsignedLong(rest[1]));
                assertThat(ctx.getInt(4)).as("status").isEqualTo(Integer.parseInt(rest[3]));
            }
        }));
    }
}
