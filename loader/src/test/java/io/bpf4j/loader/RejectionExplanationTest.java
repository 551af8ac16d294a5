package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.testdata.KernelVerifier;
import io.bpf4j.testdata.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Explanations of rejections on C programs rejected on purpose: each slice must name the source
 * lines the program's marker comments point at (testdata/selftests/src/selftest_explain.bpf.c),
 * end at the line the kernel stops at, and the hint must name the lines; the callx and call-table
 * rule programs of indirect_calls.bpf.c the same by their source text. The kernel-format error
 * line is unchanged: the live kernel gives the same one (kernel-tagged test).
 */
class RejectionExplanationTest {
    private static final Path OBJECT = TestData.selftestObject("selftest_explain.v3.el.o");
    private static final Path SOURCE = OBJECT.getParent().resolveSibling("src").resolve("selftest_explain.bpf.c");

    /** A program, its rule, the markers whose lines the slice must hold, the marker of the rejected line, the hint (with {@code @marker} for line numbers). */
    private record Case(String program, String rule, List<String> markers, String rejectedAt, String hint) {
    }

    private static final List<Case> CASES = List.of(
            new Case("packet_short_check", "packet_range", List.of("data", "data_end", "check", "read"), "read",
                    "add a check that data + 8 <= data_end before line @read (the checks on this path prove 4 bytes)"),
            new Case("value_unchecked", "null_pointer", List.of("lookup", "deref"), "deref",
                    "check the result of bpf_map_lookup_elem (line @lookup) for NULL before line @deref"),
            new Case("index_unbounded", "variable_offset", List.of("bucket", "null_check", "index", "use"), "use",
                    "bound R2 (added at line @use) with an upper check before using it as an index at line @use"
                    + " (a value of map 'buckets' is 64 bytes)"),
            new Case("key_not_a_pointer", "helper_argument", List.of("call"), "call",
                    "argument 2 of bpf_map_lookup_elem must be fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem,"
                    + " buf, trusted_ptr_, but R2 holds scalar at line @call"),
            new Case("record_leaked", "reference_leak", List.of("reserve", "exit"), "exit",
                    "release the reference bpf_ringbuf_reserve returned at line @reserve on every path before line @exit"
                    + " (bpf_ringbuf_submit or bpf_ringbuf_discard)"),
            new Case("verdict_out_of_range", "return_value", List.of("len", "ret"), "ret",
                    "return a value in [0, 1] at line @ret (check or clamp what R0 holds)"));

    private static int markerLine(String marker) throws IOException {
        List<String> lines = Files.readAllLines(SOURCE);
        Pattern p = Pattern.compile("/\\* @" + Pattern.quote(marker) + "(:| \\*/)");
        for (int i = 0; i < lines.size(); i++) {
            if (p.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        throw new AssertionError("no marker @" + marker + " in " + SOURCE);
    }

    private static String withLines(String text) throws IOException {
        var m = Pattern.compile("@(\\w+)").matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Integer.toString(markerLine(m.group(1))));
        }
        return m.appendTail(sb).toString();
    }

    @Test
    void eachRuleNamesTheLinesThatMadeTheValue() throws IOException {
        try (BpfObject obj = BpfObject.open(OBJECT)) {
            for (Case c : CASES) {
                ProgramVerification v = obj.program(c.program()).orElseThrow().verify(LoadOptions.builder().build());
                assertThat(v.status()).as(c.program()).isEqualTo(ProgramVerification.Status.REJECTED);
                RejectionExplanation e = v.explanation().orElseThrow();
                List<Integer> expected = new ArrayList<>();
                for (String m : c.markers()) {
                    expected.add(markerLine(m));
                }
                assertThat(e.rule()).as(c.program()).isEqualTo(c.rule());
                assertThat(e.lines()).as(c.program() + "\n" + e.render()).containsAll(expected);
                assertThat(e.lines()).as(c.program()).last().isEqualTo(markerLine(c.rejectedAt()));
                assertThat(e.lines()).as(c.program()).isSubsetOf(markerLines(c));
                assertThat(e.hint()).as(c.program()).contains(withLines(c.hint()));
                assertThat(e.slice().get(e.slice().size() - 1).role()).isEqualTo("rejected: " + v.errorLine().orElseThrow());
            }
        }
    }

