package io.bpf4j.jit.interpreter;

import static io.bpf4j.jit.TestPrograms.asm;
import static io.bpf4j.jit.TestPrograms.patch;
import static io.bpf4j.jit.TestPrograms.prepare;
import static io.bpf4j.jit.TestPrograms.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bpf4j.isa.Atomic;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.Unknown;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.TestMaps;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.jit.TestPrograms;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.jit.runtime.BudgetExhaustedFault;
import io.bpf4j.jit.runtime.CallDepthFault;
import io.bpf4j.jit.runtime.ControlFlowFault;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.IllegalInstructionFault;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.Pointers;
import io.bpf4j.jit.runtime.RegionKind;
import org.junit.jupiter.api.Test;

/** Every way a program can be stopped, each with its typed fault and the faulting instruction. */
class FaultsTest {

    private static MemoryFault memoryFault(Executable exe, ExecutionContext ctx) {
        return catchThrowableOfType(MemoryFault.class, () -> exe.run(ctx));
    }

    @Test
    void readPastTheTopOfTheStackFaults() {
        Executable exe = prepare(asm("mov %r0, 0", "ldxdw %r0, [%r10+0]", "exit"));
        MemoryFault f = memoryFault(exe, exe.newContext());
        assertThat(f.pc()).isEqualTo(1);
        assertThat(f.regionKind()).isEqualTo(RegionKind.STACK);
        assertThat(f.regionName()).isEqualTo("stack#0");
        assertThat(f.size()).isEqualTo(8);
        assertThat(f.access()).isEqualTo(MemoryFault.Access.READ);
        assertThat(Pointers.offset(f.address())).isEqualTo(512);
        assertThat(f).hasMessage("insn 1: invalid read from stack R10 off=0 size=8");
    }

    /** Worded as the kernel's verifier words it (checked with bpftool prog load on Linux 6.18): register, off from it, size. */
    @Test
    void stackFaultsNameTheRegisterAndTheOffsetFromTheFramePointer() {
        Executable read = prepare(asm("ldxdw %r0, [%r10-520]", "exit"));
        MemoryFault f = memoryFault(read, read.newContext());
        assertThat(f).hasMessage("insn 0: invalid read from stack R10 off=-520 size=8");
        assertThat(f.outsideStack()).isTrue();
        Executable write = prepare(asm("mov %r1, %r10", "add %r1, -16", "stw [%r1-512], 7", "mov %r0, 0", "exit"));
        f = memoryFault(write, write.newContext());
        assertThat(f.pc()).isEqualTo(2);
        assertThat(f).hasMessage("insn 2: invalid write to stack R1 off=-528 size=4");
    }

    @Test
    void writeBelowTheStackFaultsAndTheLastByteIsFine() {
        assertThat(run(asm("stb [%r10-512], 7", "ldxb %r0, [%r10-512]", "exit"))).isEqualTo(7);
        Executable exe = prepare(asm("mov %r1, 1", "stxdw [%r10-520], %r1", "exit"));
        MemoryFault f = memoryFault(exe, exe.newContext());
        assertThat(f.pc()).isEqualTo(1);
        assertThat(f.access()).isEqualTo(MemoryFault.Access.WRITE);
        assertThat(Pointers.offset(f.address())).isEqualTo(-8);
        assertThat(f.regionKind()).isEqualTo(RegionKind.STACK);
        assertThat(f).hasMessage("insn 1: invalid write to stack R10 off=-520 size=8");
    }

    @Test
    void accessStraddlingTheEndOfInputMemoryFaults() {
        Executable exe = prepare(asm("ldxw %r0, [%r1+0]", "ldxw %r0, [%r1+2]", "exit"));
        ExecutionContext ctx = exe.newContext();
        ctx.setArgs(ctx.addMemory("mem", new byte[] {1, 2, 3, 4, 5}, true));
        MemoryFault f = memoryFault(exe, ctx);
        assertThat(f.pc()).isEqualTo(1);
        assertThat(f.regionKind()).isEqualTo(RegionKind.INPUT);
        assertThat(f.size()).isEqualTo(4);
    }

    @Test
    void writeToReadOnlyMemoryFaultsAndLeavesItUnchanged() {
        byte[] bytes = {9, 9};
        Executable exe = prepare(asm("stb [%r1+0], 1", "exit"));
        ExecutionContext ctx = exe.newContext();
        ctx.setArgs(ctx.addMemory("ro", bytes, false));
        assertThat(memoryFault(exe, ctx)).hasMessageContaining("region is read only");
        assertThat(bytes).containsExactly(9, 9);
    }

