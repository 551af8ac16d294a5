package io.bpf4j.loader;

import static io.bpf4j.loader.EngineComparison.assertSameOutcome;
import static io.bpf4j.loader.EngineComparison.maps;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.jit.compiler.CompiledProgram;
import io.bpf4j.loader.KernelRunsTest.KernelRun;
import io.bpf4j.testdata.TestData;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every recorded test run of the testdata programs (the inputs of {@link KernelRunsTest}) made on
 * an object loaded with the interpreter and on the same object loaded with the compiler, in the
 * same order: equal retval (or failure), data_out, ctx_out, and every map's contents after each
 * run. Reports how many of the programs were compiled and which fell back, with the reason.
 */
class EngineParityTest {

    private static TestRunInput input(KernelRun r) {
        return switch (r.input()) {
            case "zero-ctx" -> TestRunInput.ofContext(new byte[96]);
            case "zero-packet-64" -> TestRunInput.ofData(new byte[64]);
            default -> TestRunInput.ofContext(KernelRunsTest.calculonContext(r.input()));
        };
    }

    @Test
    void compilerAgreesWithTheInterpreterOnEveryRecordedRun() throws Exception {
        List<KernelRun> runs = KernelRunsTest.runs();
        Map<String, BpfObject[]> objects = new TreeMap<>();
        Map<String, String> fallbacks = new TreeMap<>();
        TreeSet<String> compiled = new TreeSet<>();
        try {
            for (KernelRun r : runs) {
                BpfObject[] pair = objects.computeIfAbsent(r.object(), o -> new BpfObject[] {
                        load(o, Engine.INTERPRETER), load(o, Engine.COMPILER)});
                BpfProgram byInterpreter = pair[0].program(r.program()).orElseThrow();
                BpfProgram byCompiler = pair[1].program(r.program()).orElseThrow();
                String key = r.object() + "/" + r.program();
                if (byCompiler.executable() instanceof CompiledProgram) {
                    compiled.add(key);
                } else {
                    fallbacks.put(key, "interpreter");
                }
                String what = key + " " + r.input();
                assertSameOutcome(byInterpreter, byCompiler, input(r), what);
                assertThat(maps(pair[1])).as("maps after %s", what).isEqualTo(maps(pair[0]));
            }
        } finally {
            objects.values().forEach(p -> {
                p[0].close();
                p[1].close();
            });
        }
        System.out.printf("testdata runs through both engines: %d runs, %d programs compiled, %d on the interpreter %s%n",
                runs.size(), compiled.size(), fallbacks.size(), fallbacks.keySet());
        assertThat(compiled).isNotEmpty();
    }

    /**
     * The same runs with each program verified (alone in its object), so the compiler gets the
     * verifier's facts and drops the bounds checks they prove redundant: still every outcome
     * and map equal to the interpreter's. Programs the verifier rejects, or that need sibling
     * programs in a prog array, are left out and counted; the test fails if no access was compiled without its check.
     */
    @Test
    void compilerWithVerifiedFactsAgreesWithTheInterpreter() throws Exception {
        List<KernelRun> runs = KernelRunsTest.runs();
        Map<String, BpfObject[]> objects = new TreeMap<>();
        TreeSet<String> skipped = new TreeSet<>();
        int proven = 0;
        int compared = 0;
        try {
            for (KernelRun r : runs) {
                String key = r.object() + "/" + r.program();
                if (skipped.contains(key)) {
                    continue;
                }
                BpfObject[] pair = objects.get(key);
                if (pair == null) {
                    try {
                        pair = new BpfObject[] {loadVerified(r.object(), r.program(), Engine.INTERPRETER),
                                loadVerified(r.object(), r.program(), Engine.COMPILER)};
                    } catch (io.bpf4j.isa.BpfException e) {
                        // rejected, or needs a sibling program in its prog array
                        skipped.add(key);
                        continue;
                    }
                    objects.put(key, pair);
                    BpfProgram p = pair[1].program(r.program()).orElseThrow();
                    if (p.verification().map(v -> v.status() == ProgramVerification.Status.ACCEPTED).orElse(false)) {
                        proven += io.bpf4j.jit.compiler.Compiler.INSTANCE.compile(p.executable().image()).provenAccesses();
                    }
                }
                String what = key + " " + r.input();
                BpfProgram byInterpreter = pair[0].program(r.program()).orElseThrow();
                BpfProgram byCompiler = pair[1].program(r.program()).orElseThrow();
                assertSameOutcome(byInterpreter, byCompiler, input(r), what);
                assertThat(maps(pair[1])).as("maps after %s", what).isEqualTo(maps(pair[0]));
                compared++;
            }
        } finally {
            objects.values().forEach(p -> {
                p[0].close();
                p[1].close();
            });
        }
        System.out.printf("verified testdata runs through both engines: %d runs compared, %d programs, %d accesses without bounds check,"
                + " %d programs left out %s%n", compared, objects.size(), proven, skipped.size(), skipped);
        assertThat(proven).as("accesses compiled without their bounds check").isPositive();
    }

    private static BpfObject loadVerified(String object, String program, Engine engine) {
        BpfObject obj = BpfObject.open(TestData.object(object));
        obj.programs().forEach(p -> p.setAutoload(p.name().equals(program)));
        try {
            obj.load(LoadOptions.builder().verify(true).engine(engine).build());
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
        return obj;
    }

    private static BpfObject load(String object, Engine engine) {
        BpfObject obj = BpfObject.open(TestData.object(object));
        obj.load(LoadOptions.builder().verify(false).engine(engine).build());
        return obj;
    }
}
