package io.bpf4j.jit.compiler;

import static io.bpf4j.jit.compiler.MethodLayout.*;
import static org.objectweb.asm.Opcodes.*;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.jit.runtime.Memory;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Loads, stores and atomics of a generated method, in the interpreter's order of effects: r10
 * plus a constant inside the frame straight to the frame's bytes; any other base register
 * through its region cache (the tag and id of the last region it reached, compared inline), with
 * the bounds compared unless the verifier's facts prove them, and the interpreter's checked
 * {@code Memory} access for anything the cache cannot serve.
 */
abstract class MemoryAccessEmitter extends MethodEmitter {
    /** Registers this function accesses memory through (other than r10 plus a constant in the frame). */
    final boolean[] cachedBases = new boolean[11];
    /** Per base register, the first of its cache's three locals (0 where {@link #cachedBases} has none). */
    private final int[] cacheLocals = new int[11];
    /** The method's locals: the layout's fixed ones and the caches'. */
    final int maxLocals;

    MemoryAccessEmitter(CodeGenerator gen, MethodVisitor mv, int f, BasicBlocks blocks, FunctionChunks chunks, int chunk) {
        super(gen, mv, f, blocks, chunks, chunk);
        for (int pc = from; pc <= to; pc++) {
            if (emitted(pc) && cachedAccess(pc)) {
                cachedBases[(op[pc] & 0x07) == 0x01 ? code.src()[pc] : code.dst()[pc]] = true;
            }
        }
        int next = CACHES;
        for (int b = 0; b <= 10; b++) {
            if (cachedBases[b]) {
                cacheLocals[b] = next;
                next += 3;
            }
        }
        maxLocals = next;
    }

    /** The local holding the id (high half) base register {@code b}'s cache holds for reads. */
    int cacheId(int b) {
        return cacheLocals[b];
    }

    /** The local holding the id its cache holds for writes (0 when the region was cached for reading only). */
    int cacheWriteId(int b) {
        return cacheLocals[b] + 1;
    }

    /** The local holding the region its cache holds. */
    int cacheRegion(int b) {
        return cacheLocals[b] + 2;
    }

    /** Whether the access at {@code pc} goes through its base register's region cache (loads and stores but r10's frame accesses). */
    boolean cachedAccess(int pc) {
        int o = op[pc];
        if (!BasicBlocks.mayFault(o) || (o & 0x07) == 0x03 && (o & 0xe0) == 0xc0) {
            return false;
        }
        boolean load = (o & 0x07) == 0x01;
        int base = load ? code.src()[pc] : code.dst()[pc];
        return base != 10 || frameOffset(base, pc, "x" + Opcodes.sizeBytes(o) * 8) < 0;
    }

