package io.bpf4j.jit;

import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.asm.ConformanceAssembler;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.jit.runtime.HelperTable;

/** Small programs for tests: assembled from the conformance syntax, patched where it has no spelling. */
public final class TestPrograms {
    private TestPrograms() {}

    public static Instructions asm(String... lines) {
        return ConformanceAssembler.assemble(String.join("\n", lines));
    }

    /** {@code insns} with instruction {@code index} replaced. */
    public static Instructions patch(Instructions insns, int index, Instruction insn) {
        return insns.with(index, insn);
    }

    /** An {@code ld_imm64} of {@code dst} with source {@code src} and the two imm halves. */
    public static LoadImm64 pseudoLoad(Register dst, int src, int immLo, int immHi) {
        return LoadImm64.of(dst, src, immLo, immHi);
    }

    public static Executable prepare(Instructions insns) {
        return prepare(insns, StandardHelpers.all());
    }

    public static Executable prepare(Instructions insns, HelperTable helpers) {
        return Interpreter.INSTANCE.prepare(ProgramImage.of(insns, helpers));
    }

    /** Runs with no arguments in a fresh context; returns r0. */
    public static long run(Instructions insns) {
        Executable exe = prepare(insns);
        return exe.run(exe.newContext());
    }
}
