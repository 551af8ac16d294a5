package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.loader.TestRunInput;
import io.bpf4j.loader.TestRunResult;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LiveKernel;
import io.bpf4j.testdata.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * testdata/src/switches.bpf.c, whose switches clang-22 at -mcpu=v4 compiles to real LLVM jump
 * tables (gotox, .jumptables, BPF.JT.*) and every other build to branch trees, run in process
 * on a range of inputs against the C's arithmetic written out here ({@link #op}, {@link #op2});
 * and clang-22's v4 object against the running kernel's runs of clang-22's v3 object of the same
 * source (the kernel has no gotox, so it runs the branch-tree build of the same C).
 */
class SwitchTablesRunTest {
    private static final long[] YS = {0, 1, 5, 100, 0xffffffffL};

    /** op(k, y) of switches.bpf.c. */
    static long op(long k, long y) {
        return switch ((int) k) {
            case 0 -> y + 11;
            case 1 -> y * 23;
            case 2 -> y ^ 37;
            case 3 -> y << 4;
            case 4 -> y >>> 1;
            case 5 -> y - 61;
            case 6 -> y | 73;
            case 7 -> y & 89;
            case 8 -> y * y;
            case 9 -> Long.divideUnsigned(y, 3);
            case 10 -> Long.remainderUnsigned(y, 7);
            case 11 -> ~y;
            case 12 -> -y;
            case 13 -> y + y + 149;
            case 14 -> y * 151 + 2;
            case 15 -> y ^ 0xffff;
            default -> 0x5a5a;
        };
    }

    /** op2(k, y) of switches.bpf.c. */
    static long op2(long k, long y) {
        return switch ((int) k) {
            case 0 -> y * 5;
            case 1 -> y + 1000;
            case 2 -> y >>> 3;
            case 3 -> y * 7 + 3;
            case 4 -> y ^ 0x1234;
            case 5 -> y & 0xff;
            case 6 -> y << 2;
            case 7 -> y - 7;
            case 8 -> y * 9;
            case 9 -> y | 0x100;
            case 10 -> Long.divideUnsigned(y, 5);
            case 11 -> Long.remainderUnsigned(y, 11);
            case 12 -> y + y + y;
            case 13 -> y * 13 + 13;
            default -> 0xa5;
        };
    }

    static long loopSum(long x, long y, int n) {
        long acc = 1;
        for (int i = 0; i < n && i < 24; i++) {
            acc = acc * 3 + op((x + i) & 15, y + i);
        }
        return acc;
    }

    /** What each syscall program of switches.bpf.c writes to ctx->out for (x, y); x, y are u32. */
    static long expected(String program, long x, long y) {
        return switch (program) {
            case "sw_main" -> op(x, y);
            case "sw_sub" -> op(x, y) + op((x + 1) & 0xffffffffL, y) * 1000;
            case "sw_two" -> op(x, y) * 3 + op2(y & 15, op(x, y));
            case "sw_loop" -> loopSum(x, y, 24);
            default -> throw new IllegalArgumentException(program);
        };
    }

    static final List<String> PROGRAMS = List.of("sw_main", "sw_sub", "sw_two", "sw_loop");

    static byte[] context(ByteOrder order, long x, long y) {
        return ByteBuffer.allocate(16).order(order).putInt(0, (int) x).putInt(4, (int) y).array();
    }

    static long out(byte[] ctx, ByteOrder order) {
        return ByteBuffer.wrap(ctx).order(order).getLong(8);
    }

    static List<Path> switchObjects() {
        return TestData.objectsStartingWith("switches.");
    }

    @Test
    void clang22AtV4EmitsRealJumpTablesAndTheOthersDoNot() throws Exception {
        for (Path obj : switchObjects()) {
            String dump = Files.readString(TestData.golden("llvm-objdump", obj));
            boolean tables = TestData.llvmVersion(obj) == 22 && TestData.cpu(obj).equals("v4");
            assertThat(dump.contains("\tgotox r")).as("%s has gotox", obj.getFileName()).isEqualTo(tables);
            assertThat(dump.contains("R_BPF_64_64\tBPF.JT.")).as("%s loads BPF.JT.* tables", obj.getFileName()).isEqualTo(tables);
        }
        assertThat(switchObjects()).extracting(p -> p.getFileName().toString())
                .contains("switches.v4.el.clang22.o", "switches.v4.eb.clang22.o", "switches.v3.el.clang22.o", "switches.v4.el.o");
    }