    @Test
    void contextAndPacketAreBounded() {
        Executable exe = prepare(asm("ldxdw %r0, [%r1+8]", "exit"));
        ExecutionContext ctx = exe.newContext();
        ctx.setContext(new byte[8], false);
        assertThat(memoryFault(exe, ctx).regionKind()).isEqualTo(RegionKind.CONTEXT);

        // r1 = packet data, r2 = data_end: reading the byte at data_end is out of the packet
        Executable pkt = prepare(asm("ldxb %r0, [%r2+0]", "exit"));
        ExecutionContext pctx = pkt.newContext();
        pctx.setPacket(new byte[64], 0, 14, 60);
        pctx.setArgs(pctx.packetData(), pctx.packetEnd());
        MemoryFault f = memoryFault(pkt, pctx);
        assertThat(f.regionKind()).isEqualTo(RegionKind.PACKET);
        assertThat(Pointers.offset(f.address())).isEqualTo(60);
    }

    @Test
    void mapValuesGlobalDataAndInstructionArraysAreBounded() {
        BpfMap map = TestMaps.array("counts", 8, 4);
        // r0 = lookup(map, &key 3); *(u64 *)(r0 + 8) = 1: one past the 8-byte value
        Instructions lookup = asm(
                "stw [%r10-4], 3",
                "lddw %r1, 0",
                "mov %r2, %r10",
                "add %r2, -4",
                "call 1",
                "stdw [%r0+8], 1",
                "exit");
        lookup = patch(lookup, 1, TestPrograms.pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_FD, 5, 0));
        Executable exe = Interpreter.INSTANCE.prepare(
                ProgramImage.builder(lookup).helpers(StandardHelpers.all()).map(5, map).build());
        MemoryFault f = memoryFault(exe, exe.newContext());
        assertThat(f.pc()).isEqualTo(6);
        assertThat(f.regionKind()).isEqualTo(RegionKind.MAP_VALUE);
        assertThat(f.regionName()).isEqualTo("counts");