    /** A load; {@code narrow} is the cast that sign-extends it (0 for a zero-extending load). */
    void load(int pc, int dst, int src, String name, int narrow) {
        int at = frameOffset(src, pc, name);
        if (at >= 0) {
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitVarInsn(ILOAD, DEPTH);
            pushInt(at);
            mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, name.replace("load", "loadStack"), "(II)J", false);
        } else {
            int size = bytes(name);
            Label checked = new Label();
            Label done = new Label();
            boolean checks = cachedAccess(src, false, size, pc, checked);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "get" + size * 8, "(Lio/bpf4j/jit/runtime/Region;J)J", false);
            if (checks) {
                mv.visitJumpInsn(GOTO, done);
                // the interpreter's checked access: outside the cached region, it faults as there
                mv.frame(checked);
                mv.visitVarInsn(ALOAD, MEM);
                mv.visitVarInsn(LLOAD, ADDR);
                pushInt(pc);
                mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, name, "(JI)J", false);
                mv.frame(done, LONG);
            }
        }
        if (narrow != 0) {
            mv.visitInsn(L2I);
            if (narrow != I2L) {
                mv.visitInsn(narrow);
            }
            mv.visitInsn(I2L);
        }
        store(dst);
    }

    void store(int pc, int dst, boolean x, int src, long imm, String name) {
        int at = frameOffset(dst, pc, name);
        if (at >= 0) {
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitVarInsn(ILOAD, DEPTH);
            pushInt(at);
            operand(x, src, imm);
            mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, name.replace("store", "storeStack"), "(IIJ)V", false);
            return;
        }
        int size = bytes(name);
        Label checked = new Label();
        Label done = new Label();
        boolean checks = cachedAccess(dst, true, size, pc, checked);
        operand(x, src, imm);
        mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "put" + size * 8, "(Lio/bpf4j/jit/runtime/Region;JJ)V", false);
        if (!checks) {
            return;
        }
        mv.visitJumpInsn(GOTO, done);
        mv.frame(checked);
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitVarInsn(LLOAD, ADDR);
        operand(x, src, imm);
        pushInt(pc);
        mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, name, "(JJI)V", false);
        mv.frame(done);
    }

    /**
     * The fast path of a load or store through base register {@code base}: the address in
     * ADDR, the region cache looked up, the bounds compared unless the verifier proved them,
     * then the cached region and the address on the operand stack. An access outside the
     * cached region goes to {@code checked}; returns whether any may (false when proven).
     */
    boolean cachedAccess(int base, boolean write, int size, int pc, Label checked) {
        Label hit = new Label();
        boolean proven = gen.provenInBounds(pc);
        address(base, pc);
        mv.visitVarInsn(LSTORE, ADDR);
        cacheLookup(base, write, size, pc, hit);
        mv.frame(hit);
        if (!proven) {
            boundsCheck(base, size, checked);
        }
        mv.visitVarInsn(ALOAD, cacheRegion(base));
        mv.visitVarInsn(LLOAD, ADDR);
        return !proven;
    }

    /**
     * The region cache of base register {@code base}: when the address's tag and id (its high
     * half) are the cached ones, on to {@code hit}; otherwise the checked lookup fills the
     * cache (faulting as the interpreter does) and goes on to {@code hit}. A write hits only a
     * region cached for writing, which the checked lookup has found writable.
     */
    void cacheLookup(int base, boolean write, int size, int pc, Label hit) {
        highHalf();
        mv.visitVarInsn(ILOAD, write ? cacheWriteId(base) : cacheId(base));
        mv.visitJumpInsn(IF_ICMPEQ, hit);
        mv.visitVarInsn(ALOAD, MEM);
        mv.visitVarInsn(LLOAD, ADDR);
        pushInt(size);
        mv.visitInsn(write ? ICONST_1 : ICONST_0);
        pushInt(pc);
        mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "cacheRegion", "(JIZI)Lio/bpf4j/jit/runtime/Region;", false);
        mv.visitVarInsn(ASTORE, cacheRegion(base));
        highHalf();
        if (write) {
            mv.visitInsn(DUP);
            mv.visitVarInsn(ISTORE, cacheWriteId(base));
        } else {
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, cacheWriteId(base));
        }
        mv.visitVarInsn(ISTORE, cacheId(base));
        // on to hit, which follows
    }

    void highHalf() {
        mv.visitVarInsn(LLOAD, ADDR);
        pushInt(32);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
    }

    void boundsCheck(int base, int size, Label outside) {
        mv.visitVarInsn(ALOAD, cacheRegion(base));
        mv.visitVarInsn(LLOAD, ADDR);
        pushInt(size);
        mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "inBounds", "(Lio/bpf4j/jit/runtime/Region;JI)Z", false);
        mv.visitJumpInsn(IFEQ, outside);
    }

    /** Empties the region caches: on entry, and after calls (a helper may replace or revoke regions). */
    void clearCaches() {
        for (int b = 0; b <= 10; b++) {
            if (cachedBases[b]) {
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, cacheId(b));
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, cacheWriteId(b));
                mv.visitFieldInsn(GETSTATIC, SUPPORT, "NO_REGION", "Lio/bpf4j/jit/runtime/Region;");
                mv.visitVarInsn(ASTORE, cacheRegion(b));
            }
        }
    }

    /**
     * For an access through r10 (read only, so always this depth's frame pointer) whose
     * constant offset keeps it inside the frame, the byte offset into the frame; else -1.
     */
    int frameOffset(int base, int pc, String name) {
        if (base != 10) {
            return -1;
        }
        int size = bytes(name);
        int off = code.off()[pc];
        return off >= -Memory.FRAME_SIZE && off + size <= 0 ? Memory.FRAME_SIZE + off : -1;
    }

    /** The access size of a Memory method name ending in its bit width ({@code load32}, {@code store8}). */
    static int bytes(String name) {
        return name.endsWith("64") ? 8 : name.endsWith("32") ? 4 : name.endsWith("16") ? 2 : 1;
    }

    void address(int base, int pc) {
        load(base);
        pushLong(code.off()[pc]);
        mv.visitInsn(LADD);
    }

    void atomic(int pc, int o, int dst, int src, int operation) {
        int size = Opcodes.sizeBytes(o);
        mv.visitVarInsn(ALOAD, MEM);
        switch (operation) {
            case Opcodes.ATOMIC_LOAD_ACQ -> {
                address(src, pc);
                pushInt(size);
                pushInt(pc);
                mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "loadAcquire", "(JII)J", false);
                store(dst);
            }
            case Opcodes.ATOMIC_STORE_REL -> {
                address(dst, pc);
                pushInt(size);
                load(src);
                pushInt(pc);
                mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "storeRelease", "(JIJI)V", false);
            }
            case Opcodes.ATOMIC_CMPXCHG -> {
                address(dst, pc);
                pushInt(size);
                load(0);
                load(src);
                pushInt(pc);
                mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "compareExchange", "(JIJJI)J", false);
                store(0);
            }
            default -> {
                // the interpreter's mapping, unknown operations included (the decoder rejects those)
                String name = operation == Opcodes.ATOMIC_XCHG ? "XCHG" : switch (operation & ~Opcodes.ATOMIC_FETCH) {
                    case Opcodes.ADD -> "ADD";
                    case Opcodes.OR -> "OR";
                    case Opcodes.AND -> "AND";
                    default -> "XOR";
                };
                address(dst, pc);
                pushInt(size);
                mv.visitFieldInsn(GETSTATIC, ATOMIC_OP, name, "L" + ATOMIC_OP + ";");
                load(src);
                pushInt(pc);
                mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "atomicUpdate", "(JIL" + ATOMIC_OP + ";JI)J", false);
                if (operation == Opcodes.ATOMIC_XCHG || (operation & Opcodes.ATOMIC_FETCH) != 0) {
                    store(src);
                } else {
                    mv.visitInsn(POP2);
                }
            }
        }
    }
}
