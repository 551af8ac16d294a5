package io.bpf4j.jit.compiler;

import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionEngine;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.internal.DecodedProgram;
import io.bpf4j.jit.interpreter.Interpreter;
import io.bpf4j.maps.MapFactory;
import java.lang.invoke.MethodHandles;
import java.util.Map;
import org.objectweb.asm.MethodTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytecode compiler engine: each program becomes one hidden class with one static method
 * per BPF function. A program with anything the compiler does not translate yet, or whose
 * method would exceed the JVM's 64 KB limit or the 8000 bytes HotSpot still compiles even after
 * the function is split into chunk methods ({@link FunctionChunks}), is prepared by the
 * {@link Interpreter} instead,
 * with a log line giving the reason, so this engine is never wrong, only sometimes not faster.
 */
public final class Compiler implements ExecutionEngine {
    /** The one instance (the compiler keeps no state of its own). */
    public static final Compiler INSTANCE = new Compiler();

    private static final Logger LOG = LoggerFactory.getLogger(Compiler.class);

    private Compiler() {}

    /**
     * The outcome of compiling one program.
     *
     * @param executable     what runs: compiled, or the interpreter's when {@code fallbackReason} is set
     * @param classFile      the generated class, or {@code null} on fallback
     * @param fallbackReason why the interpreter runs it, or {@code null} when compiled
     * @param provenAccesses memory accesses compiled without their bounds check because the
     *                       image's facts prove them in bounds
     * @param indirectSwitches {@code callx} and {@code gotox} instructions compiled to a switch
     *                       over the targets the image's facts give ({@code Facts.INDIRECT_TARGETS})
     */
    public record Compilation(Executable executable, byte[] classFile, String fallbackReason, int provenAccesses,
            int indirectSwitches) {
        public boolean compiled() {
            return fallbackReason == null;
        }
    }

    @Override
    public Executable prepare(ProgramImage image) {
        return compile(image).executable();
    }

    /** Compiles {@code image}, or prepares it with the interpreter and says why. */
    public Compilation compile(ProgramImage image) {
        return compile(image, MethodSizes.compilableLimit());
    }

    /**
     * As {@link #compile(ProgramImage)}, splitting each function whose method would exceed
     * {@code splitAbove} bytes (tests cut small functions this way to run split code).
     */
    Compilation compile(ProgramImage image, int splitAbove) {
        if (image.arena() != null) {
            // arena accesses go through Memory's arena path (a load from a page not allocated
            // reads 0): the generated code's proven and checked accesses do not take it yet
            return fallback(image, "the program uses arena '" + image.arena().name() + "' (arena accesses are interpreted)");
        }
        DecodedProgram code = new DecodedProgram(image);
        String unsupported = CodeGenerator.unsupported(code);
        if (unsupported != null) {
            return fallback(image, unsupported);
        }
        byte[] bytes;
        CodeGenerator generator = new CodeGenerator(image, code);
        int limit = MethodSizes.compilableLimit();
        try {
            bytes = generator.generate(Math.min(limit, splitAbove));
        } catch (MethodTooLargeException e) {
            return fallback(image, "function method too large (" + e.getMethodName() + ", " + e.getCodeSize() + " bytes)");
        }
        dump(image, bytes);
        for (Map.Entry<String, Integer> m : MethodSizes.of(bytes).entrySet()) {
            // the slow methods (s<f>, s<f>_<k>) run only the block the budget runs out in: HotSpot need not compile them
            if (!m.getKey().startsWith("s") && m.getValue() > limit) {
                // even split into chunks: HotSpot would leave this method to its bytecode interpreter
                return fallback(image, "function method " + m.getKey() + " has " + m.getValue() + " bytes of bytecode, over the "
                        + limit + " HotSpot compiles (HugeMethodLimit)");
            }
        }
        SlowPaths classData = new SlowPaths(generator);
        try {
            // initialized now: the class initializer hands its instance to the class data
            MethodHandles.lookup().defineHiddenClassWithClassData(bytes, classData, true);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("generated class for prog '" + image.name() + "' cannot be defined", e);
        }
        CompiledCode compiled = classData.code();
        // the generator stays reachable anyway (the slow paths generate from it)
        CompiledProgram p = new CompiledProgram(image, code, compiled, generator);
        MapFactory.registerProgram(p);
        return new Compilation(p, bytes, null, generator.provenAccesses(), generator.indirectSwitches());
    }

    /** With {@code -Dbpf4j.compiler.dump=DIR}, each generated class is written there (for javap and profiling). */
    private static void dump(ProgramImage image, byte[] bytes) {
        String dir = System.getProperty("bpf4j.compiler.dump");
        if (dir != null) {
            try {
                java.nio.file.Path d = java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
                java.nio.file.Files.write(d.resolve(image.name().replaceAll("[^A-Za-z0-9_.-]", "_") + ".class"), bytes);
            } catch (java.io.IOException e) {
                LOG.warn("prog '{}': cannot dump the generated class to {}: {}", image.name(), dir, e.toString());
            }
        }
    }

    private static Compilation fallback(ProgramImage image, String reason) {
        LOG.info("prog '{}': runs on the interpreter: {}", image.name(), reason);
        return new Compilation(Interpreter.INSTANCE.prepare(image), null, reason, 0, 0);
    }
}
