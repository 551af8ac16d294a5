package io.bpf4j.jit.compiler;

import static io.bpf4j.jit.compiler.MethodLayout.*;
import static org.objectweb.asm.Opcodes.*;

import io.bpf4j.isa.facts.Facts;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.internal.DecodedProgram;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Translates a {@link DecodedProgram} into one class: a static method per BPF function
 * ({@code (state, depth, r0..r9) -> r0}) with the registers in {@code long} locals, and an
 * {@link CompiledCode#invoke} that enters any function. Each slot keeps the interpreter's order
 * of effects exactly: budget first, then the instruction, through the same {@code AluOps} and
 * {@code Memory} calls, so results and faults (class, pc, message) are the interpreter's.
 *
 * <p>This class lays out the class: which functions are split ({@link FunctionChunks}), the
 * class's own methods ({@code invoke}, {@code dispatch}, the drivers of split functions) and the
 * slow classes; each function, chunk and slow method is a {@link FunctionEmitter}'s
 * ({@link MethodLayout} is what both sides agree on). It keeps where each slot's code ended up
 * ({@link #position}) and what the facts let it drop.
 */
final class CodeGenerator {
    /** Register ALU operations the interpreter sends to AluOps, by operation code. */
    static final Map<Integer, String> ALU_CALLS = Map.ofEntries(
            Map.entry(0x37, "div64"), Map.entry(0x3f, "div64"),
            Map.entry(DecodedProgram.SDIV64_K, "sdiv64"), Map.entry(DecodedProgram.SDIV64_X, "sdiv64"),
            Map.entry(0x67, "lsh64"), Map.entry(0x6f, "lsh64"), Map.entry(0x77, "rsh64"), Map.entry(0x7f, "rsh64"),
            Map.entry(0x97, "mod64"), Map.entry(0x9f, "mod64"),
            Map.entry(DecodedProgram.SMOD64_K, "smod64"), Map.entry(DecodedProgram.SMOD64_X, "smod64"),
            Map.entry(0xc7, "arsh64"), Map.entry(0xcf, "arsh64"),
            Map.entry(0x04, "add32"), Map.entry(0x0c, "add32"), Map.entry(0x14, "sub32"), Map.entry(0x1c, "sub32"),
            Map.entry(0x24, "mul32"), Map.entry(0x2c, "mul32"), Map.entry(0x34, "div32"), Map.entry(0x3c, "div32"),
            Map.entry(DecodedProgram.SDIV32_K, "sdiv32"), Map.entry(DecodedProgram.SDIV32_X, "sdiv32"),
            Map.entry(0x44, "or32"), Map.entry(0x4c, "or32"), Map.entry(0x54, "and32"), Map.entry(0x5c, "and32"),
            Map.entry(0x64, "lsh32"), Map.entry(0x6c, "lsh32"), Map.entry(0x74, "rsh32"), Map.entry(0x7c, "rsh32"),
            Map.entry(0x94, "mod32"), Map.entry(0x9c, "mod32"),
            Map.entry(DecodedProgram.SMOD32_K, "smod32"), Map.entry(DecodedProgram.SMOD32_X, "smod32"),
            Map.entry(0xa4, "xor32"), Map.entry(0xac, "xor32"), Map.entry(0xc4, "arsh32"), Map.entry(0xcc, "arsh32"));

    /** Which operand an ALU_CALLS code takes: the register (true) or the immediate. */
    static boolean registerOperand(int op) {
        return switch (op) {
            case DecodedProgram.SDIV64_X, DecodedProgram.SMOD64_X, DecodedProgram.SDIV32_X, DecodedProgram.SMOD32_X -> true;
            case DecodedProgram.SDIV64_K, DecodedProgram.SMOD64_K, DecodedProgram.SDIV32_K, DecodedProgram.SMOD32_K -> false;
            default -> (op & 0x08) != 0;
        };
    }

    /** Whether {@code op} is a conditional jump (JMP or JMP32 with a comparison). */
    static boolean isConditionalJump(int op) {
        return comparison(op) != null;
    }

    /** The AluOps comparison of a conditional jump, or null when {@code op} is none. */
    static String comparison(int op) {
        int cls = op & 0x07;
        if (cls != 0x05 && cls != 0x06) {
            return null;
        }
        String name = switch (op & 0xf0) {
            case 0x10 -> "jeq";
            case 0x20 -> "jgt";
            case 0x30 -> "jge";
            case 0x40 -> "jset";
            case 0x50 -> "jne";
            case 0x60 -> "jsgt";
            case 0x70 -> "jsge";
            case 0xa0 -> "jlt";
            case 0xb0 -> "jle";
            case 0xc0 -> "jslt";
            case 0xd0 -> "jsle";
            default -> null;
        };
        return name == null ? null : cls == 0x06 ? name + "32" : name;
    }

    private final ProgramImage image;
    private final DecodedProgram code;
    private final int[] op;
    private final IndirectTargets indirect;
    private final ReturnedRegisters returned;

    CodeGenerator(ProgramImage image, DecodedProgram code) {
        this.image = image;
        this.code = code;
        this.op = code.op();
        this.indirect = IndirectTargets.of(image, code);
        this.returned = ReturnedRegisters.of(code, indirect, this);
    }

    /** Which of r1-r5 each exit hands back and each call reloads. */
    ReturnedRegisters returned() {
        return returned;
    }

    /**
     * Why {@code code} cannot be compiled yet, or {@code null}. These run on the interpreter for
     * now: control flow that leaves its function (a jump into another function, or running off a
     * function's end into the next), which the interpreter follows slot by slot but one method
     * per function cannot.
     */
    static String unsupported(DecodedProgram code) {
        int[] op = code.op();
        for (int f = 0; f < code.functionCount(); f++) {
            int start = code.functionStart(f);
            int end = code.functionEnd(f);
            boolean last = f == code.functionCount() - 1;
            for (int pc = start; pc < end; pc++) {
                if (!code.startsInstruction(pc)) {
                    continue;
                }
                int o = op[pc];
                if (o == 0x05 || o == 0x06 || o == 0xe5 || comparison(o) != null) {
                    int t = code.target()[pc];
                    if (t < start || t >= end) {
                        return "insn " + pc + ": jump to insn " + t + " outside its function [" + start + ", " + (end - 1) + "]";
                    }
                }
                int width = o == 0x18 || o == DecodedProgram.LD_STATIC ? 2 : 1;
                if (!last && pc + width >= end && fallsThrough(o)) {
                    return "insn " + pc + ": runs off the end of function " + f + " into the next";
                }
            }
        }
        return null;
    }

    private static boolean fallsThrough(int o) {
        return o != 0x95 && o != 0x05 && o != 0x06 && o != DecodedProgram.ILLEGAL;
    }

    /**
     * The class file. A function whose method would have more than {@code methodLimit} bytes of
     * bytecode is cut into chunk methods ({@link FunctionChunks}) behind a driver method; when a
     * chunk still comes out too large, the function is cut again into smaller chunks.
     */
    byte[] generate(int methodLimit) {
        int limit = Math.min(methodLimit, 65535);
        FunctionChunks[] chunks = new FunctionChunks[code.functionCount()];
        int[][] slotBytes = new int[code.functionCount()][];
        int[] sizes = new int[code.functionCount()];
        int target = limit * 3 / 4;
        for (int attempt = 0;; attempt++) {
            ClassWriter cw = generate(chunks, slotBytes, sizes);
            boolean fits = true;
            for (int f = 0; f < chunks.length; f++) {
                if (sizes[f] > limit) {
                    fits = false;
                    chunks[f] = FunctionChunks.plan(code, code.functionStart(f), lastSlot(f), slotBytes[f], target, indirect);
                }
            }
            // the estimate of a chunk's size is rough: cut smaller, a few times, then leave it to the caller's check
            if (fits || attempt == 3) {
                // a method over 64 KB throws MethodTooLargeException here
                return cw.toByteArray();
            }
            target /= 2;
        }
    }

    /** The function's last slot, inclusive: the last function also holds the ILLEGAL slot past the end. */
    int lastSlot(int f) {
        return f == code.functionCount() - 1 ? code.length() : code.functionEnd(f) - 1;
    }

    /**
     * One class: each function as one method, or as chunks where {@code chunks} says so. Records
     * each unsplit function's bytes per slot in {@code slotBytes} and each function's largest
     * method size in {@code sizes}.
     */
    private ClassWriter generate(FunctionChunks[] chunks, int[][] slotBytes, int[] sizes) {
        // no COMPUTE_FRAMES nor COMPUTE_MAXS: the emitters write frames and maximums themselves
        // (ASM's analysis of every method was most of the compile time)
        ClassWriter cw = new ClassWriter(0);
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, NAME, null, COMPILED_CODE, null);
        cw.visitSource("prog '" + image.name() + "'", null);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, COMPILED_CODE, "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();
        constantHelpers.clear();
        emitInvoke(cw);
        emitDispatch(cw);
        positions = new long[code.length()];
        methodNames.clear();
        for (int f = 0; f < code.functionCount(); f++) {
            BasicBlocks blocks = new BasicBlocks(code, code.functionStart(f), lastSlot(f), chunks[f], indirect);
            if (chunks[f] == null) {
                FunctionEmitter e = new FunctionEmitter(this, cw.visitMethod(ACC_PRIVATE | ACC_STATIC, "f" + f, FUNCTION_D, null, null), f, blocks, null, -1);
                e.emit();
                e.recordPositions("f" + f);
                slotBytes[f] = e.slotBytes();
                sizes[f] = e.size();
                continue;
            }
            emitDriver(cw, f, chunks[f]);
            sizes[f] = 0;
            for (int k = 0; k < chunks[f].count(); k++) {
                FunctionEmitter e = new FunctionEmitter(this, cw.visitMethod(ACC_PRIVATE | ACC_STATIC, "c" + f + "_" + k, CHUNK_D, null, null), f, blocks, chunks[f], k);
                e.emit();
                e.recordPositions("c" + f + "_" + k);
                sizes[f] = Math.max(sizes[f], e.size());
            }
        }
        emitClassInit(cw);
        cw.visitEnd();
        this.chunks = chunks.clone();
        return cw;
    }

    /**
     * The static final fields and the class initializer that sets them: the slow paths from the
     * class data (a constant set here, once, as the class is initialized: HotSpot does not compile
     * a method whose constant is not resolved yet; by plain calls, as a dynamic constant's
     * bootstrap costs more to link, per class), each helper the methods call, and last the
     * class's instance handed back through the class data (no reflective constructor call per
     * program).
     */
    private void emitClassInit(ClassWriter cw) {
        cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, "SLOW", SLOW_PATHS_D, null, null).visitEnd();
        for (int id : constantHelpers) {
            cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, helperField(id), HELPER_D, null, null).visitEnd();
        }
        MethodVisitor clinit = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        clinit.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup", "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        clinit.visitLdcInsn("_");
        clinit.visitLdcInsn(org.objectweb.asm.Type.getType(SLOW_PATHS_D));
        clinit.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false);
        clinit.visitTypeInsn(CHECKCAST, "io/bpf4j/jit/compiler/SlowPaths");
        clinit.visitFieldInsn(PUTSTATIC, NAME, "SLOW", SLOW_PATHS_D);
        for (int id : constantHelpers) {
            clinit.visitFieldInsn(GETSTATIC, NAME, "SLOW", SLOW_PATHS_D);
            pushInt(clinit, id);
            clinit.visitMethodInsn(INVOKEVIRTUAL, "io/bpf4j/jit/compiler/SlowPaths", "helper", "(I)" + HELPER_D, false);
            clinit.visitFieldInsn(PUTSTATIC, NAME, helperField(id), HELPER_D);
        }
        clinit.visitFieldInsn(GETSTATIC, NAME, "SLOW", SLOW_PATHS_D);
        clinit.visitTypeInsn(NEW, NAME);
        clinit.visitInsn(DUP);
        clinit.visitMethodInsn(INVOKESPECIAL, NAME, "<init>", "()V", false);
        clinit.visitMethodInsn(INVOKEVIRTUAL, "io/bpf4j/jit/compiler/SlowPaths", "initialized", "(Lio/bpf4j/jit/compiler/CompiledCode;)V", false);
        clinit.visitInsn(RETURN);
        clinit.visitMaxs(3, 0);
        clinit.visitEnd();
    }

    /** Helper ids the class last generated calls through their static final field (in {@code <clinit>}'s order). */
    private final java.util.SortedSet<Integer> constantHelpers = new java.util.TreeSet<>();

    /**
     * Whether a call of helper {@code id} goes through a static final field holding the image's
     * helper (recorded for {@link #emitClassInit}): HotSpot treats the field as a constant, so the
     * call is to one known implementation, which it can inline. Not for a helper the image does
     * not bind, whose call faults as in the interpreter ({@code Support.callHelper}).
     */
    boolean helperConstant(int id) {
        if (helper(id) == null) {
            return false;
        }
        constantHelpers.add(id);
        return true;
    }

    /** The image's helper {@code id}, or {@code null}. */
    io.bpf4j.jit.runtime.Helper helper(int id) {
        return image.helpers().get(id);
    }

    /**
     * Per slot of the class last generated: 1 + the index in {@link #methodNames} of the method
     * holding its code (0 where no instruction starts) in the high half, the code's bytecode offset
     * there in the low half.
     */
    private long[] positions = new long[0];
    private final java.util.List<String> methodNames = new java.util.ArrayList<>();

    /** Adds generated method {@code name} to those positions name; returns the number {@link #setPosition} takes. */
    int addMethod(String name) {
        methodNames.add(name);
        return methodNames.size();
    }

    /** Records that slot {@code pc}'s code begins at bytecode {@code offset} of method number {@code method}. */
    void setPosition(int pc, int method, int offset) {
        positions[pc] = (long) method << 32 | offset;
    }

    DecodedProgram code() {
        return code;
    }

    IndirectTargets indirect() {
        return indirect;
    }

    /** Where slot {@code pc}'s code is in the class last generated, or {@code null} when no instruction starts there. */
    io.bpf4j.jit.CodePosition position(int pc) {
        long p = pc >= 0 && pc < positions.length ? positions[pc] : 0;
        return p == 0 ? null : new io.bpf4j.jit.CodePosition(methodNames.get((int) (p >>> 32) - 1), (int) p);
    }

    /** How each function was cut in the class last generated ({@code null} entries: not split), for the slow classes. */
    private FunctionChunks[] chunks;

    /** The class holding the slow method {@code key} names, as static method {@code s}. */
    synchronized byte[] slowClass(int key) {
        int f = key >>> 16;
        int chunk = (key & 0xffff) == 0xffff ? -1 : key & 0xffff;
        ClassWriter cw = new ClassWriter(0);
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, "io/bpf4j/jit/compiler/Slow", null, "java/lang/Object", null);
        cw.visitSource("prog '" + image.name() + "'", null);
        BasicBlocks blocks = new BasicBlocks(code, code.functionStart(f), lastSlot(f), chunks[f], indirect);
        new FunctionEmitter(this, cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "s", SLOW_D, null, null), f, blocks, chunks[f], chunk).emitSlow();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private void emitInvoke(ClassWriter cw) {
        FramedMethodVisitor mv = new FramedMethodVisitor(cw.visitMethod(ACC_PUBLIC, "invoke", "(" + STATE_D + "IIJJJJJ)J", null, null));
        mv.visitCode();
        mv.locals(NAME, STATE, INTEGER, INTEGER, LONG, LONG, LONG, LONG, LONG);
        int n = code.functionCount();
        Label[] cases = new Label[n];
        for (int i = 0; i < n; i++) {
            cases[i] = new Label();
        }
        Label dflt = new Label();
        mv.visitVarInsn(ILOAD, 2);
        mv.visitTableSwitchInsn(0, n - 1, dflt, cases);
        for (int i = 0; i < n; i++) {
            mv.frame(cases[i]);
            mv.visitVarInsn(ALOAD, 1);
            mv.visitVarInsn(ILOAD, 3);
            mv.visitInsn(LCONST_0);
            for (int r = 1; r <= 5; r++) {
                mv.visitVarInsn(LLOAD, 2 + 2 * r);
            }
            for (int r = 6; r <= 9; r++) {
                mv.visitInsn(LCONST_0);
            }
            mv.visitMethodInsn(INVOKESTATIC, NAME, "f" + i, FUNCTION_D, false);
            mv.visitInsn(LRETURN);
        }
        mv.frame(dflt);
        mv.visitTypeInsn(NEW, "java/lang/IllegalArgumentException");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalArgumentException", "<init>", "()V", false);
        mv.visitInsn(ATHROW);
        mv.visitMaxs(22, 14);
        mv.visitEnd();
    }

    /** {@code dispatch(state, function, depth, r0..r9)}: callx's way into a function known only at run time. */
    private void emitDispatch(ClassWriter cw) {
        FramedMethodVisitor mv = new FramedMethodVisitor(cw.visitMethod(ACC_PRIVATE | ACC_STATIC, "dispatch", DISPATCH_D, null, null));
        mv.visitCode();
        mv.locals(STATE, INTEGER, INTEGER, LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG);
        int n = code.functionCount();
        Label[] cases = new Label[n];
        for (int i = 0; i < n; i++) {
            cases[i] = new Label();
        }
        Label dflt = new Label();
        mv.visitVarInsn(ILOAD, 1);
        mv.visitTableSwitchInsn(0, n - 1, dflt, cases);
        for (int i = 0; i < n; i++) {
            mv.frame(cases[i]);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ILOAD, 2);
            for (int r = 0; r <= 9; r++) {
                mv.visitVarInsn(LLOAD, 3 + 2 * r);
            }
            mv.visitMethodInsn(INVOKESTATIC, NAME, "f" + i, FUNCTION_D, false);
            mv.visitInsn(LRETURN);
        }
        // Support.callxTarget only returns function indexes below the count
        mv.frame(dflt);
        mv.visitTypeInsn(NEW, "java/lang/IllegalArgumentException");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalArgumentException", "<init>", "()V", false);
        mv.visitInsn(ATHROW);
        mv.visitMaxs(22, 23);
        mv.visitEnd();
    }

    /**
     * {@code f<f>} of a split function: enters the frame as a function method does, then runs
     * chunk after chunk, each from the slot the previous one left at, until one returns.
     */
    private void emitDriver(ClassWriter cw, int f, FunctionChunks chunks) {
        FramedMethodVisitor mv = new FramedMethodVisitor(cw.visitMethod(ACC_PRIVATE | ACC_STATIC, "f" + f, FUNCTION_D, null, null));
        final int next = CALLEE;
        mv.visitCode();
        enterFunction(mv);
        pushInt(mv, code.functionStart(f));
        mv.visitVarInsn(ISTORE, next);
        mv.locals(STATE, INTEGER, LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG, MEMORY, LONG, TOP, INTEGER);
        Label loop = new Label();
        Label ran = new Label();
        Label reload = new Label();
        mv.frame(loop);
        for (int k = 0; k < chunks.count(); k++) {
            Label notHere = new Label();
            if (k + 1 < chunks.count()) {
                mv.visitVarInsn(ILOAD, next);
                pushInt(mv, chunks.from(k + 1));
                mv.visitJumpInsn(IF_ICMPGE, notHere);
            }
            mv.visitVarInsn(ALOAD, ST);
            mv.visitVarInsn(ILOAD, DEPTH);
            for (int r = 0; r <= 10; r++) {
                mv.visitVarInsn(LLOAD, reg(r));
            }
            mv.visitVarInsn(LLOAD, BUDGET);
            mv.visitVarInsn(ILOAD, next);
            mv.visitVarInsn(LLOAD, MAY_GOTO);
            mv.visitMethodInsn(INVOKESTATIC, NAME, "c" + f + "_" + k, CHUNK_D, false);
            mv.visitVarInsn(ISTORE, next);
            mv.visitJumpInsn(GOTO, ran);
            if (k + 1 < chunks.count()) {
                mv.frame(notHere);
            }
        }
        mv.frame(ran);
        mv.visitVarInsn(ILOAD, next);
        mv.visitJumpInsn(IFGE, reload);
        mv.visitVarInsn(ALOAD, ST);
        mv.visitFieldInsn(GETFIELD, STATE, "xfer", "[J");
        mv.visitInsn(ICONST_0);
        mv.visitInsn(LALOAD);
        mv.visitInsn(LRETURN);
        mv.frame(reload);
        for (int r = 0; r <= 12; r++) {
            mv.visitVarInsn(ALOAD, ST);
            mv.visitFieldInsn(GETFIELD, STATE, "xfer", "[J");
            pushInt(mv, r);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(LSTORE, r <= 10 ? reg(r) : r == 11 ? BUDGET : MAY_GOTO);
        }
        mv.visitJumpInsn(GOTO, loop);
        mv.visitMaxs(MAX_STACK, CALLEE + 1);
        mv.visitEnd();
    }

    /** Whether the image's facts prove the access at {@code pc} inside its region (its bounds check can go). */
    boolean provenInBounds(int pc) {
        boolean proven = image.facts().get(pc, Facts.IN_BOUNDS).orElse(false) && image.facts().get(pc, Facts.MEMORY_REGION).isPresent();
        if (proven) {
            provenAccesses++;
        }
        return proven;
    }

    /** The callx and gotox instructions dispatched with a switch over the verifier's targets. */
    int indirectSwitches() {
        return indirect.count();
    }

    /** Memory accesses emitted without their bounds check, for tests and the log. */
    int provenAccesses() {
        return provenAccesses;
    }

    private int provenAccesses;

    /** The instruction's opcode byte, as faults report it. */
    int codeAt(int pc) {
        int i = image.instructions().indexAtSlot(pc);
        return i >= 0 ? image.instructions().get(i).code() : 0;
    }
}
