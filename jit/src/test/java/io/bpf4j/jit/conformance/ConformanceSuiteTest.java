package io.bpf4j.jit.conformance;

import io.bpf4j.testdata.ConformanceCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.ExecutionEngine;
import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.jit.runtime.ExecutionFault;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The eBPF conformance suite (all 313 tests, cpu v4, every group) through the interpreter, with
 * the runner's contract: r1 points to a writable copy of the test's memory, r2 is its length, the
 * result is r0 as a full 64-bit value. Helpers are the standard table; the two tests that call
 * a helper call id 5 with r1 = -1, which is ktime_get_ns there, as in the Linux plugin.
 */
class ConformanceSuiteTest {
    private static final int SUITE_SIZE = 313;

    static long run(ExecutionEngine engine, ConformanceCase c) {
        ProgramImage image = ProgramImage.of(InstructionCodec.decode(c.program(), ByteOrder.LITTLE_ENDIAN), StandardHelpers.all());
        Executable exe = engine.prepare(image);
        ExecutionContext ctx = exe.newContext();
        long mem = ctx.addMemory("mem", c.memory().clone(), true);
        ctx.setArgs(mem, c.memory().length);
        return exe.run(ctx);
    }

    @Test
    void suiteHasEveryTest() {
        assertThat(ConformanceCase.load()).hasSize(SUITE_SIZE);
    }

    @TestFactory
    Stream<DynamicTest> interpreter() {
        List<ConformanceCase> cases = ConformanceCase.load();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            if (c.expectedError() != null) {
                assertThatThrownBy(() -> run(Interpreter.INSTANCE, c)).isInstanceOf(ExecutionFault.class);
            } else {
                assertThat(run(Interpreter.INSTANCE, c))
                        .as("r0 of %s", c.name())
                        .isEqualTo(c.expectedR0());
            }
        }));
    }
}
