package io.bpf4j.jit.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.runtime.ExecutionFault;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.ToLongFunction;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/** Test support: ASM's checker over generated classes, and one run's outcome to compare engines by. */
public final class GeneratedClasses {
    private GeneratedClasses() {}

    /** Compiles {@code image} with every function whose method would exceed {@code splitAbove} bytes split into chunk methods. */
    public static Compiler.Compilation compileSplit(io.bpf4j.jit.ProgramImage image, int splitAbove) {
        return Compiler.INSTANCE.compile(image, splitAbove);
    }

    /** Runs CheckClassAdapter (with data-flow verification) over {@code classFile}; fails on any problem. */
    public static void check(byte[] classFile) {
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(classFile), Compiler.class.getClassLoader(), false, new PrintWriter(problems));
        assertThat(problems.toString()).as("CheckClassAdapter").isEmpty();
    }

    /**
     * What a run did: r0, or the fault's class, pc and message; and how many instructions it
     * executed (both engines count through the shared run state, so counts must agree too).
     */
    public record Outcome(Long r0, String fault, long instructions) {
        public static Outcome of(Executable exe, ExecutionContext ctx, ToLongFunction<ExecutionContext> run) {
            try {
                long r0 = run.applyAsLong(ctx);
                return new Outcome(r0, null, ctx.instructionsExecuted());
            } catch (ExecutionFault f) {
                return new Outcome(null, f.getClass().getSimpleName() + " at " + f.pc() + ": " + f.getMessage(), ctx.instructionsExecuted());
            }
        }
    }
}
