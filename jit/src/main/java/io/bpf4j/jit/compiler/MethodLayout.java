package io.bpf4j.jit.compiler;

import static org.objectweb.asm.Opcodes.*;

import io.bpf4j.jit.runtime.Pointers;
import org.objectweb.asm.MethodVisitor;

/**
 * The shape of the generated code that the class generator and the method emitters agree on:
 * class and method names and descriptors, where each local of a function method lives, and the
 * small encodings they share.
 */
final class MethodLayout {
    private MethodLayout() {}

    static final String NAME = "io/bpf4j/jit/compiler/Prog";
    static final String COMPILED_CODE = "io/bpf4j/jit/compiler/CompiledCode";
    static final String STATE = "io/bpf4j/jit/compiler/CompiledState";
    static final String STATE_D = "L" + STATE + ";";
    static final String MEMORY = "io/bpf4j/jit/runtime/Memory";
    static final String ALU = "io/bpf4j/jit/runtime/AluOps";
    static final String SUPPORT = "io/bpf4j/jit/compiler/Support";
    static final String ATOMIC_OP = "io/bpf4j/jit/runtime/AtomicOp";
    static final String HELPER = "io/bpf4j/jit/runtime/Helper";
    static final String HELPER_D = "L" + HELPER + ";";
    static final String HELPER_RUNTIME = "io/bpf4j/jit/runtime/HelperRuntime";
    static final String FUNCTION_D = "(" + STATE_D + "IJJJJJJJJJJ)J";
    static final String DISPATCH_D = "(" + STATE_D + "IIJJJJJJJJJJ)J";
    /** {@code s<f>(state, depth, r0..r10, budget, block)}: the last instructions of a block the budget does not cover. */
    static final String SLOW_D = "(" + STATE_D + "IJJJJJJJJJJJJI)Ljava/lang/RuntimeException;";
    /**
     * {@code c<f>_<k>(state, depth, r0..r10, budget, entry, mayGoto)}: chunk k of a split function,
     * entered at slot {@code entry}; returns the slot to go on at, or -1 when the function returned
     * (r0 in {@code xfer[0]}). The parameters sit where a function method keeps them as locals
     * (entry in MEM's slot, as the slow method's block).
     */
    static final String CHUNK_D = "(" + STATE_D + "IJJJJJJJJJJJJIJ)I";

    // locals of a function method: the state, the depth, r0..r10 (two slots each), then ours
    static final int ST = 0, DEPTH = 1, BUDGET = 24, MEM = 26, MAY_GOTO = 27, EXC = 29, CALLEE = 30, TARGET = 31, FAULT_PC = 32;
    /** The slow method's block parameter (it arrives in MEM's slot). */
    static final int BLOCK_PARAM = 26, BLOCK = 33;
    /** Per base register b, its region cache: the id (high half) cached for reads and for writes, and the region. */
    static final int CACHES = 34, ADDR = CACHES + 3 * 11;

    static int cacheId(int b) {
        return CACHES + 3 * b;
    }

    static int cacheWriteId(int b) {
        return CACHES + 3 * b + 1;
    }

    static int cacheRegion(int b) {
        return CACHES + 3 * b + 2;
    }
    static final String PROGRAM = "io/bpf4j/jit/compiler/CompiledProgram";
    static final String SLOW_PATHS_D = "Lio/bpf4j/jit/compiler/SlowPaths;";
    /** The program's {@link SlowPaths}: its class's class data. */
    static final org.objectweb.asm.ConstantDynamic SLOW_PATHS = new org.objectweb.asm.ConstantDynamic("_", SLOW_PATHS_D, new org.objectweb.asm.Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
                    "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false));
    static final String REGION = "io/bpf4j/jit/runtime/Region";
    /** A function or slow method's locals and an operand stack no instruction sequence here exceeds (the slow call's arguments take 27). */
    static final int MAX_LOCALS = ADDR + 2, MAX_STACK = 32;

    /** The local of BPF register {@code r} (two slots: a {@code long}). */
    static int reg(int r) {
        return 2 + 2 * r;
    }

    /** The static final field holding the image's helper {@code id} (see {@code CodeGenerator.helperConstant}). */
    static String helperField(int id) {
        return "h" + id;
    }

    /** The key of the slow method of function {@code f}'s chunk {@code chunk} (-1: the unsplit function). */
    static int slowKey(int f, int chunk) {
        return f << 16 | (chunk < 0 ? 0xffff : chunk);
    }

    /** The high half of an exact pointer with {@code tag} and {@code id}, as {@code exactPointerHighHalf} leaves it. */
    static int pointerHighHalf(int tag, int id) {
        return (int) (Pointers.make(tag, id, 0) >>> 32);
    }

    /** Pushes {@code v} with the shortest instruction that holds it. */
    static void pushInt(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }
}
