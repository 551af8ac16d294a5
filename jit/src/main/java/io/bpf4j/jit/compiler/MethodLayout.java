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
    /** The address of the memory access being made (a long). */
    static final int ADDR = 34;
    /**
     * The first local of the region caches: per base register a method accesses memory through,
     * three locals from here on, in register order ({@code MemoryAccessEmitter.cacheId}). A
     * method has as many locals as its caches need: HotSpot's verifier compares every local at
     * each frame and, in a handler's range, at each instruction.
     */
    static final int CACHES = 36;
    static final String PROGRAM = "io/bpf4j/jit/compiler/CompiledProgram";
    static final String SLOW_PATHS_D = "Lio/bpf4j/jit/compiler/SlowPaths;";
    static final String REGION = "io/bpf4j/jit/runtime/Region";
    /** An operand stack no instruction sequence here exceeds (the slow call's arguments take 27). */
    static final int MAX_STACK = 32;

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

    /**
     * A function's entry, in a function method and in a split function's driver: the memory in
     * MEM, a new frame (r10) at DEPTH, the budget and the may_goto budget from the run state.
     */
    static void enterFunction(MethodVisitor mv) {
        mv.visitVarInsn(ALOAD, ST);
        mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "memory", "()L" + MEMORY + ";", false);
        mv.visitVarInsn(ASTORE, MEM);
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitVarInsn(ILOAD, DEPTH);
        mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "enterFrame", "(I)J", false);
        mv.visitVarInsn(LSTORE, reg(10));
        mv.visitVarInsn(ALOAD, ST);
        mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "budget", "()J", false);
        mv.visitVarInsn(LSTORE, BUDGET);
        mv.visitVarInsn(ALOAD, ST);
        mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "context", "()Lio/bpf4j/jit/ExecutionContext;", false);
        mv.visitMethodInsn(INVOKEVIRTUAL, "io/bpf4j/jit/ExecutionContext", "mayGotoBudget", "()J", false);
        mv.visitVarInsn(LSTORE, MAY_GOTO);
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