    /** Every line the slice may name: the markers, the function's own line (its entry) and nothing else. */
    private static List<Integer> markerLines(Case c) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (String m : c.markers()) {
            out.add(markerLine(m));
        }
        return out;
    }

    @Test
    void theLoaderSaysWhyWhenItRefusesToLoad() throws IOException {
        try (BpfObject obj = BpfObject.open(OBJECT)) {
            for (BpfProgram p : obj.programs()) {
                p.setAutoload(p.name().equals("value_unchecked"));
            }
            String expected = withLines("hint: check the result of bpf_map_lookup_elem (line @lookup) for NULL before line @deref");
            assertThatThrownBy(obj::load).isInstanceOfSatisfying(ProgramRejectedException.class, e -> {
                assertThat(e.explanation().orElseThrow().rule()).isEqualTo("null_pointer");
                assertThat(e.getMessage()).contains("-- END PROG LOAD LOG --", "\nexplanation (null_pointer):\n", expected)
                        .endsWith(expected);
            });
        }
    }

    @Test
    void aWholeProgramRejectionHasNoExplanation() {
        try (BpfObject obj = BpfObject.open(TestData.object("indirect_jumps.v4.el.o"))) {
            ProgramVerification v = obj.program("gx_no_table").orElseThrow().verify(LoadOptions.builder().build());
            assertThat(v.status()).isEqualTo(ProgramVerification.Status.REJECTED);
            assertThat(v.explanation()).isEmpty();
        }
    }

    /** The 1-based line of {@code text} in the body of function {@code function} of indirect_calls.bpf.c. */
    private static int indirectLine(String function, String text) throws IOException {
        List<String> lines = Files.readAllLines(TestData.source("indirect_calls"));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\w.* " + function + "\\(.*")) {
                start = i;
            }
            if (start >= 0 && lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no '" + text + "' in " + function);
    }

    @Test
    void callxAndCallTableRejectionsAreExplained() throws IOException {
        for (String name : List.of("indirect_calls.v3.el.o", "indirect_calls.v4.el.clang22.o")) {
            try (BpfObject obj = BpfObject.open(TestData.object(name))) {
                RejectionExplanation scalar = explanation(obj, "callx_scalar");
                assertThat(scalar.rule()).isEqualTo("indirect_call");
                assertThat(scalar.lines()).as(name).contains(indirectLine("callx_scalar", "unary_fn f = (unary_fn)ctx->i;"));
                int call = indirectLine("callx_scalar", "ctx->out = f(ctx->x);");
                assertThat(scalar.lines()).as(name).last().isEqualTo(call);
                assertThat(scalar.hint().orElseThrow()).as(name).startsWith("callx needs a function pointer in R")
                        .endsWith("but it holds scalar at line " + call);

                RejectionExplanation past = explanation(obj, "table_past_end");
                int check = indirectLine("table_past_end", "if (i > 3)");
                int use = indirectLine("table_past_end", "ctx->out = ic_ops[i](ctx->x);");
                assertThat(past.rule()).isEqualTo("call_table");
                assertThat(past.lines()).as(name + "\n" + past.render())
                        .contains(indirectLine("table_past_end", "__u64 i = ctx->i;"), check, use);
                assertThat(past.hint().orElseThrow()).as(name).matches("check the index R\\d \\(added at line " + use
                        + "\\) against 3 \\(index < 3\\) before line " + use);

                RejectionExplanation unchecked = explanation(obj, "map_lookup_unchecked");
                int lookup = indirectLine("map_lookup_unchecked", "unary_fn f = bpf_map_lookup_elem(&ic_map, &k);");
                assertThat(unchecked.hint().orElseThrow()).as(name).matches("check the function pointer in R\\d \\(from"
                        + " bpf_map_lookup_elem at line " + lookup + "\\) for NULL before line "
                        + indirectLine("map_lookup_unchecked", "ctx->out = f(ctx->x);"));
            }
        }
    }

    @Test
    void iteratorMisuseIsExplained() throws IOException {
        List<String> source = Files.readAllLines(TestData.source("iters_bad"));
        int create = source.indexOf("\tbpf_iter_num_new(&it, 0, 3);") + 1;
        try (BpfObject obj = BpfObject.open(TestData.object("iters_bad.v3.el.o"))) {
            RejectionExplanation leak = explanation(obj, "bad_leak");
            assertThat(leak.rule()).isEqualTo("reference_leak");
            assertThat(leak.lines()).first().isEqualTo(create);
            assertThat(leak.hint().orElseThrow()).startsWith("release the reference bpf_iter_num_new returned at line " + create)
                    .endsWith(" (bpf_iter_num_destroy)");
            int next = source.indexOf("\tint *v = bpf_iter_num_next(&it);") + 1;
            assertThat(explanation(obj, "bad_next_uninit").hint().orElseThrow())
                    .isEqualTo("create the iterator with bpf_iter_num_new (and do not destroy it) before line " + next);
            assertThat(explanation(obj, "bad_double_new").hint().orElseThrow())
                    .isEqualTo("destroy the iterator with bpf_iter_num_destroy before creating it again at line "
                            + (source.indexOf("\tbpf_iter_num_new(&it, 0, 5);") + 1));
        }
    }

    private static RejectionExplanation explanation(BpfObject obj, String program) {
        return obj.program(program).orElseThrow().verify(LoadOptions.builder().build()).explanation().orElseThrow();
    }

    /** bpf4j adds the explanation beside the kernel's log: the error line of every program stays the live kernel's. */
    @Test
    @Tag("kernel")
    void theKernelsErrorLineIsUnchanged() {
        KernelVerifier k = KernelVerifier.require();
        KernelVerifier.ObjectVerdicts kv = k.verifyObject(OBJECT, 1);
        assertThat(kv.openError()).isNull();
        assertThat(kv.programs()).hasSize(CASES.size());
        try (BpfObject obj = BpfObject.open(OBJECT)) {
            for (KernelVerifier.ObjectProgram kp : kv.programs()) {
                ProgramVerification ours = obj.program(kp.name()).orElseThrow()
                        .verify(LoadOptions.builder().logLevel(1).kernelProfile(KernelProfiles.probe()).build());
                assertThat(kp.verdict().accepted()).as(kp.name()).isFalse();
                assertThat(ours.errorLine()).as(kp.name()).contains(kp.verdict().errorLine());
                assertThat(ours.explanation()).as(kp.name()).isPresent();
            }
        }
    }
}
