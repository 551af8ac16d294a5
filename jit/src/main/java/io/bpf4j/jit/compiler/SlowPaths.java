package io.bpf4j.jit.compiler;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slow methods of one compiled program, generated when first needed (and, for its class
 * initializer, the helpers it calls). A slow method runs a
 * basic block the budget does not cover, instruction by instruction (see
 * {@code FunctionEmitter.emitSlow}); most runs never need one, and generating them
 * all with the program doubled its class and its compile time. Each function (or chunk of a
 * split function) gets its own small hidden class on the first budget fault there. The program's
 * class reaches this object as its class data, and hands it its instance when initialized.
 * Public only because hidden classes link to it.
 */
public final class SlowPaths {
    private static final MethodType SLOW = MethodType.methodType(RuntimeException.class, CompiledState.class, int.class,
            long.class, long.class, long.class, long.class, long.class, long.class, long.class, long.class, long.class, long.class,
            long.class, long.class, int.class);

    private final CodeGenerator generator;
    private final ConcurrentHashMap<Integer, MethodHandle> methods = new ConcurrentHashMap<>();
    /** The instance of the program's class, handed over by its class initializer. */
    private CompiledCode code;

    SlowPaths(CodeGenerator generator) {
        this.generator = generator;
    }

    /** Called once by the program's class initializer with the class's instance. */
    public void initialized(CompiledCode instance) {
        if (code != null) {
            throw new IllegalStateException("the program's class is initialized already");
        }
        code = instance;
    }

    /** The instance of the program's class, once the class is initialized. */
    CompiledCode code() {
        return code;
    }

    /**
     * Runs the slow method {@code key} names (a function, or a chunk of one) from block
     * {@code block}: returns the budget fault for the caller to throw, or throws the fault an
     * instruction of the block raised first.
     */
    public RuntimeException run(int key, CompiledState state, int depth, long r0, long r1, long r2, long r3, long r4, long r5,
            long r6, long r7, long r8, long r9, long r10, long budget, int block) {
        MethodHandle slow = methods.computeIfAbsent(key, this::define);
        try {
            return (RuntimeException) slow.invokeExact(state, depth, r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, budget, block);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("slow path " + key + " failed", e);
        }
    }

    /** The program's helper {@code id}, for the static final field its class calls it through. */
    public io.bpf4j.jit.runtime.Helper helper(int id) {
        return generator.helper(id);
    }

    private MethodHandle define(int key) {
        byte[] bytes = generator.slowClass(key);
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
            return lookup.findStatic(lookup.lookupClass(), "s", SLOW);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("slow path " + key + " cannot be defined", e);
        }
    }
}
