package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.MapType;
import io.bpf4j.jit.interpreter.Interpreter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test support: what the engine parity tests compare a program's runs by (the outcome of a test
 * run as text, every map's contents), and a loaded program run on its interpreter form.
 */
public final class EngineComparison {
    private EngineComparison() {}

    /** retval, data_out and ctx_out of one test run, or the failure's class and message. */
    public static String outcome(BpfProgram prog, TestRunInput input) {
        try {
            return outcome(prog.testRun(input));
        } catch (RuntimeException e) {
            return failure(e);
        }
    }

    /**
     * Asserts that {@code actual} runs {@code input} as {@code expected} does: equal retval (or
     * failure), data_out and ctx_out.
     */
    public static void assertSameOutcome(BpfProgram expected, BpfProgram actual, TestRunInput input, String what) {
        assertThat(outcome(actual, input)).as(what).isEqualTo(outcome(expected, input));
    }

    /**
     * A test run of the loaded program on the interpreter: the image (maps, facts) the loaded
     * engine runs, prepared by the interpreter.
     */
    public static TestRunResult testRunInterpreted(BpfProgram prog, TestRunInput input) {
        return BpfProgram.testRun(prog.name(), prog.type(), Interpreter.INSTANCE.prepare(prog.executable().image()), input, null,
                lines -> {});
    }

    /** Every map's entries, as text; a map that cannot be listed says so (the same for both engines). */
    public static Map<String, String> maps(BpfObject obj) {
        Map<String, String> out = new TreeMap<>();
        for (BpfMap m : obj.maps()) {
            io.bpf4j.maps.BpfMap live = m.runtime().orElse(null);
            if (live == null) {
                continue;
            }
            StringBuilder sb = new StringBuilder();
            // the values of a map of maps are map ids, unique in the process, so differ between the two objects
            boolean ids = live.type() == MapType.ARRAY_OF_MAPS || live.type() == MapType.HASH_OF_MAPS;
            try {
                for (byte[] k : live.keys()) {
                    sb.append(hex(k)).append('=').append(ids ? "(id)" : hex(live.lookup(k))).append(' ');
                }
            } catch (RuntimeException e) {
                sb.append("(not listable: ").append(e.getClass().getSimpleName()).append(')');
            }
            out.put(m.name(), sb.toString());
        }
        return out;
    }

    private static String outcome(TestRunResult r) {
        return "retval " + r.retval() + " data_out " + hex(r.dataOut()) + " ctx_out " + hex(r.ctxOut());
    }

    private static String failure(RuntimeException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String hex(byte[] b) {
        return b == null ? "-" : HexFormat.of().formatHex(b);
    }
}
