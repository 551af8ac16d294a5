package io.bpf4j.jit.interpreter;

import static io.bpf4j.jit.TestPrograms.asm;
import static io.bpf4j.jit.TestPrograms.patch;
import static io.bpf4j.jit.TestPrograms.prepare;
import static io.bpf4j.jit.TestPrograms.pseudoLoad;
import static io.bpf4j.jit.TestPrograms.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Jump;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.PacketLoad;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.Slot;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.runtime.ControlFlowFault;
import org.junit.jupiter.api.Test;

/** Calls through function pointers, callx, gotox through instruction arrays, may_goto and legacy packet loads. */
class ControlFlowTest {

    @Test
    void callxThroughAFunctionPointerCallsThatFunction() {
        // 0-1: r2 = func at insn 5; 2: r1 = 20; 3: callx r2; 4: exit; 5: r0 = r1 + 22; 6: exit
        Instructions insns = patch(asm("lddw %r2, 0", "mov %r1, 20", "call %r2", "exit", "mov %r0, %r1", "add %r0, 22", "exit"),
                0, pseudoLoad(Register.R2, Opcodes.PSEUDO_FUNC, 4, 0));
        assertThat(run(insns)).isEqualTo(42);
    }

    @Test
    void callxThroughAHelperIdCallsThatHelper() {
        Executable exe = prepare(asm("mov %r2, 14", "call %r2", "exit"));
        ExecutionContext ctx = exe.newContext().setTask(new io.bpf4j.jit.runtime.TaskContext(7, 3, 0, 0, "x", 0));
        assertThat(exe.run(ctx)).isEqualTo(3L << 32 | 7);
    }

    @Test
    void aModifiedFunctionPointerIsRejected() {
        Instructions insns = patch(asm("lddw %r2, 0", "add %r2, 8", "call %r2", "exit", "mov %r0, 1", "exit"),
                0, pseudoLoad(Register.R2, Opcodes.PSEUDO_FUNC, 3, 0));
        ControlFlowFault f = catchThrowableOfType(ControlFlowFault.class, () -> run(insns));
        assertThat(f.pc()).isEqualTo(3);
        assertThat(f).hasMessageContaining("neither a function pointer nor a helper id");
    }

    @Test
    void calleesGetFreshFramesAndCallerSavedRegistersSurvive() {
        Instructions insns = asm(
                "stdw [%r10-8], 11",
                "mov %r6, 6",
                "call local f",
                "ldxdw %r1, [%r10-8]",   // caller's slot untouched
                "add %r0, %r1",
                "add %r0, %r6",          // r6 preserved
                "exit",
                "f:",
                "ldxdw %r0, [%r10-8]",   // a fresh frame reads zero
                "stdw [%r10-8], 99",
                "mov %r6, 1000",
                "exit");
        assertThat(run(insns)).isEqualTo(0 + 11 + 6);
    }

