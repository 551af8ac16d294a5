package io.bpf4j.jit.compiler;

import static io.bpf4j.jit.TestPrograms.asm;
import static io.bpf4j.jit.TestPrograms.patch;
import static io.bpf4j.jit.TestPrograms.pseudoLoad;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Jump;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.PacketLoad;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.ExecutionEngine;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.TestMaps;
import io.bpf4j.jit.compiler.GeneratedClasses.Outcome;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.ProgArray;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Tail calls, gotox and the legacy packet loads (LD_ABS/LD_IND) compiled rather than handed to
 * the interpreter: each program compiles (no fallback, CheckClassAdapter clean) and gives the
 * interpreter's outcome (r0 or fault with pc and message, instruction count), and the value the
 * program is written to give.
 */
class CompiledControlFlowTest {

    private static Compiler.Compilation compile(ProgramImage image) {
        Compiler.Compilation c = Compiler.INSTANCE.compile(image);
        assertThat(c.fallbackReason()).as("compiles").isNull();
        GeneratedClasses.check(c.classFile());
        return c;
    }

    /** The outcome on each engine, asserted equal; returns it. */
    private static Outcome agree(String what, Function<ExecutionEngine, Executable> prepare, Consumer<ExecutionContext> setup) {
        Executable interpreted = prepare.apply(Interpreter.INSTANCE);
        Executable compiled = prepare.apply(Compiler.INSTANCE);
        assertThat(compiled.engineName()).as(what).isEqualTo("compiled");
        ExecutionContext ic = interpreted.newContext();
        setup.accept(ic);
        ExecutionContext cc = compiled.newContext();
        setup.accept(cc);
        Outcome byInterpreter = Outcome.of(interpreted, ic, interpreted::run);
        Outcome byCompiler = Outcome.of(compiled, cc, compiled::run);
        assertThat(byCompiler).as(what).isEqualTo(byInterpreter);
        return byCompiler;
    }

    private static Outcome agree(String what, ProgramImage image, Consumer<ExecutionContext> setup) {
        compile(image);
        Outcome whole = agree(what, e -> e.prepare(image), setup);
        if (image.instructions().slotCount() > 200) {
            // one chunk per instruction would make a driver method over 64 KB
            return whole;
        }
        // and split into one chunk method per instruction: every jump, gotox included, leaves its chunk
        Compiler.Compilation split = Compiler.INSTANCE.compile(image, 1);
        assertThat(split.fallbackReason()).as("%s split compiles", what).isNull();
        GeneratedClasses.check(split.classFile());
        ExecutionContext sc = split.executable().newContext();
        setup.accept(sc);
        assertThat(Outcome.of(split.executable(), sc, split.executable()::run)).as("%s, split", what).isEqualTo(whole);
        return whole;
    }

    @Test
    void gotoxTakesTheEntryTheRegisterNamesAndFaultsAsTheInterpreterDoes() {
        // 0-1: r1 = &insn_array[0]; 2-3: r1 += r3 * 8; 4: r2 = *(u64 *)r1; 5: gotox r2; 6: r0 = 1, exit; 8: r0 = 2, exit
        Instructions base = asm("lddw %r1, 0", "lsh %r3, 3", "add %r1, %r3", "ldxdw %r2, [%r1+0]", "ja +0",
                "mov %r0, 1", "exit", "mov %r0, 2", "exit");
        Instructions insns = patch(patch(base, 0, pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_VALUE, 40, 0)), 4, Jump.gotox(Register.R2));
        ProgramImage image = ProgramImage.builder(insns).instructionArray(40, 8, 6).build();
        assertThat(agree("entry 0", image, c -> c.setArgs(0, 0, 0)).r0()).isEqualTo(2);
        assertThat(agree("entry 1", image, c -> c.setArgs(0, 0, 1)).r0()).isEqualTo(1);
        assertThat(agree("entry 2 (past the array)", image, c -> c.setArgs(0, 0, 2)).fault()).isNotNull();

