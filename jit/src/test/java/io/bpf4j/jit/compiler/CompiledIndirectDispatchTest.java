package io.bpf4j.jit.compiler;

import static io.bpf4j.jit.TestPrograms.asm;
import static io.bpf4j.jit.TestPrograms.patch;
import static io.bpf4j.jit.TestPrograms.pseudoLoad;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Jump;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.facts.Facts;
import io.bpf4j.isa.facts.ProgramFacts;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.compiler.GeneratedClasses.Outcome;
import io.bpf4j.jit.helpers.StandardHelpers;
import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.jit.runtime.Pointers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * callx and gotox compiled from the verifier's target sets ({@code Facts.INDIRECT_TARGETS}): the
 * generated code dispatches with a switch over exactly those targets (read back from the class
 * with ASM's tree API: a lookupswitch whose keys are the targets' pointers, direct invokes of the
 * callees' methods), and every run, in range or not, gives the interpreter's outcome. Facts that
 * do not fit the program are ignored.
 */
class CompiledIndirectDispatchTest {

    /**
     * 0-1: r2 = &f; 2: if r3 == 0 goto 5; 3-4: r2 = &g; 5: r1 = 20; 6: callx r2; 7: exit;
     * f (8): r0 = r1 + 22; g (11): r0 = r1 * 3.
     */
    private static final Instructions CALLX = patch(patch(asm("lddw %r2, 0", "jeq %r3, 0, +2", "lddw %r2, 0", "mov %r1, 20",
            "call %r2", "exit", "mov %r0, %r1", "add %r0, 22", "exit", "mov %r0, %r1", "mul %r0, 3", "exit"),
            0, pseudoLoad(Register.R2, Opcodes.PSEUDO_FUNC, 7, 0)), 2, pseudoLoad(Register.R2, Opcodes.PSEUDO_FUNC, 7, 0));
    private static final int CALLX_PC = 6, F = 8, G = 11;

    /**
     * A call table: 0-1: r1 = &table[0]; 2: r3 *= 8; 3: r1 += r3; 4: r2 = *(u64 *)r1; 5: r1 = 20;
     * 6: callx r2; 7: exit; f (8), g (11) as above; the table (handle 40) holds f, g.
     */
    private static final Instructions TABLE = patch(asm("lddw %r1, 0", "lsh %r3, 3", "add %r1, %r3", "ldxdw %r2, [%r1+0]",
            "mov %r1, 20", "call %r2", "exit", "mov %r0, %r1", "add %r0, 22", "exit", "mov %r0, %r1", "mul %r0, 3", "exit"),
            0, pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_VALUE, 40, 0));

    /** 0-1: r1 = &insn_array[0]; 2-3: r1 += r3 * 8; 4: r2 = *(u64 *)r1; 5: gotox r2; 6: r0 = 1, exit; 8: r0 = 2, exit. */
    private static final Instructions GOTOX = patch(patch(asm("lddw %r1, 0", "lsh %r3, 3", "add %r1, %r3", "ldxdw %r2, [%r1+0]",
            "ja +0", "mov %r0, 1", "exit", "mov %r0, 2", "exit"), 0, pseudoLoad(Register.R1, Opcodes.PSEUDO_MAP_VALUE, 40, 0)),
            4, Jump.gotox(Register.R2));
    private static final int GOTOX_PC = 5;

    private static ProgramFacts targets(int slots, int pc, int... to) {
        return ProgramFacts.builder(slots).put(pc, Facts.INDIRECT_TARGETS, to).build();
    }

    private static ProgramImage callx(ProgramFacts facts) {
        return ProgramImage.builder(CALLX).helpers(StandardHelpers.all()).facts(facts).build();
    }

    private static ProgramImage table(ProgramFacts facts) {
        return ProgramImage.builder(TABLE).helpers(StandardHelpers.all()).instructionArray(40, F, G).functionStarts(0, F, G)
                .facts(facts).build();
    }

    private static ProgramImage gotox(ProgramFacts facts, int... entries) {
        return ProgramImage.builder(GOTOX).helpers(StandardHelpers.all()).instructionArray(40, entries).facts(facts).build();
    }

    /** Compiles {@code image} whole and cut into one chunk per instruction; both must give the interpreter's outcome. */
    private static Outcome agree(String what, ProgramImage image, Consumer<ExecutionContext> setup) {
        Outcome byInterpreter = run(Interpreter.INSTANCE.prepare(image), setup);
        for (int splitAbove : new int[] {Integer.MAX_VALUE, 1}) {
            Compiler.Compilation c = Compiler.INSTANCE.compile(image, splitAbove);
            assertThat(c.fallbackReason()).as("%s compiles", what).isNull();
            GeneratedClasses.check(c.classFile());
            assertThat(run(c.executable(), setup)).as("%s, split above %d", what, splitAbove).isEqualTo(byInterpreter);
        }
        return byInterpreter;
    }

    private static Outcome run(Executable exe, Consumer<ExecutionContext> setup) {
        ExecutionContext ctx = exe.newContext();
        setup.accept(ctx);
        return Outcome.of(exe, ctx, exe::run);
    }

    /** The instructions of the generated method that carry line number (BPF slot) {@code pc}, up to the next line. */
    private static List<AbstractInsnNode> codeOf(byte[] classFile, String method, int pc) {
        ClassNode cn = new ClassNode();
        new ClassReader(classFile).accept(cn, 0);
        MethodNode m = cn.methods.stream().filter(x -> x.name.equals(method)).findFirst().orElseThrow();
        List<AbstractInsnNode> out = new ArrayList<>();
        boolean in = false;
        for (AbstractInsnNode n : m.instructions) {
            if (n instanceof LineNumberNode l) {
                in = l.line == pc;
            } else if (in && n.getOpcode() >= 0) {
                out.add(n);
            }
        }
        assertThat(out).as("code of slot %d in %s", pc, method).isNotEmpty();
        return out;
    }

    private static List<String> invoked(List<AbstractInsnNode> code) {
        return code.stream().filter(n -> n instanceof MethodInsnNode).map(n -> ((MethodInsnNode) n).name).toList();
    }

    private static List<Integer> switchKeys(List<AbstractInsnNode> code) {
        return code.stream().filter(n -> n instanceof LookupSwitchInsnNode).flatMap(n -> ((LookupSwitchInsnNode) n).keys.stream()).toList();
    }

    private static int key(int tag, int id) {
        return (int) (Pointers.make(tag, id, 0) >>> 32);
    }

    @Test
    void callxWithTargetsCallsTheCalleesDirectly() {
        ProgramImage withFacts = callx(targets(CALLX.slotCount(), CALLX_PC, F, G));
        assertThat(Compiler.INSTANCE.compile(withFacts).indirectSwitches()).isEqualTo(1);
        assertThat(Compiler.INSTANCE.compile(callx(ProgramFacts.empty())).indirectSwitches()).isZero();
        List<AbstractInsnNode> code = codeOf(Compiler.INSTANCE.compile(withFacts).classFile(), "f0", CALLX_PC);
        // functions 1 (f) and 2 (g), by a function pointer or by a call-table entry (the callee's first slot)
        assertThat(switchKeys(code)).containsExactlyInAnyOrder(key(Pointers.TAG_FUNC, 1), key(Pointers.TAG_FUNC, 2),
                key(Pointers.TAG_INSN, F), key(Pointers.TAG_INSN, G));
        assertThat(invoked(code)).contains("f1", "f2");

        List<AbstractInsnNode> without = codeOf(Compiler.INSTANCE.compile(callx(ProgramFacts.empty())).classFile(), "f0", CALLX_PC);
        assertThat(switchKeys(without)).isEmpty();
        assertThat(invoked(without)).doesNotContain("f1", "f2").contains("callxTarget", "dispatch");

        for (ProgramImage image : List.of(withFacts, callx(ProgramFacts.empty()))) {
            assertThat(agree("f", image, c -> c.setArgs(0, 0, 0)).r0()).isEqualTo(42);
            assertThat(agree("g", image, c -> c.setArgs(0, 0, 1)).r0()).isEqualTo(60);
        }
    }

    @Test
    void callxThroughACallTableEntryWithTargets() {
        ProgramImage withFacts = table(targets(TABLE.slotCount(), CALLX_PC, F, G));
        assertThat(invoked(codeOf(Compiler.INSTANCE.compile(withFacts).classFile(), "f0", CALLX_PC))).contains("f1", "f2");
        for (ProgramImage image : List.of(withFacts, table(ProgramFacts.empty()))) {
            assertThat(agree("f", image, c -> c.setArgs(0, 0, 0)).r0()).isEqualTo(42);
            assertThat(agree("g", image, c -> c.setArgs(0, 0, 1)).r0()).isEqualTo(60);
            // past the table: the load faults as in the interpreter
            assertThat(agree("past", image, c -> c.setArgs(0, 0, 2)).fault()).isNotNull();
        }
    }

    /** A value outside the targets takes the function table's way: the interpreter's call, or its fault. */
    @Test
    void callxOutsideItsTargetsBehavesAsTheInterpreter() {
        // the facts name f only; g is still called, as the interpreter calls it
        ProgramImage onlyF = callx(targets(CALLX.slotCount(), CALLX_PC, F));
        assertThat(switchKeys(codeOf(Compiler.INSTANCE.compile(onlyF).classFile(), "f0", CALLX_PC)))
                .containsExactlyInAnyOrder(key(Pointers.TAG_FUNC, 1), key(Pointers.TAG_INSN, F));
        assertThat(agree("g outside the facts", onlyF, c -> c.setArgs(0, 0, 1)).r0()).isEqualTo(60);
        // a modified pointer and a helper id: not exact pointers, resolved and faulted or called as the interpreter does
        Instructions modified = patch(asm("lddw %r2, 0", "add %r2, 8", "call %r2", "exit", "mov %r0, 1", "exit"),
                0, pseudoLoad(Register.R2, Opcodes.PSEUDO_FUNC, 4, 0));
        ProgramImage m = ProgramImage.builder(modified).helpers(StandardHelpers.all()).facts(targets(modified.slotCount(), 3, 5)).build();
        assertThat(agree("modified", m, c -> { }).fault()).isEqualTo(
                "ControlFlowFault at 3: insn 3: callx through r2 = func#1+8: neither a function pointer nor a helper id");
        Instructions helper = asm("mov %r2, 5", "call %r2", "mov %r0, 7", "exit", "mov %r0, 1", "exit");
        ProgramImage h = ProgramImage.builder(helper).helpers(StandardHelpers.all()).functionStarts(0, 4)
                .facts(targets(helper.slotCount(), 1, 4)).build();
        assertThat(agree("helper id", h, c -> { }).r0()).isEqualTo(7);
    }

    @Test
    void gotoxWithTargetsJumpsThroughASwitchOverThem() {
        ProgramImage withFacts = gotox(targets(GOTOX.slotCount(), GOTOX_PC, 6, 8), 8, 6);
        Compiler.Compilation c = Compiler.INSTANCE.compile(withFacts);
        List<AbstractInsnNode> code = codeOf(c.classFile(), "f0", GOTOX_PC);
        assertThat(switchKeys(code)).containsExactly(key(Pointers.TAG_INSN, 6), key(Pointers.TAG_INSN, 8));
        assertThat(code).noneMatch(n -> n.getOpcode() == org.objectweb.asm.Opcodes.TABLESWITCH);
        assertThat(invoked(code)).doesNotContain("gotoxTarget");
        // without facts: the interpreter's resolution, then a tableswitch over every slot of the function
        List<AbstractInsnNode> without = codeOf(Compiler.INSTANCE.compile(gotox(ProgramFacts.empty(), 8, 6)).classFile(), "f0", GOTOX_PC);
        assertThat(without).anyMatch(n -> n.getOpcode() == org.objectweb.asm.Opcodes.TABLESWITCH);
        assertThat(invoked(without)).contains("gotoxTarget");

        for (ProgramImage image : List.of(withFacts, gotox(ProgramFacts.empty(), 8, 6))) {
            assertThat(agree("entry 0", image, x -> x.setArgs(0, 0, 0)).r0()).isEqualTo(2);
            assertThat(agree("entry 1", image, x -> x.setArgs(0, 0, 1)).r0()).isEqualTo(1);
            assertThat(agree("past the array", image, x -> x.setArgs(0, 0, 2)).fault()).isNotNull();
        }
        // a scalar: the interpreter's fault
        Instructions scalar = patch(asm("mov %r2, 5", "ja +0", "exit", "mov %r0, 1", "exit"), 1, Jump.gotox(Register.R2));
        ProgramImage s = ProgramImage.builder(scalar).helpers(StandardHelpers.all()).facts(targets(scalar.slotCount(), 1, 3)).build();
        assertThat(agree("scalar", s, x -> { }).fault())
                .isEqualTo("ControlFlowFault at 1: insn 1: gotox through 0x5: not an instruction pointer");
    }

    /**
     * A jump the facts say cannot happen (only a wrong verifier gives such facts): refused with a
     * fault that names the proven targets, not taken.
     */
    @Test
    void gotoxToAnInstructionOutsideItsTargetsIsRefused() {
        ProgramImage wrong = gotox(targets(GOTOX.slotCount(), GOTOX_PC, 6), 8, 6);
        Compiler.Compilation c = Compiler.INSTANCE.compile(wrong);
        GeneratedClasses.check(c.classFile());
        Outcome o = run(c.executable(), x -> x.setArgs(0, 0, 0));
        assertThat(o.fault()).isEqualTo("ControlFlowFault at 5: insn 5: gotox to insn 8: not one of the targets the verifier proved, [6]");
        assertThat(run(c.executable(), x -> x.setArgs(0, 0, 1)).r0()).isEqualTo(1);
    }

    /** Targets that are not function starts (callx) or leave the function (gotox) are facts about another program: ignored. */
    @Test
    void factsThatDoNotFitTheProgramAreIgnored() {
        ProgramImage callxMiddle = callx(targets(CALLX.slotCount(), CALLX_PC, F + 1));
        assertThat(switchKeys(codeOf(Compiler.INSTANCE.compile(callxMiddle).classFile(), "f0", CALLX_PC))).isEmpty();
        assertThat(agree("callx, targets ignored", callxMiddle, x -> x.setArgs(0, 0, 1)).r0()).isEqualTo(60);
        ProgramImage gotoxOutside = gotox(targets(GOTOX.slotCount(), GOTOX_PC, 6, 40), 8, 6);
        assertThat(switchKeys(codeOf(Compiler.INSTANCE.compile(gotoxOutside).classFile(), "f0", GOTOX_PC))).isEmpty();
        assertThat(agree("gotox, targets ignored", gotoxOutside, x -> x.setArgs(0, 0, 0)).r0()).isEqualTo(2);
    }
}