    @TestFactory
    Stream<DynamicTest> everyBuildComputesItsC() {
        return switchObjects().stream().map(obj -> DynamicTest.dynamicTest(obj.getFileName().toString(), () -> {
            // the in-process engine keeps memory in this host's (little-endian) order whatever the
            // object's byte order, so contexts are little endian for bpfeb objects too
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            try (BpfObject o = BpfObject.open(obj)) {
                o.load(LoadOptions.builder().verify(false).build());
                assertThat(o.program("sw_selftest").orElseThrow().testRun(TestRunInput.ofContext(new byte[96])).retval())
                        .as("sw_selftest (0, else the line of the failed CHECK)").isZero();
                for (String name : PROGRAMS) {
                    BpfProgram p = o.program(name).orElseThrow();
                    for (long x = 0; x < 18; x++) {
                        for (long y : YS) {
                            TestRunResult r = p.testRun(TestRunInput.ofContext(context(order, x, y)));
                            assertThat(r.retval()).isZero();
                            assertThat(out(r.ctxOut(), order)).as("%s x=%d y=%d", name, x, y).isEqualTo(expected(name, x, y));
                        }
                    }
                }
                BpfProgram xdp = o.program("sw_xdp").orElseThrow();
                for (int k = 0; k < 20; k++) {
                    byte[] packet = new byte[64];
                    packet[0] = (byte) k;
                    packet[1] = (byte) 200;
                    TestRunResult r = xdp.testRun(TestRunInput.ofData(packet));
                    assertThat(r.retval()).as("sw_xdp k=%d", k).isEqualTo(k < 16 ? 3 : 2); // XDP_TX : XDP_PASS
                    long got = ByteBuffer.wrap(r.dataOut(), 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    assertThat(got).as("sw_xdp k=%d", k).isEqualTo(op(k, 200));
                }
            }
        }));
    }

    /**
     * The v4 builds (real jump tables from clang-22) in process give what the running kernel
     * gives for the v3 build of the same C, input by input.
     */
    @Test
    @Tag("kernel")
    void jumpTablesInProcessEqualTheKernelOnTheSameC() {
        String why = LiveKernel.unavailableReason();
        if (why != null) {
            KernelFacts.assume(why);
            return;
        }
        // one process per kernel run: a few inputs per program keep this under two minutes
        long[] xs = {0, 5, 10, 15, 17};
        long[] ys = {1, 100, 0xffffffffL};
        {
            Path reference = TestData.object("switches.v3.el.clang22.o");
            Path tables = TestData.object("switches.v4.el.clang22.o");
            List<String> mismatches = new ArrayList<>();
            int compared = 0;
            try (LiveKernel kernel = LiveKernel.load(reference, List.of("*"));
                    BpfObject o = BpfObject.open(tables)) {
                assertThat(kernel.refused()).isEmpty();
                o.load(LoadOptions.builder().verify(false).build());
                for (String name : PROGRAMS) {
                    for (long x : xs) {
                        for (long y : ys) {
                            byte[] ctx = context(ByteOrder.LITTLE_ENDIAN, x, y);
                            LiveKernel.Run k = kernel.runContextOnly(name, ctx);
                            assertThat(k.error()).isNull();
                            TestRunResult mine = o.program(name).orElseThrow().testRun(TestRunInput.ofContext(ctx));
                            compared++;
                            if (k.retval() != mine.retval() || out(k.ctxOut(), ByteOrder.LITTLE_ENDIAN) != out(mine.ctxOut(), ByteOrder.LITTLE_ENDIAN)) {
                                mismatches.add(String.format("%s x=%d y=%d: kernel %d/%d, bpf4j %d/%d", name, x, y, k.retval(),
                                        out(k.ctxOut(), ByteOrder.LITTLE_ENDIAN), mine.retval(), out(mine.ctxOut(), ByteOrder.LITTLE_ENDIAN)));
                            }
                        }
                    }
                }
            }
            assertThat(compared).isEqualTo(PROGRAMS.size() * xs.length * ys.length);
            assertThat(mismatches).as(tables.getFileName().toString()).isEmpty();
        }
    }
}
