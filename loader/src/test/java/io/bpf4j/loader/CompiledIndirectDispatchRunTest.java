package io.bpf4j.loader;

import static io.bpf4j.loader.EngineComparison.assertSameOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.isa.facts.Facts;
import io.bpf4j.jit.compiler.CompiledProgram;
import io.bpf4j.jit.compiler.Compiler;
import io.bpf4j.testdata.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The programs with {@code callx}, call tables and {@code gotox} in testdata (the calculon three
 * ways, indirect_calls, indirect_jumps, calltables, fptables, funcptr, jumptables, switches; every
 * little-endian build) run on the interpreter, compiled without facts (unverified), and compiled
 * with the verifier's facts (each program the verifier accepts): equal retval (or failure),
 * data_out and ctx_out on every input. With facts, every callx and gotox of an accepted program
 * that the verifier reached is compiled to a switch over its proven targets
 * ({@code Compilation.indirectSwitches}).
 */
class CompiledIndirectDispatchRunTest {
    private static final List<String> PREFIXES = List.of("calculon_funcptr.", "calculon_switch.", "calculon_table.", "indirect_calls.",
            "indirect_jumps.", "calltables.", "fptables.", "funcptr.", "jumptables.", "switches.");

    private static final String[] EXPRESSIONS = {"1234567++++++", "2222222*****", "34+6522*321+*+*+*222**16+39-41+4321+*+*+*+-3+"};

    /** Contexts in the layouts these programs read: two u32 (jump tables, switches), two u64 (indirect_calls), calculon's. */
    private static List<TestRunInput> inputs(ProgramType type) {
        List<TestRunInput> in = new ArrayList<>();
        for (int x : new int[] {-1, 0, 1, 2, 3, 5, 7, 8, 12, 20}) {
            for (int y : new int[] {0, 3, 99}) {
                in.add(TestRunInput.ofContext(ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN).putInt(0, x).putInt(4, y).array()));
            }
        }
        for (long x : new long[] {5, 7}) {
            for (long i = -1; i <= 3; i++) {
                in.add(TestRunInput.ofContext(ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN).putLong(0, x).putLong(8, i).array()));
            }
        }
        for (String e : EXPRESSIONS) {
            in.add(TestRunInput.ofContext(KernelRunsTest.calculonContext(e)));
        }
        if (type == ProgramType.XDP) {
            byte[] counting = new byte[64];
            for (int i = 0; i < counting.length; i++) {
                counting[i] = (byte) i;
            }
            in.add(TestRunInput.ofData(new byte[64]));
            in.add(TestRunInput.ofData(counting));
        }
        return in;
    }

    /** The callx and gotox instructions the verifier reached (dead ones carry no targets). */
    private static long indirectInstructions(BpfProgram p) {
        int n = 0;
        for (int i = 0; i < p.instructions().slotCount(); i++) {
            int code = p.instructions().slotAt(i).code();
            if ((code == Opcodes.CODE_CALLX || code == Opcodes.CODE_GOTOX)
                    && !p.executable().image().facts().get(i, Facts.DEAD).orElse(false)) {
                assertThat(p.executable().image().facts().get(i, Facts.INDIRECT_TARGETS)).as("%s insn %d", p.name(), i).isPresent();
                n++;
            }
        }
        return n;
    }

    @Test
    void compiledWithAndWithoutFactsAgreesWithTheInterpreter() {
        List<String> objects = PREFIXES.stream().flatMap(p -> TestData.objectsStartingWith(p).stream())
                .map(path -> path.getFileName().toString()).filter(n -> n.contains(".el.")).sorted().toList();
        assertThat(objects).hasSizeGreaterThan(20);
        int runs = 0, verifiedRuns = 0, switches = 0;
        Set<String> withFacts = new TreeSet<>();
        for (String obj : objects) {
            try (BpfObject interpreted = BpfObject.open(TestData.object(obj));
                    BpfObject unverified = BpfObject.open(TestData.object(obj));
                    BpfObject verified = BpfObject.open(TestData.object(obj))) {
                interpreted.load(LoadOptions.builder().verify(false).engine(Engine.INTERPRETER).build());
                unverified.load(LoadOptions.builder().verify(false).engine(Engine.COMPILER).build());
                Set<String> accepted = verified.programs().stream()
                        .filter(p -> p.verify(LoadOptions.builder().build()).status() == ProgramVerification.Status.ACCEPTED)
                        .map(BpfProgram::name).collect(Collectors.toSet());
                verified.programs().forEach(p -> p.setAutoload(accepted.contains(p.name())));
                verified.load(LoadOptions.builder().verify(true).engine(Engine.COMPILER).build());
                for (BpfProgram reference : interpreted.programs()) {
                    String name = reference.name();
                    BpfProgram plain = unverified.program(name).orElseThrow();
                    BpfProgram factual = accepted.contains(name) ? verified.program(name).orElseThrow() : null;
                    if (factual != null && factual.executable() instanceof CompiledProgram && indirectInstructions(factual) > 0) {
                        int n = Compiler.INSTANCE.compile(factual.executable().image()).indirectSwitches();
                        assertThat(n).as("%s %s: callx/gotox compiled to a switch over the verifier's targets", obj, name)
                                .isEqualTo(indirectInstructions(factual));
                        switches += n;
                        withFacts.add(obj + "/" + name);
                    }
                    for (TestRunInput input : inputs(reference.type())) {
                        assertSameOutcome(reference, plain, input, obj + " " + name + " without facts");
                        runs++;
                        if (factual != null) {
                            assertSameOutcome(reference, factual, input, obj + " " + name + " with facts");
                            verifiedRuns++;
                        }
                    }
                }
            }
        }
        System.out.printf("indirect dispatch: %d objects, %d runs without facts, %d with facts, %d callx/gotox compiled to a switch"
                + " in %d programs%n", objects.size(), runs, verifiedRuns, switches, withFacts.size());
        assertThat(withFacts).as("programs whose callx/gotox dispatch from facts")
                .anyMatch(s -> s.startsWith("calculon_table")).anyMatch(s -> s.startsWith("calculon_funcptr"))
                .anyMatch(s -> s.startsWith("indirect_jumps")).anyMatch(s -> s.startsWith("indirect_calls"));
    }
}
