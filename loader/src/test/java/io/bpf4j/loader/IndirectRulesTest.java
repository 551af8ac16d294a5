package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.relocator.FunctionEntry;
import io.bpf4j.relocator.tables.TableMap;
import io.bpf4j.testdata.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rules of indirect control flow, both sides, on the programs of
 * testdata/src/indirect_calls.bpf.c (callx and the three call-table forms) and
 * indirect_jumps.bpf.c (6.19's gotox), built by clang-19 and clang-22: every program gets the
 * verdict its source comment states, each rejection the rule's message, and each accepted
 * callx/gotox exactly the targets the source allows, computed here from the relocated program's
 * function table and table maps (not from the verifier). Accepted programs then run, verified,
 * and compute what their C says. Also: the calculon three ways (function pointers, switch, call
 * table) pass the verifier and still give the talk's 28, 128 and 11.
 */
class IndirectRulesTest {
    private static final List<String> CALL_OBJECTS = List.of("indirect_calls.v3.el.o", "indirect_calls.v4.el.clang22.o");
    private static final List<String> JUMP_OBJECTS = List.of("indirect_jumps.v4.el.o", "indirect_jumps.v4.el.clang22.o");

    /** Program to the error line's pattern, or null when the program must be accepted. */
    private static final Map<String, String> CALL_RULES = new LinkedHashMap<>();
    private static final Map<String, String> JUMP_RULES = new LinkedHashMap<>();

    static {
        CALL_RULES.put("callx_two_targets", null);
        CALL_RULES.put("callx_scalar", "R\\d has type scalar, expected func");
        CALL_RULES.put("callx_modified", "dereference of modified func ptr R\\d off=8 disallowed");
        CALL_RULES.put("callx_variable_offset", "variable func access var_off=\\(0x0; 0x8\\) disallowed");
        CALL_RULES.put("callx_args_and_returns", null);
        CALL_RULES.put("callx_spilled", null);
        CALL_RULES.put("callx_one_unsafe_target", "R1 invalid mem access 'scalar'");
        CALL_RULES.put("callx_global", "callback function not static");
        CALL_RULES.put("callx_recursive", "recursive call from countdown\\(\\) to countdown\\(\\)");
        CALL_RULES.put("callx_stack_fits", null);
        CALL_RULES.put("callx_stack_too_deep", "combined stack size of 2 calls is \\d+\\. Too large");
        CALL_RULES.put("callx_tail_call_in_callee", "tail_calls are not allowed in functions called via callx");
        CALL_RULES.put("callx_no_tail_call", null);
        CALL_RULES.put("table_bounded", null);
        CALL_RULES.put("table_bounded_range", null);
        CALL_RULES.put("table_unbounded", "call table 'ic_ops': unbounded index .*check the index against 3.*");
        CALL_RULES.put("table_past_end", "call table 'ic_ops': R\\d may read entries \\[0, 3\\] of 3: .*");
        CALL_RULES.put("table_store", "call table 'ic_ops': store through R\\d refused: .*");
        CALL_RULES.put("table_partial_load", "call table 'ic_ops': partial load of 4 bytes through R\\d refused: .*");
        CALL_RULES.put("table_misaligned", "call table 'ic_ops': misaligned load through R\\d at offset 0\\+4: entries are 8 bytes");
        CALL_RULES.put("rodata_table_bounded", null);
        CALL_RULES.put("rodata_table_unbounded", "call table 'ic_rodata_ops': unbounded index .*");
        CALL_RULES.put("map_lookup_checked", null);
        CALL_RULES.put("map_lookup_unchecked", "R\\d has type func_or_null, expected func");
        CALL_RULES.put("map_update_refused", "call table 'ic_map': only bpf_map_lookup_elem may take a call table");

        JUMP_RULES.put("gx_bounded", null);
        JUMP_RULES.put("gx_bounded_range", null);
        JUMP_RULES.put("gx_scalar", "R1 has type scalar, expected PTR_TO_INSN");
        JUMP_RULES.put("gx_no_table", "no jump tables found for subprog starting at 0");
        JUMP_RULES.put("gx_past_end", "R2 max value is outside of the allowed memory range");
        JUMP_RULES.put("gx_partial_load", "Invalid read of 4 bytes from insn_array");
        JUMP_RULES.put("gx_misaligned", "misaligned value access off \\(0x4; 0x8\\)\\+0\\+0 size 8");
        JUMP_RULES.put("gx_store", "writes into insn_array not allowed");
        JUMP_RULES.put("gx_subtract", "R2 subtraction from pointer to instruction prohibited");
        JUMP_RULES.put("gx_reserved_field", "BPF_JA\\|BPF_X uses reserved fields");
    }

    /** True for a rule case of indirect_calls.bpf.c or indirect_jumps.bpf.c that must be rejected. */
    static boolean expectsRejection(String program) {
        return CALL_RULES.get(program) != null || JUMP_RULES.get(program) != null;
    }

    /** The callees each accepted callx program may reach, by function name (from its C). */
    private static final Map<String, List<List<String>>> CALLEES = Map.of(
            "callx_two_targets", List.of(List.of("f_inc", "f_dbl")),
            "callx_args_and_returns", List.of(List.of("f_inc", "f_sqr")),
            "callx_spilled", List.of(List.of("f_dbl")),
            "callx_stack_fits", List.of(List.of("f_mid_stack", "f_inc")),
            "callx_no_tail_call", List.of(List.of("no_tail")),
            "table_bounded", List.of(List.of("f_inc", "f_dbl", "f_sqr")),
            "table_bounded_range", List.of(List.of("f_dbl", "f_sqr")),
            "rodata_table_bounded", List.of(List.of("f_sqr", "f_inc", "f_dbl")),
            "map_lookup_checked", List.of(List.of("f_dbl", "f_sqr")));

    /** The jump-table keys each accepted gotox program may use (from its bounds check). */
    private static final Map<String, int[]> JUMP_KEYS = Map.of("gx_bounded", new int[] {0, 1, 2},
            "gx_bounded_range", new int[] {1, 2});


    @Test
    void callxAndCallTableRules() {
        for (String obj : CALL_OBJECTS) {
            check(obj, CALL_RULES);
        }
    }

    @Test
    void gotoxRules() {
        for (String obj : JUMP_OBJECTS) {
            check(obj, JUMP_RULES);
        }
    }

    private static void check(String obj, Map<String, String> rules) {
        try (BpfObject o = BpfObject.open(TestData.object(obj))) {
            assertThat(o.programs().stream().map(BpfProgram::name).collect(Collectors.toSet()))
                    .as("%s: every program has a rule", obj).isEqualTo(rules.keySet());
            for (Map.Entry<String, String> rule : rules.entrySet()) {
                BpfProgram p = o.program(rule.getKey()).orElseThrow();
                ProgramVerification v = p.verify(LoadOptions.builder().logLevel(1).build());
                String what = obj + " " + p.name();
                if (rule.getValue() == null) {
                    assertThat(v.status()).as("%s:\n%s", what, v.log()).isEqualTo(ProgramVerification.Status.ACCEPTED);
                    assertThat(v.indirectTargets()).as(what).isEqualTo(expectedTargets(p));
                } else {
                    assertThat(v.status()).as(what).isEqualTo(ProgramVerification.Status.REJECTED);
                    assertThat(v.errorLine().orElseThrow()).as("%s:\n%s", what, v.log()).matches(rule.getValue());
                }
            }
        }
    }

    /** What the C allows: each callx's callees' first slots, each gotox's table entries for its keys. */
    private static Map<Integer, List<Integer>> expectedTargets(BpfProgram p) {
        Map<Integer, List<Integer>> out = new java.util.TreeMap<>();
        List<Integer> indirect = new ArrayList<>();
        for (int i = 0; i < p.instructions().slotCount(); i++) {
            int code = p.instructions().slotAt(i).code();
            if (code == io.bpf4j.isa.Opcodes.CODE_CALLX || code == io.bpf4j.isa.Opcodes.CODE_GOTOX) {
                indirect.add(i);
            }
        }
        List<List<String>> callees = CALLEES.get(p.name());
        if (callees != null) {
            Map<String, Integer> start = new LinkedHashMap<>();
            for (FunctionEntry f : p.relocated().functions()) {
                start.put(f.name(), f.startSlot());
            }
            // apply() holds the callx of callx_args_and_returns; every other program has its own
            assertThat(indirect).as(p.name()).hasSize(callees.size());
            for (int k = 0; k < indirect.size(); k++) {
                out.put(indirect.get(k), new TreeSet<>(callees.get(k).stream().map(start::get).toList()).stream().toList());
            }
        }
        int[] keys = JUMP_KEYS.get(p.name());
        if (keys != null) {
            List<TableMap> tables = p.relocated().indirect().tables();
            assertThat(tables).as(p.name()).hasSize(1);
            TreeSet<Integer> to = new TreeSet<>();
            for (int k : keys) {
                to.add(tables.get(0).targetSlots().get(k));
            }
            assertThat(indirect).as(p.name()).hasSize(1);
            out.put(indirect.get(0), List.copyOf(to));
        }
        return out;
    }

    private static byte[] ctx(long x, long i) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(0, x).putLong(8, i).array();
    }

    private static long out(TestRunResult r) {
        return ByteBuffer.wrap(r.ctxOut()).order(ByteOrder.LITTLE_ENDIAN).getLong(16);
    }

    @Test
    void acceptedCallProgramsRunVerified() {
        for (String obj : CALL_OBJECTS) {
            try (BpfObject o = BpfObject.open(TestData.object(obj))) {
                o.programs().forEach(p -> p.setAutoload(CALL_RULES.get(p.name()) == null && !p.name().contains("tail")));
                o.load();
                assertThat(run(o, "callx_two_targets", 5, 1)).isEqualTo(6);
                assertThat(run(o, "callx_two_targets", 5, 0)).isEqualTo(10);
                assertThat(run(o, "callx_args_and_returns", 7, 1)).isEqualTo(8);
                assertThat(run(o, "callx_args_and_returns", 7, 0)).isEqualTo(49);
                assertThat(run(o, "callx_spilled", 21, 0)).isEqualTo(42);
                assertThat(run(o, "callx_stack_fits", 3, 1)).isEqualTo(3 + 1); // f_mid_stack(3) + local[1]
                assertThat(run(o, "callx_stack_fits", 3, 0)).isEqualTo(4); // f_inc(3)
                for (int i = 0; i < 3; i++) {
                    long[] table = {6, 10, 25};
                    long[] rodata = {25, 6, 10};
                    assertThat(run(o, "table_bounded", 5, i)).as("%s table_bounded %d", obj, i).isEqualTo(table[i]);
                    assertThat(run(o, "rodata_table_bounded", 5, i)).as("%s rodata %d", obj, i).isEqualTo(rodata[i]);
                }
                assertThat(run(o, "table_bounded_range", 5, 2)).isEqualTo(25);
            }
        }
    }

    /** The explicit .maps call table: bpf_map_lookup_elem gives the function for the key (f_dbl, f_sqr), NULL past the end. */
    @Test
    void theExplicitMapsCallTableRunsOnBothEngines() {
        for (String obj : CALL_OBJECTS) {
            for (Engine engine : Engine.values()) {
                try (BpfObject o = BpfObject.open(TestData.object(obj))) {
                    o.programs().forEach(p -> p.setAutoload(p.name().equals("map_lookup_checked")));
                    o.load(LoadOptions.builder().engine(engine).build());
                    String where = obj + " " + engine;
                    assertThat(run(o, "map_lookup_checked", 5, 0)).as(where).isEqualTo(10);
                    assertThat(run(o, "map_lookup_checked", 7, 1)).as(where).isEqualTo(49);
                    TestRunResult past = o.program("map_lookup_checked").orElseThrow().testRun(TestRunInput.ofContext(ctx(5, 2)));
                    assertThat(past.retval()).as(where + ": the NULL check's return 1").isEqualTo(1);
                    assertThat(out(past)).as(where).isZero();
                }
            }
        }
    }

    private static long run(BpfObject o, String prog, long x, long i) {
        TestRunResult r = o.program(prog).orElseThrow().testRun(TestRunInput.ofContext(ctx(x, i)));
        assertThat(r.retval()).as(prog).isZero();
        return out(r);
    }

    @Test
    void acceptedJumpProgramsRunVerified() {
        for (String obj : JUMP_OBJECTS) {
            try (BpfObject o = BpfObject.open(TestData.object(obj))) {
                o.programs().forEach(p -> p.setAutoload(JUMP_RULES.get(p.name()) == null));
                o.load();
                long[] want = {10, 20, 30, 0};
                for (int x = 0; x < 4; x++) {
                    byte[] c = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0, x).array();
                    assertThat(o.program("gx_bounded").orElseThrow().testRun(TestRunInput.ofContext(c)).retval())
                            .as("%s x=%d", obj, x).isEqualTo(want[x]);
                    assertThat(o.program("gx_bounded_range").orElseThrow().testRun(TestRunInput.ofContext(c)).retval())
                            .as("%s x=%d", obj, x).isEqualTo(x == 0 ? 0 : want[x]);
                }
            }
        }
    }

    @Test
    void calculonThreeWaysIsVerifiedAndKeepsItsResults() {
        String[] exprs = {"1234567++++++", "2222222*****", "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+"};
        long[] want = {28, 128, 11};
        for (String variant : new String[] {"calculon_funcptr", "calculon_switch", "calculon_table"}) {
            for (String obj : new String[] {variant + ".v3.el.o", variant + ".v4.el.clang22.o"}) {
                try (BpfObject o = BpfObject.open(TestData.object(obj))) {
                    o.load();
                    for (BpfProgram p : o.programs()) {
                        assertThat(p.verification().orElseThrow().status()).as("%s %s", obj, p.name())
                                .isEqualTo(ProgramVerification.Status.ACCEPTED);
                    }
                    for (int i = 0; i < exprs.length; i++) {
                        TestRunResult r = o.program("calculon_run").orElseThrow()
                                .testRun(TestRunInput.ofContext(KernelRunsTest.calculonContext(exprs[i])));
                        assertThat(r.retval()).isZero();
                        assertThat(ByteBuffer.wrap(r.ctxOut()).order(ByteOrder.LITTLE_ENDIAN).getLong(8))
                                .as("%s %s", obj, exprs[i]).isEqualTo(want[i]);
                    }
                }
            }
        }
    }
}
