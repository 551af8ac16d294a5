package io.bpf4j.jit.compiler;

import static io.bpf4j.jit.TestPrograms.asm;
import static io.bpf4j.jit.TestPrograms.patch;
import static io.bpf4j.jit.TestPrograms.pseudoLoad;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Register;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.compiler.GeneratedClasses.Outcome;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.jit.interpreter.Interpreter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the conformance suite does not reach: budgets spent across bpf-to-bpf calls and
 * callbacks, call depth, callx, r1-r5 after a call, faults of the control flow. Each program
 * runs on both engines: same r0 or same fault (class, pc, message), same instruction count.
 */
class CompilerDifferentialTest {

    /** Results that show the programs do what their names say (not just the same wrong thing on both). */
    private static final Map<String, Long> EXPECTED = Map.of(
            "callee's r1 seen by the caller", 42L, "callee frames", 22L, "callx function", 42L, "bpf_loop", 5L);

    private static Map<String, Instructions> programs() {
        Map<String, Instructions> p = new LinkedHashMap<>();
        p.put("infinite loop", asm("mov %r0, 0", "loop:", "add %r0, 1", "ja loop", "exit"));
        p.put("budget runs out in a callee", asm("mov %r0, 0", "loop:", "call local f", "ja loop", "exit",
                "f:", "add %r0, 1", "exit"));
        p.put("recursion", asm("call local f", "exit", "f:", "call local f", "exit"));
        p.put("callee's r1 seen by the caller", asm("mov %r1, 1", "call local f", "mov %r0, %r1", "exit",
                "f:", "mov %r1, 42", "exit"));
        p.put("callee frames", asm("stdw [%r10-8], 11", "mov %r6, 6", "call local f", "ldxdw %r1, [%r10-8]",
                "add %r0, %r1", "add %r0, %r6", "exit", "f:", "stdw [%r10-8], 99", "mov %r6, 1", "mov %r0, 5", "exit"));
        p.put("callx function", patch(asm("lddw %r2, 0", "mov %r1, 20", "call %r2", "exit", "mov %r0, %r1", "add %r0, 22", "exit"),
                0, pseudoLoad(Register.R2, Opcodes.PSEUDO_FUNC, 4, 0)));
        p.put("callx modified pointer", patch(asm("lddw %r2, 0", "add %r2, 8", "call %r2", "exit", "mov %r0, 1", "exit"),
                0, pseudoLoad(Register.R2, Opcodes.PSEUDO_FUNC, 4, 0)));
        p.put("callx helper id", asm("mov %r2, 5", "call %r2", "mov %r0, 7", "exit"));
        p.put("callx bad id", asm("mov %r1, -1", "call %r1", "exit"));
        // bpf_loop(5, cb, 0, 0): the callback counts in the caller's budget; r0 is the loop count
        p.put("bpf_loop", patch(asm("mov %r1, 5", "lddw %r2, 0", "mov %r3, 0", "mov %r4, 0", "call 181", "exit",
                "mov %r0, 0", "exit"), 1, pseudoLoad(Register.R2, Opcodes.PSEUDO_FUNC, 5, 0)));
        p.put("read above the stack", asm("mov %r0, 0", "ldxdw %r0, [%r10+0]", "exit"));
        p.put("store below the stack", asm("mov %r1, 1", "stxdw [%r10-520], %r1", "exit"));
        p.put("jump out of range", asm("ja +5", "exit"));
        p.put("runs past the end", asm("mov %r0, 0"));
        p.put("jump into ld_imm64", asm("ja +1", "lddw %r0, 1", "exit"));
        p.put("write r10", asm("mov %r10, 0", "exit"));
        p.put("unknown helper", asm("mov %r0, 0", "call 1234", "exit"));
        p.put("scalar is no pointer", asm("mov %r1, 4096", "ldxb %r0, [%r1+0]", "exit"));
        // the second access hits the region cached by the first: its bounds are still compared
        p.put("read past the frame through a copy", asm("mov %r1, %r10", "add %r1, -8", "stxdw [%r1+0], %r1",
                "ldxdw %r0, [%r1+1]", "exit"));
        p.put("write below the frame through a copy", asm("mov %r1, %r10", "add %r1, -512", "stxdw [%r1+0], %r1",
                "stxb [%r1-1], %r1", "exit"));
        return p;
    }

    @Test
    void bothEnginesAgree() {
        bothEnginesAgree(Integer.MAX_VALUE);
    }

    /** The same with each function split into one chunk method per instruction. */
    @Test
    void bothEnginesAgreeWhenFunctionsAreSplit() {
        bothEnginesAgree(1);
    }

