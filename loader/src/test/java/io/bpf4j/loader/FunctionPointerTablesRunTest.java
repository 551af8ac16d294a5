package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.loader.TestRunInput;
import io.bpf4j.loader.TestRunResult;
import io.bpf4j.relocator.tables.TableMap;
import io.bpf4j.testdata.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * testdata/src/fptables.bpf.c: a const array of function pointers and a const array of structs
 * of function pointers in .rodata become call tables and run in process to what the C computes
 * (both toolchains, every cpu); fptables_writable.bpf.c's table in .data is refused at load,
 * naming the table.
 */
class FunctionPointerTablesRunTest {

    static long inc(long x) {
        return x + 1;
    }

    /** ctx[1] of fp_run: ops[x % 3](x) + label[x & 7], ops = {x + 1, 2x, x * x}, label = "abcdefg\0". */
    static long ops(long x) {
        long f = switch ((int) Long.remainderUnsigned(x, 3)) {
            case 0 -> inc(x);
            case 1 -> x * 2;
            default -> x * x;
        };
        return f + "abcdefg\0".charAt((int) (x & 7));
    }

    /** ctx[2] of fp_run: shapes[0] = {x * x, 2x}, shapes[1] = {1000 - x, x + 1}, area + scale. */
    static long shapes(long x) {
        return (x & 1) == 0 ? x * x + x * 2 : 1000 - x + inc(x);
    }

    @TestFactory
    Stream<DynamicTest> constTablesAreCallTablesAndComputeTheirC() {
        List<Path> objects = TestData.objectsStartingWith("fptables.");
        assertThat(objects).hasSizeGreaterThanOrEqualTo(5);
        return objects.stream().map(obj -> DynamicTest.dynamicTest(obj.getFileName().toString(), () -> {
            try (BpfObject o = BpfObject.open(obj)) {
                o.load(LoadOptions.builder().verify(false).build());
                BpfProgram run = o.program("fp_run").orElseThrow();
                assertThat(run.relocated().indirect().tables()).extracting(TableMap::table).contains("ops", "shapes");
                for (TableMap t : run.relocated().indirect().tables()) {
                    assertThat(t.spec().mapExtra()).as("BPF_F_CALL_TABLE").isEqualTo(1L);
                }
                assertThat(o.program("fp_selftest").orElseThrow().testRun(TestRunInput.ofContext(new byte[96])).retval())
                        .as("fp_selftest: 0, else the line of the failed CHECK").isZero();
                for (long x = 0; x < 40; x++) {
                    byte[] ctx = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putLong(0, x).array();
                    TestRunResult r = run.testRun(TestRunInput.ofContext(ctx));
                    ByteBuffer out = ByteBuffer.wrap(r.ctxOut()).order(ByteOrder.LITTLE_ENDIAN);
                    assertThat(r.retval()).isZero();
                    assertThat(out.getLong(8)).as("ops x=%d", x).isEqualTo(ops(x));
                    assertThat(out.getLong(16)).as("shapes x=%d", x).isEqualTo(shapes(x));
                    assertThat(out.getLong(24)).as("the rest of .rodata").isEqualTo(0x1122334455667788L);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> aWritableTableIsRefusedAtLoad() {
        List<Path> objects = TestData.objectsStartingWith("fptables_writable.");
        assertThat(objects).isNotEmpty();
        return objects.stream().map(obj -> DynamicTest.dynamicTest(obj.getFileName().toString(), () ->
                assertThatThrownBy(() -> {
                    try (BpfObject o = BpfObject.open(obj)) {
                        o.load(LoadOptions.builder().verify(false).build());
                    }
                }).hasMessageContaining("prog 'fp_writable': 'writable_ops' in writable section '.data' holds function pointers")));
    }
}
