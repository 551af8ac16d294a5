package io.bpf4j.jit.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.compiler.Compiler;
import io.bpf4j.jit.compiler.GeneratedClasses;
import io.bpf4j.jit.compiler.GeneratedClasses.Outcome;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.testdata.ConformanceCase;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite through the compiler: every test gives the interpreter's outcome (r0 or
 * the fault with its pc and message, instruction count, memory afterwards) and the suite's
 * expectation, every generated class passes CheckClassAdapter, and the count of programs that
 * fell back to the interpreter is reported and may only go down.
 */
class CompilerConformanceTest {
    /** Programs of the suite that run on the interpreter for now; raise the bar as the compiler grows. */
    private static final int MAX_FALLBACKS = 0;

    private record Run(Outcome outcome, byte[] memory) {}

    private static Run run(Executable exe, ConformanceCase c) {
        ExecutionContext ctx = exe.newContext();
        byte[] mem = c.memory().clone();
        long p = ctx.addMemory("mem", mem, true);
        ctx.setArgs(p, c.memory().length);
        return new Run(Outcome.of(exe, ctx, exe::run), mem);
    }

    @Test
    void everyTestAgreesWithTheInterpreterAndTheSuite() {
        List<ConformanceCase> cases = ConformanceCase.load();
        Map<String, String> fallbacks = new TreeMap<>();
        int compiled = 0;
        for (ConformanceCase c : cases) {
            ProgramImage image = ProgramImage.of(InstructionCodec.decode(c.program(), ByteOrder.LITTLE_ENDIAN), StandardHelpers.all());
            Compiler.Compilation comp = Compiler.INSTANCE.compile(image);
            if (comp.compiled()) {
                compiled++;
                GeneratedClasses.check(comp.classFile());
            } else {
                fallbacks.put(c.name(), comp.fallbackReason());
            }
            Run byCompiler = run(comp.executable(), c);
            Run byInterpreter = run(Interpreter.INSTANCE.prepare(image), c);
            assertThat(byCompiler.outcome()).as("%s", c.name()).isEqualTo(byInterpreter.outcome());
            assertThat(byCompiler.memory()).as("memory after %s", c.name()).isEqualTo(byInterpreter.memory());
            // split into one chunk method per instruction, every jump leaving its chunk
            Compiler.Compilation split = GeneratedClasses.compileSplit(image, 1);
            if (split.compiled()) {
                GeneratedClasses.check(split.classFile());
                Run bySplit = run(split.executable(), c);
                assertThat(bySplit.outcome()).as("%s, split", c.name()).isEqualTo(byInterpreter.outcome());
                assertThat(bySplit.memory()).as("memory after %s, split", c.name()).isEqualTo(byInterpreter.memory());
            }
            if (c.expectedError() != null) {
                assertThat(byCompiler.outcome().fault()).as("%s faults", c.name()).isNotNull();
            } else {
                assertThat(byCompiler.outcome().r0()).as("r0 of %s", c.name()).isEqualTo(c.expectedR0());
            }
        }
        System.out.printf("conformance through the compiler: %d of %d compiled, %d on the interpreter%n",
                compiled, cases.size(), fallbacks.size());
        fallbacks.forEach((name, why) -> System.out.printf("  fallback %s: %s%n", name, why));
        assertThat(fallbacks.size()).as("fallbacks %s", fallbacks).isLessThanOrEqualTo(MAX_FALLBACKS);
    }
}
