package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Programs this machine's kernel cannot run (6.18 has no gotox, no INSN_ARRAY, no call tables),
 * run in process after relocation: the expected values are what testdata/src/jumptables.bpf.c
 * and calculon_table's sources compute, and for calculon the three results of the talk; both
 * toolchains' objects (clang-19, clang-22), and the big-endian builds (the in-process engine keeps
 * memory little endian, so contexts are the same bytes).
 */
class TablesRunTest {

    private static byte[] jtContext(int x, int y) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, x).putInt(4, y).array();
    }

    private static long out(TestRunResult r) {
        return ByteBuffer.wrap(r.ctxOut()).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
    }

    /** jt_classify in jumptables.bpf.c: 0..2 -> 1, 3..6 -> 2, odd 7..11 -> 4, even 8..12 -> 3, else 0. */
    private static long classify(int x) {
        if (x <= 2) {
            return 1;
        }
        if (x <= 6) {
            return 2;
        }
        if (x <= 12) {
            return x % 2 == 1 ? 4 : 3;
        }
        return 0;
    }

    @Test
    void gotoxThroughJumpTables() {
        long[] switchTable = {10, 20, 30, 40, 50, 10, 20, 30, 40, 50, 10, 20, -1};
        for (String obj : new String[] {"jumptables.v4.el.o", "jumptables.v4.eb.o", "jumptables.v4.el.clang22.o", "jumptables.v4.eb.clang22.o"}) {
            try (BpfObject o = BpfObject.open(TestData.object(obj))) {
                o.load(LoadOptions.builder().verify(false).build());
                BpfProgram computed = o.program("jt_computed").orElseThrow();
                assertThat(computed.testRun(TestRunInput.ofContext(jtContext(0, 0))).retval()).isEqualTo(100);
                assertThat(computed.testRun(TestRunInput.ofContext(jtContext(1, 0))).retval()).isEqualTo(200);
                assertThat(computed.testRun(TestRunInput.ofContext(jtContext(2, 0))).retval()).isEqualTo(300);
                assertThat(computed.testRun(TestRunInput.ofContext(jtContext(7, 0))).retval()).isEqualTo(400);
                BpfProgram sw = o.program("jt_switch").orElseThrow();
                for (int x = 0; x < 13; x++) {
                    assertThat((int) sw.testRun(TestRunInput.ofContext(jtContext(x, 99))).retval()).as("%s x=%d", obj, x)
                            .isEqualTo((int) switchTable[x]);
                }
                assertThat((int) sw.testRun(TestRunInput.ofContext(jtContext(20, 3))).retval()).isEqualTo(40);
                assertThat((int) sw.testRun(TestRunInput.ofContext(jtContext(20, 20))).retval()).isEqualTo(-1);
                for (int x = 0; x < 16; x++) {
                    assertThat(out(o.program("jt_sub_a").orElseThrow().testRun(TestRunInput.ofContext(jtContext(x, 0)))))
                            .as("%s jt_sub_a x=%d", obj, x).isEqualTo(classify(x));
                    assertThat(out(o.program("jt_sub_b").orElseThrow().testRun(TestRunInput.ofContext(jtContext(x, 5)))))
                            .as("%s jt_sub_b x=%d", obj, x).isEqualTo(classify(x) + 16);
                }
            }
        }
    }

    @Test
    void calculonThroughItsCallxCallTable() {
        for (String obj : new String[] {"calculon_table.v1.el.o", "calculon_table.v3.el.o", "calculon_table.v4.el.o",
            "calculon_table.v3.el.clang22.o", "calculon_table.v4.el.clang22.o", "calculon_table.v4.eb.clang22.o"}) {
            try (BpfObject o = BpfObject.open(TestData.object(obj))) {
                o.load(LoadOptions.builder().verify(false).build());
                assertThat(o.program("calculon_selftest").orElseThrow().testRun(TestRunInput.ofContext(new byte[96])).retval())
                        .as(obj).isZero();
                String[] exprs = {"1234567++++++", "2222222*****", "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+"};
                long[] want = {28, 128, 11};
                for (int i = 0; i < exprs.length; i++) {
                    TestRunResult r = o.program("calculon_run").orElseThrow()
                            .testRun(TestRunInput.ofContext(KernelRunsTest.calculonContext(exprs[i])));
                    assertThat(r.retval()).isZero();
                    assertThat(out(r)).as("%s %s", obj, exprs[i]).isEqualTo(want[i]);
                }
            }
        }
    }
}