    @Test
    void gotoxJumpsToTheInstructionTheArrayEntryNames() {
        // 0-1: r1 = &insn_array[0]; 2-3: r1 += r3 * 8 (r3 = entry); 4: r2 = *(u64 *)r1; 5: gotox r2
        // 6: r0 = 1, exit   8: r0 = 2, exit
        Instructions base = asm("lddw %r1, 0", "lsh %r3, 3", "add %r1, %r3", "ldxdw %r2, [%r1+0]", "ja +0",
                "mov %r0, 1", "exit", "mov %r0, 2", "exit");
        Instructions insns = patch(patch(base, 0, pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_VALUE, 40, 0)),
                4, Jump.gotox(Register.R2));
        Executable exe = Interpreter.INSTANCE.prepare(ProgramImage.builder(insns).instructionArray(40, 8, 6).build());
        ExecutionContext ctx = exe.newContext();
        assertThat(exe.run(ctx.setArgs(0, 0, 0))).isEqualTo(2);
        assertThat(exe.run(ctx.setArgs(0, 0, 1))).isEqualTo(1);
    }

    @Test
    void gotoxOutsideItsFunctionFaults() {
        Instructions base = asm("lddw %r1, 0", "ldxdw %r2, [%r1+0]", "ja +0", "exit", "f:", "mov %r0, 3", "exit");
        Instructions insns = patch(patch(base, 0, pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_VALUE, 1, 0)), 2, Jump.gotox(Register.R2));
        // slot 5 is in the program but the array names it from function 0 = [0, 6]; make f a function with a call
        Executable exe = Interpreter.INSTANCE.prepare(ProgramImage.builder(insns).instructionArray(1, 9).build());
        ControlFlowFault f = catchThrowableOfType(ControlFlowFault.class, () -> exe.run(exe.newContext()));
        assertThat(f.pc()).isEqualTo(3);
        assertThat(f).hasMessage("insn 3: gotox to insn 9 outside the function [0, 6]");
        ControlFlowFault scalar = catchThrowableOfType(ControlFlowFault.class,
                () -> run(patch(asm("mov %r2, 5", "ja +0", "exit"), 1, Jump.gotox(Register.R2))));
        assertThat(scalar).hasMessage("insn 1: gotox through 0x5: not an instruction pointer");
    }

    @Test
    void mayGotoFallsThroughItsBudgetThenJumps() {
        // 0: r0 = 0; 1: may_goto +2; 2: r0 += 1; 3: goto 1; 4: exit
        Instructions insns = patch(asm("mov %r0, 0", "ja +0", "add %r0, 1", "ja -3", "exit"), 1,
                new Jump(Slot.of(Opcodes.CODE_MAY_GOTO, 0, 0, 2, 0)));
        Executable exe = prepare(insns);
        assertThat(exe.run(exe.newContext().setMayGotoBudget(100))).isEqualTo(100);
        assertThat(exe.run(exe.newContext())).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void legacyPacketLoadsAreBigEndianAndEndTheProgramWithZeroOutOfRange() {
        byte[] packet = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66};
        Instructions insns = patch(patch(asm("mov %r0, 0", "mov %r0, 0", "mov %r6, %r0", "mov %r0, 0", "mov %r0, 0", "add %r0, %r6", "exit"),
                1, PacketLoad.abs(Size.H, 1)), 4, PacketLoad.ind(Size.W, Register.R7, 0));
        Executable exe = prepare(insns);
        ExecutionContext ctx = exe.newContext();
        ctx.setPacket(packet, 0, 0, packet.length);
        // r7 = 0: ntohs(0x2233) + ntohl(0x11223344)
        assertThat(exe.run(ctx)).isEqualTo(0x2233L + 0x11223344L);
        // r7 = 2: ntohs(0x2233) + ntohl(0x33445566)
        Instructions withR7 = patch(insns, 3, asm("mov %r7, 2").get(0));
        Executable exe2 = prepare(withR7);
        ExecutionContext ctx2 = exe2.newContext();
        ctx2.setPacket(packet, 0, 0, packet.length);
        assertThat(exe2.run(ctx2)).isEqualTo(0x2233L + 0x33445566L);
        Instructions past = patch(withR7, 3, asm("mov %r7, 3").get(0));
        Executable exe3 = prepare(past);
        ExecutionContext ctx3 = exe3.newContext();
        ctx3.setPacket(packet, 0, 0, packet.length);
        assertThat(exe3.run(ctx3)).isZero();
    }

    @Test
    void aFailedPacketLoadInASubprogramReturnsZeroFromThatFunctionOnly() {
        // main: r0 = f() + 100; f: r0 = 7; r0 = LD_ABS W at 100 (outside a 6-byte packet); r0 = 9; exit
        Instructions insns = patch(asm("call local f", "add %r0, 100", "exit", "f:", "mov %r0, 7", "mov %r0, 0", "mov %r0, 9", "exit"),
                4, PacketLoad.abs(Size.W, 100));
        Executable exe = prepare(insns);
        ExecutionContext ctx = exe.newContext();
        ctx.setPacket(new byte[6], 0, 0, 6);
        assertThat(exe.run(ctx)).isEqualTo(100);
    }

    @Test
    void contextPointerFieldsYieldPacketPointers() {
        // xdp-like: r2 = ctx->data (u32 at 0), r3 = ctx->data_end (u32 at 4); return data_end - data
        Instructions insns = asm("ldxw %r2, [%r1+0]", "ldxw %r3, [%r1+4]", "mov %r0, %r3", "sub %r0, %r2",
                "ldxb %r4, [%r2+1]", "add %r0, %r4", "exit");
        Executable exe = prepare(insns);
        ExecutionContext ctx = exe.newContext();
        ctx.setContext(new byte[24], false);
        ctx.setPacket(new byte[] {0, 0, 1, 7, 3}, 0, 2, 5);
        ctx.setContextPointerField(0, ctx.packetData());
        ctx.setContextPointerField(4, ctx.packetEnd());
        assertThat(exe.run(ctx)).isEqualTo(3 + 7);
    }
}