        Instructions outside = patch(patch(asm("lddw %r1, 0", "ldxdw %r2, [%r1+0]", "ja +0", "exit", "mov %r0, 3", "exit"),
                0, pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_VALUE, 1, 0)), 2, Jump.gotox(Register.R2));
        Outcome o = agree("outside", ProgramImage.builder(outside).instructionArray(1, 9).build(), c -> { });
        assertThat(o.fault()).isEqualTo("ControlFlowFault at 3: insn 3: gotox to insn 9 outside the function [0, 6]");
        Outcome scalar = agree("scalar", ProgramImage.of(patch(asm("mov %r2, 5", "ja +0", "exit"), 1, Jump.gotox(Register.R2)),
                StandardHelpers.all()), c -> { });
        assertThat(scalar.fault()).isEqualTo("ControlFlowFault at 1: insn 1: gotox through 0x5: not an instruction pointer");
    }

    @Test
    void legacyPacketLoadsReadNetworkOrderAndLeaveTheFunctionWithZeroOutsideThePacket() {
        byte[] packet = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66};
        Consumer<ExecutionContext> withPacket = c -> c.setPacket(packet.clone(), 0, 0, packet.length);
        for (int r7 : new int[] {0, 2, 3, -1}) {
            Instructions insns = patch(patch(asm("mov %r0, 0", "mov %r0, 0", "mov %r6, %r0", "mov %r7, " + r7, "mov %r0, 0",
                    "add %r0, %r6", "exit"), 1, PacketLoad.abs(Size.H, 1)), 4, PacketLoad.ind(Size.W, Register.R7, 0));
            Outcome o = agree("r7 = " + r7, ProgramImage.of(insns, StandardHelpers.all()), withPacket);
            long expected = switch (r7) {
                case 0 -> 0x2233L + 0x11223344L;
                case 2 -> 0x2233L + 0x33445566L;
                default -> 0;
            };
            assertThat(o.r0()).as("r7 = %d", r7).isEqualTo(expected);
        }
        // in a subprogram: only that function ends, with r0 = 0; the caller adds 100; r1 as the callee left it
        Instructions sub = patch(asm("call local f", "add %r0, 100", "add %r0, %r1", "exit", "f:", "mov %r1, 5", "mov %r0, 7",
                "mov %r0, 0", "mov %r0, 9", "exit"), 6, PacketLoad.abs(Size.W, 100));
        assertThat(agree("subprogram", ProgramImage.of(sub, StandardHelpers.all()), withPacket).r0()).isEqualTo(105);
        // no packet at all: the first load ends the program with 0
        assertThat(agree("no packet", ProgramImage.of(sub, StandardHelpers.all()), c -> { }).r0()).isEqualTo(105);
        Instructions byte0 = patch(asm("mov %r0, 0", "exit"), 0, PacketLoad.abs(Size.B, 5));
        assertThat(agree("last byte", ProgramImage.of(byte0, StandardHelpers.all()), withPacket).r0()).isEqualTo(0x66);
    }

    @Test
    void aCallerSeesTheRegistersItsCalleesLeftWhereverItReadsThem() {
        // main calls g, g calls h and exits; h sets r1-r5. main reads r3 and r5 after the call, and r1 only after writing it
        Instructions insns = asm("mov %r1, 1", "call local g", "mov %r0, %r3", "lsh %r0, 8", "add %r0, %r5", "mov %r1, 0",
                "add %r0, %r1", "exit",
                "g:", "call local h", "exit",
                "h:", "mov %r1, 11", "mov %r2, 12", "mov %r3, 13", "mov %r4, 14", "mov %r5, 15", "mov %r0, 0", "exit");
        ProgramImage image = ProgramImage.of(insns, StandardHelpers.all());
        assertThat(agree("nested calls", image, c -> { }).r0()).isEqualTo(13 << 8 | 15);
        ReturnedRegisters returned = new CodeGenerator(image, new io.bpf4j.jit.internal.DecodedProgram(image)).returned();
        int r3r5 = 1 << 3 | 1 << 5;
        assertThat(returned.afterCall(1)).as("read after main's call").isEqualTo(r3r5);
        assertThat(returned.atExit(1)).as("g hands back").isEqualTo(r3r5);
        assertThat(returned.afterCall(8)).as("read after g's call (g's exit)").isEqualTo(r3r5);
        assertThat(returned.atExit(2)).as("h hands back").isEqualTo(r3r5);
        assertThat(returned.atExit(0)).as("main: no caller in the program").isZero();
        // a call whose results nobody reads reloads nothing
        ProgramImage unread = ProgramImage.of(asm("call local h", "mov %r0, 1", "exit", "h:", "mov %r3, 3", "exit"), StandardHelpers.all());
        assertThat(agree("unread", unread, c -> { }).r0()).isEqualTo(1);
        ReturnedRegisters none = new CodeGenerator(unread, new io.bpf4j.jit.internal.DecodedProgram(unread)).returned();
        assertThat(none.afterCall(0)).isZero();
        assertThat(none.atExit(1)).isZero();
    }

    @Test
    void tailCallsChainUpToThirtyThreeAndAnEmptySlotFallsThrough() {
        // *counter += 1; tail_call(ctx, jmp, 0); return *counter
        Instructions insns = patch(patch(asm("lddw %r6, 0", "mov %r7, 1", "lock add [%r6+0], %r7",
                "lddw %r2, 0", "ldxdw %r3, [%r6+0]", "and %r3, 0", "call 12", "ldxdw %r0, [%r6+0]", "exit"),
                3, pseudoLoad(Register.R2, Opcodes.PSEUDO_MAP_FD, 1, 0)), 0, pseudoLoad(Register.R6, Opcodes.PSEUDO_MAP_VALUE, 2, 0));
        long[] results = new long[2];
        String[] faults = new String[2];
        long[] counts = new long[2];
        ExecutionEngine[] engines = {Interpreter.INSTANCE, Compiler.INSTANCE};
        for (int e = 0; e < 2; e++) {
            BpfMap progs = TestMaps.create(MapType.PROG_ARRAY, "jmp", 4, 4, 2);
            BpfMap data = TestMaps.array(".data", 8, 1);
            ProgramImage image = ProgramImage.builder(insns).helpers(StandardHelpers.forProgramType(ProgramType.XDP))
                    .map(1, progs).map(2, data).build();
            if (e == 1) {
                compile(image);
            }
            Executable self = engines[e].prepare(image);
            ((ProgArray) progs).setProgram(0, self);
            ExecutionContext ctx = self.newContext();
            results[e] = self.run(ctx);
            counts[e] = ctx.instructionsExecuted();
            ((ProgArray) progs).setProgram(0, null);
            results[e] = results[e] << 8 | self.run(ctx);
            faults[e] = String.valueOf(TestMaps.u64(data.lookup(TestMaps.u32(0)), 0));
        }
        assertThat(results[1]).isEqualTo(results[0]).isEqualTo(34L << 8 | 35);
        assertThat(counts[1]).isEqualTo(counts[0]);
        assertThat(faults[1]).isEqualTo(faults[0]);
    }

    @Test
    void aSubprogramsCallerSeesTheRegistersATailCalledProgramLeft() {
        // target: calls h (r4 = 7), sets r3 = 42, exits; caller: g tail-calls it, main reads r3 and r4 after calling g:
        // the target ran on a register file of its own, so they are g's (r3 = 0 for the tail call, r4 as main left it)
        Instructions target = asm("call local h", "mov %r3, 42", "mov %r0, 1", "exit", "h:", "mov %r4, 7", "mov %r0, 0", "exit");
        Instructions caller = patch(asm("call local g", "mov %r0, %r3", "lsh %r0, 8", "add %r0, %r4", "exit",
                "g:", "lddw %r2, 0", "mov %r3, 0", "call 12", "mov %r0, 1", "exit"), 5, pseudoLoad(Register.R2, Opcodes.PSEUDO_MAP_FD, 1, 0));
        for (ExecutionEngine engine : new ExecutionEngine[] {Interpreter.INSTANCE, Compiler.INSTANCE}) {
            BpfMap progs = TestMaps.create(MapType.PROG_ARRAY, "jmp", 4, 4, 1);
            Executable t = engine.prepare(ProgramImage.builder(target).helpers(StandardHelpers.forProgramType(ProgramType.XDP)).build());
            Executable c = engine.prepare(ProgramImage.builder(caller).helpers(StandardHelpers.forProgramType(ProgramType.XDP))
                    .map(1, progs).build());
            ((ProgArray) progs).setProgram(0, t);
            assertThat(c.run(c.newContext())).as(engine.getClass().getSimpleName()).isEqualTo(0);
        }
    }

    @Test
    void aTailCallReturnsTheTargetsResultAndItsGlobalData() {
        // target: r0 = *global (its own .data: 77); caller: tail_call(ctx, jmp, 0); r0 = 1 (not reached)
        Instructions target = patch(asm("lddw %r1, 0", "ldxdw %r0, [%r1+0]", "exit"), 0,
                pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_VALUE, 2, 0));
        Instructions caller = patch(asm("mov %r6, 5", "lddw %r2, 0", "mov %r3, 0", "call 12", "mov %r0, 1", "exit"),
                1, pseudoLoad(Register.R2, Opcodes.PSEUDO_MAP_FD, 1, 0));
        for (ExecutionEngine engine : new ExecutionEngine[] {Interpreter.INSTANCE, Compiler.INSTANCE}) {
            BpfMap progs = TestMaps.create(MapType.PROG_ARRAY, "jmp", 4, 4, 1);
            BpfMap data = TestMaps.array(".data", 8, 1);
            data.update(TestMaps.u32(0), TestMaps.u64(77), 0);
            Executable t = engine.prepare(ProgramImage.builder(target).helpers(StandardHelpers.forProgramType(ProgramType.XDP))
                    .map(2, data).build());
            Executable c = engine.prepare(ProgramImage.builder(caller).helpers(StandardHelpers.forProgramType(ProgramType.XDP))
                    .map(1, progs).build());
            ((ProgArray) progs).setProgram(0, t);
            assertThat(c.run(c.newContext())).as(engine.getClass().getSimpleName()).isEqualTo(77);
        }
    }

    /**
     * A function whose one method would be over the 8000 bytes HotSpot compiles is split into
     * chunk methods under that size, with a loop whose back edge goes from the last chunk to the
     * first, and runs as the interpreter runs it.
     */
    @Test
    void aFunctionOverTheSizeHotSpotCompilesIsSplitIntoChunkMethodsUnderIt() {
        StringBuilder src = new StringBuilder("mov %r0, 0\nmov %r1, 0\nloop:\n");
        for (int i = 0; i < 2000; i++) {
            src.append(i % 2 == 0 ? "add %r0, 3\n" : "xor %r0, 5\n");
        }
        src.append("add %r1, 1\njlt %r1, 3, loop\nexit\n");
        ProgramImage image = ProgramImage.of(io.bpf4j.isa.asm.ConformanceAssembler.assemble(src.toString()), StandardHelpers.all());
        Compiler.Compilation c = compile(image);
        java.util.Map<String, Integer> sizes = MethodSizes.of(c.classFile());
        assertThat(sizes.keySet()).as("chunk methods").filteredOn(m -> m.startsWith("c0_")).hasSizeGreaterThan(1);
        sizes.forEach((m, size) -> {
            if (!m.startsWith("s")) {
                assertThat(size).as(m).isLessThanOrEqualTo(MethodSizes.HUGE_METHOD_LIMIT);
            }
        });
        Outcome o = agree("split", image, ctx -> { });
        assertThat(o.r0()).isNotNull();
        assertThat(o.instructions()).isEqualTo(2 + 3 * 2002 + 1);
        // the budget running out inside a later chunk faults where the interpreter's does
        agree("split, budget", image, ctx -> ctx.setInstructionBudget(3000));
    }
}