        // global data: ld_imm64 map value of the map at offset 4, then an 8-byte read
        Instructions global = patch(asm("lddw %r1, 0", "ldxdw %r0, [%r1+0]", "exit"), 0,
                TestPrograms.pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_VALUE, 5, 4));
        Executable g = Interpreter.INSTANCE.prepare(ProgramImage.builder(global).map(5, TestMaps.array(".data", 8, 1)).build());
        assertThat(memoryFault(g, g.newContext()).regionKind()).isEqualTo(RegionKind.GLOBAL_DATA);

        // instruction arrays are read only
        Instructions insnArray = patch(asm("lddw %r1, 0", "stdw [%r1+0], 0", "exit"), 0,
                TestPrograms.pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_VALUE, 9, 0));
        Executable ia = Interpreter.INSTANCE.prepare(ProgramImage.builder(insnArray).instructionArray(9, 3).build());
        MemoryFault w = memoryFault(ia, ia.newContext());
        assertThat(w.regionKind()).isEqualTo(RegionKind.INSN_ARRAY);
        assertThat(w).hasMessageContaining("read only");
    }

    @Test
    void aScalarIsNotAPointer() {
        Executable exe = prepare(asm("mov %r1, 4096", "ldxb %r0, [%r1+0]", "exit"));
        MemoryFault f = memoryFault(exe, exe.newContext());
        assertThat(f.pc()).isEqualTo(1);
        assertThat(f.regionName()).isNull();
        assertThat(f.address()).isEqualTo(4096);
        assertThat(f).hasMessageContaining("not a pointer to memory");
    }

    @Test
    void misalignedAtomicFaults() {
        Instructions insns = patch(asm("mov %r1, 1", "lock add [%r10-12], %r1", "exit"), 1,
                Atomic.of(Atomic.Op.ADD, false, Size.DW, Register.R10, -12, Register.R1));
        Executable exe = prepare(insns);
        MemoryFault f = memoryFault(exe, exe.newContext());
        assertThat(f.access()).isEqualTo(MemoryFault.Access.ATOMIC);
        assertThat(f).hasMessageContaining("misaligned");
    }

    @Test
    void recursionStopsAtEightFrames() {
        // main calls f; f calls itself forever
        Executable exe = prepare(asm("call local f", "exit", "f:", "call local f", "exit"));
        CallDepthFault f = catchThrowableOfType(CallDepthFault.class, () -> exe.run(exe.newContext()));
        assertThat(f.pc()).isEqualTo(2);
        assertThat(f.frames()).isEqualTo(9);
        assertThat(f).hasMessage("insn 2: the call stack of 9 frames is too deep");
    }

    @Test
    void sevenNestedCallsAreAllowed() {
        // each f_n calls f_{n+1}; main + 7 = 8 frames; every frame stores at r10-8 and returns the sum
        StringBuilder src = new StringBuilder("stdw [%r10-8], 1\ncall local f1\nldxdw %r1, [%r10-8]\nadd %r0, %r1\nexit\n");
        for (int i = 1; i <= 7; i++) {
            src.append("f").append(i).append(":\nstdw [%r10-8], 1\n");
            src.append(i < 7 ? "call local f" + (i + 1) + "\n" : "mov %r0, 0\n");
            src.append("ldxdw %r1, [%r10-8]\nadd %r0, %r1\nexit\n");
        }
        assertThat(run(asm(src.toString()))).isEqualTo(8);
    }

    @Test
    void anInfiniteLoopEndsWithABudgetFault() {
        Executable exe = prepare(asm("mov %r0, 0", "loop:", "add %r0, 1", "ja loop", "exit"));
        ExecutionContext ctx = exe.newContext().setInstructionBudget(1_000_000);
        BudgetExhaustedFault f = catchThrowableOfType(BudgetExhaustedFault.class, () -> exe.run(ctx));
        assertThat(f.budget()).isEqualTo(1_000_000);
        assertThat(f.pc()).isIn(1, 2);
        assertThat(ctx.instructionsExecuted()).isEqualTo(1_000_000);
        // the default budget ends it too
        assertThatThrownBy(() -> exe.run(exe.newContext())).isInstanceOf(BudgetExhaustedFault.class)
                .hasMessageContaining("instruction budget of 100000000 exhausted");
    }

    @Test
    void unknownOpcodeFaultsOnlyWhenReached() {
        Instructions insns = patch(asm("mov %r0, 1", "jeq %r0, 1, +1", "exit", "exit"), 2,
                new Unknown(Slot.of(0xff, 0, 0, 0, 0), "unknown opcode 0xff"));
        assertThat(run(insns)).isEqualTo(1);
        Instructions reached = patch(insns, 1, asm("ja +0").get(0));
        IllegalInstructionFault f = catchThrowableOfType(IllegalInstructionFault.class, () -> run(reached));
        assertThat(f.pc()).isEqualTo(2);
        assertThat(f.code()).isEqualTo(0xff);
        assertThat(f).hasMessage("insn 2: unknown opcode 0xff");
    }

    @Test
    void badControlFlowFaults() {
        assertThat(catchThrowableOfType(IllegalInstructionFault.class, () -> run(asm("ja +5", "exit"))))
                .hasMessage("insn 0: jump out of range from insn 0 to 6");
        assertThat(catchThrowableOfType(IllegalInstructionFault.class, () -> run(asm("mov %r0, 0"))))
                .hasMessage("insn 1: ran past the last instruction (insn 0)");
        assertThat(catchThrowableOfType(IllegalInstructionFault.class, () -> run(asm("ja +1", "lddw %r0, 1", "exit"))))
                .hasMessage("insn 0: jump into the middle of ld_imm64 from insn 0 to 2");
        assertThat(catchThrowableOfType(IllegalInstructionFault.class, () -> run(asm("mov %r10, 0", "exit"))))
                .hasMessage("insn 0: frame pointer is read only");
        assertThat(catchThrowableOfType(IllegalInstructionFault.class, () -> run(asm("lock fetch add [%r10-8], %r10", "exit"))))
                .hasMessage("insn 0: frame pointer is read only");
        assertThat(catchThrowableOfType(ControlFlowFault.class, () -> run(asm("mov %r1, -1", "call %r1", "exit"))))
                .hasMessage("insn 1: callx through r1 = 0xffffffffffffffff: neither a function pointer nor a helper id");
    }

    @Test
    void unknownHelperNamesTheIdAndTheInstruction() {
        HelperFault f = catchThrowableOfType(HelperFault.class,
                () -> { Executable e = prepare(asm("mov %r0, 0", "call 1234", "exit"), HelperTable.empty()); e.run(e.newContext()); });
        assertThat(f.pc()).isEqualTo(1);
        assertThat(f.helperId()).isEqualTo(1234);
        assertThat(f).hasMessage("insn 1: unknown helper #1234 (id 1234): not available to this program");
        HelperFault known = catchThrowableOfType(HelperFault.class,
                () -> { Executable e = prepare(asm("call 1", "exit"), HelperTable.empty()); e.run(e.newContext()); });
        assertThat(known).hasMessage("insn 0: unknown helper bpf_map_lookup_elem (id 1): not available to this program");
    }

    @Test
    void anyProgramRunsInAnyContextWithItsOwnGlobalData() {
        BpfMap dataA = TestMaps.array(".data", 8, 1);
        BpfMap dataB = TestMaps.array(".data", 8, 1);
        dataA.update(TestMaps.u32(0), TestMaps.u64(11), 0);
        dataB.update(TestMaps.u32(0), TestMaps.u64(22), 0);
        Instructions read = patch(asm("lddw %r1, 0", "ldxdw %r0, [%r1+0]", "exit"), 0,
                TestPrograms.pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_VALUE, 1, 0));
        Executable a = Interpreter.INSTANCE.prepare(ProgramImage.builder(read).map(1, dataA).build());
        Executable b = Interpreter.INSTANCE.prepare(ProgramImage.builder(read).map(1, dataB).build());
        ExecutionContext ctx = a.newContext();
        assertThat(a.run(ctx)).isEqualTo(11);
        assertThat(b.run(ctx)).isEqualTo(22);
        assertThat(a.run(ctx)).isEqualTo(11);
    }
}