    private static void bothEnginesAgree(int splitAbove) {
        programs().forEach((name, insns) -> {
            ProgramImage image = ProgramImage.of(insns, StandardHelpers.all());
            Compiler.Compilation c = Compiler.INSTANCE.compile(image, splitAbove);
            assertThat(c.fallbackReason()).as("%s compiles", name).isNull();
            GeneratedClasses.check(c.classFile());
            if (splitAbove < 100) {
                assertThat(MethodSizes.of(c.classFile()).keySet()).as("%s is split into chunk methods", name).anyMatch(m -> m.startsWith("c0_"));
            }
            Executable interpreted = Interpreter.INSTANCE.prepare(image);
            Outcome byCompiler = Outcome.of(c.executable(), c.executable().newContext(), c.executable()::run);
            Outcome byInterpreter = Outcome.of(interpreted, interpreted.newContext(), interpreted::run);
            assertThat(byCompiler).as(name).isEqualTo(byInterpreter);
            if (EXPECTED.containsKey(name)) {
                assertThat(byCompiler.r0()).as(name).isEqualTo(EXPECTED.get(name));
            }
        });
    }

    @Test
    void aContextRunByTheInterpreterCanBeRunByTheCompiler() {
        Instructions insns = asm("stdw [%r10-8], 3", "ldxdw %r0, [%r10-8]", "exit");
        ProgramImage image = ProgramImage.of(insns, StandardHelpers.all());
        Executable interpreted = Interpreter.INSTANCE.prepare(image);
        Executable compiled = Compiler.INSTANCE.prepare(image);
        var ctx = interpreted.newContext();
        assertThat(interpreted.run(ctx)).isEqualTo(3);
        assertThat(compiled.run(ctx)).isEqualTo(3);
        assertThat(interpreted.run(ctx)).isEqualTo(3);
    }

    /**
     * The compiler compares the budget once per basic block; a block the budget does not cover
     * must still stop at the interpreter's instruction, after the interpreter's stores, and a
     * fault inside a block must leave the interpreter's count. Every budget up to the run's length.
     */
    @Test
    void theBudgetRunsOutAtTheInterpretersInstructionWhereverItEnds() {
        theBudgetRunsOutAtTheInterpretersInstructionWhereverItEnds(Integer.MAX_VALUE);
        theBudgetRunsOutAtTheInterpretersInstructionWhereverItEnds(1);
    }

    private static void theBudgetRunsOutAtTheInterpretersInstructionWhereverItEnds(int splitAbove) {
        Map<String, Instructions> programs = new LinkedHashMap<>();
        programs.put("loop with stack accesses, then a bad load", asm("mov %r0, 0", "mov %r1, 0", "loop:",
                "stxdw [%r10-8], %r1", "ldxdw %r2, [%r10-8]", "add %r0, %r2", "stxw [%r10-16], %r0", "add %r1, 1",
                "jlt %r1, 4, loop", "ldxw %r0, [%r10-16]", "mov %r3, 4096", "add %r0, 1", "ldxb %r4, [%r3+0]", "exit"));
        programs.put("calls in the middle", asm("mov %r6, 0", "loop:", "stdw [%r10-8], 7", "call local f", "add %r6, %r0",
                "ldxdw %r7, [%r10-8]", "add %r6, %r7", "jlt %r6, 60, loop", "mov %r0, %r6", "exit",
                "f:", "stdw [%r10-8], 1", "ldxdw %r0, [%r10-8]", "add %r0, 2", "exit"));
        programs.forEach((name, insns) -> {
            ProgramImage image = ProgramImage.of(insns, StandardHelpers.all());
            Compiler.Compilation c = Compiler.INSTANCE.compile(image, splitAbove);
            assertThat(c.fallbackReason()).as("%s compiles", name).isNull();
            Executable interpreted = Interpreter.INSTANCE.prepare(image);
            long full = Outcome.of(interpreted, interpreted.newContext(), interpreted::run).instructions();
            for (long budget = 1; budget <= full + 1; budget++) {
                var cc = c.executable().newContext().setInstructionBudget(budget);
                var ic = interpreted.newContext().setInstructionBudget(budget);
                Outcome byCompiler = Outcome.of(c.executable(), cc, c.executable()::run);
                Outcome byInterpreter = Outcome.of(interpreted, ic, interpreted::run);
                assertThat(byCompiler).as("%s, budget %d", name, budget).isEqualTo(byInterpreter);
                // the stores before the end: the main frame's bytes (region 1) as each engine left them
                long frame = io.bpf4j.jit.runtime.Pointers.data(1, 0);
                assertThat(cc.memory().read(frame, io.bpf4j.jit.runtime.Memory.FRAME_SIZE, 0)).as("%s, budget %d: stack", name, budget)
                        .isEqualTo(ic.memory().read(frame, io.bpf4j.jit.runtime.Memory.FRAME_SIZE, 0));
            }
        });
    }
}
