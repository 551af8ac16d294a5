package io.bpf4j.loader;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.ElfSection;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.jit.runtime.ExecutionFault;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A program built from instructions rather than from an object file (cilium/ebpf's
 * {@code NewProgram(ProgramSpec)}): hand-written or assembled instructions, without maps,
 * relocations or BTF, run in process with every helper the runtime has. The eBPF conformance
 * suite's programs are of this kind.
 *
 * <pre>{@code
 * StandaloneProgram p = StandaloneProgram.decode(bytes);     // 8-byte little-endian instructions
 * long r0 = p.runOnMemory(new byte[] {1, 2, 3});             // r1 = the memory, r2 = its length
 * }</pre>
 */
public final class StandaloneProgram {
    private final String name;
    private final Instructions instructions;
    private final Executable executable;

    private StandaloneProgram(String name, Instructions instructions, Engine engine) {
        this.name = name;
        this.instructions = instructions;
        this.executable = engine.create().prepare(ProgramImage.builder(instructions).name(name)
                .helpers(StandardHelpers.all()).build());
    }

    /** A program of {@code instructions}, prepared for the interpreter. */
    public static StandaloneProgram of(String name, Instructions instructions) {
        return of(name, instructions, Engine.INTERPRETER);
    }

    /** A program of {@code instructions}, prepared for {@code engine}. */
    public static StandaloneProgram of(String name, Instructions instructions, Engine engine) {
        return new StandaloneProgram(Objects.requireNonNull(name, "name"), Objects.requireNonNull(instructions, "instructions"),
                Objects.requireNonNull(engine, "engine"));
    }

    /** A program decoded from raw little-endian instructions (8 bytes each, {@code ld_imm64} 16). */
    public static StandaloneProgram decode(byte[] code) {
        return of("prog", InstructionCodec.decode(code, ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * The {@code .text} section of an ELF object as one program (the conformance suite's
     * {@code --elf} form: one function, no relocations applied).
     *
     * @throws io.bpf4j.isa.BpfException when the object is malformed or has no {@code .text}
     */
    public static StandaloneProgram fromElfText(byte[] elfObject) {
        ElfObject elf = ElfObject.read(elfObject);
        ElfSection text = elf.section(".text").orElseThrow(() -> new io.bpf4j.isa.BpfException("the ELF object has no .text"));
        return of("prog", elf.instructions(text));
    }

    /** The program's name. */
    public String name() {
        return name;
    }

    /** The instructions. */
    public Instructions instructions() {
        return instructions;
    }

    /**
     * Runs the program with {@code r1} pointing at a writable copy of {@code memory} and
     * {@code r2} holding its length, as the conformance suite's runner does; returns {@code r0}.
     *
     * @throws ProgramFaultException when the program does what the runtime does not allow
     */
    public long runOnMemory(byte[] memory) {
        ExecutionContext ctx = executable.newContext();
        long pointer = ctx.addMemory("mem", memory.clone(), true);
        ctx.setArgs(pointer, memory.length);
        try {
            return executable.run(ctx);
        } catch (ExecutionFault e) {
            throw new ProgramFaultException(name, BpfProgram.faultKind(e), e.pc(), e.getMessage(), e);
        }
    }

    /**
     * Runs the program as {@code BPF_PROG_TEST_RUN} runs a program of {@code type}.
     *
     * @throws TestRunRefusedException for input the kernel would refuse
     * @throws ProgramFaultException   when the program does what the runtime does not allow
     */
    public TestRunResult testRun(ProgramType type, TestRunInput input) {
        Objects.requireNonNull(input, "input: use TestRunInput.empty() for a run without data or context");
        return BpfProgram.testRun(name, type, executable, input, null, lines -> { });
    }

    /** {@code StandaloneProgram[name, N instructions]}. */
    @Override
    public String toString() {
        return "StandaloneProgram[" + name + ", " + instructions.size() + " instructions]";
    }
}
