package io.bpf4j.jit.compiler;

import io.bpf4j.isa.abi.Errno;
import static org.objectweb.asm.Opcodes.*;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.facts.Facts;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.internal.DecodedProgram;
import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.Pointers;
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
 */
final class CodeGenerator {
    private static final String NAME = "io/bpf4j/jit/compiler/Prog";
    private static final String STATE = "io/bpf4j/jit/compiler/CompiledState";
    private static final String STATE_D = "L" + STATE + ";";
    private static final String MEMORY = "io/bpf4j/jit/runtime/Memory";
    private static final String ALU = "io/bpf4j/jit/runtime/AluOps";
    private static final String SUPPORT = "io/bpf4j/jit/compiler/Support";
    private static final String ATOMIC_OP = "io/bpf4j/jit/runtime/AtomicOp";
    private static final String FUNCTION_D = "(" + STATE_D + "IJJJJJJJJJJ)J";
    private static final String DISPATCH_D = "(" + STATE_D + "IIJJJJJJJJJJ)J";
    /** {@code s<f>(state, depth, r0..r10, budget, block)}: the last instructions of a block the budget does not cover. */
    private static final String SLOW_D = "(" + STATE_D + "IJJJJJJJJJJJJI)Ljava/lang/RuntimeException;";
    /**
     * {@code c<f>_<k>(state, depth, r0..r10, budget, entry, mayGoto)}: chunk k of a split function,
     * entered at slot {@code entry}; returns the slot to go on at, or -1 when the function returned
     * (r0 in {@code xfer[0]}). The parameters sit where a function method keeps them as locals
     * (entry in MEM's slot, as the slow method's block).
     */
    private static final String CHUNK_D = "(" + STATE_D + "IJJJJJJJJJJJJIJ)I";

    // locals of a function method: the state, the depth, r0..r10 (two slots each), then ours
    private static final int ST = 0, DEPTH = 1, BUDGET = 24, MEM = 26, MAY_GOTO = 27, EXC = 29, CALLEE = 30, TARGET = 31, FAULT_PC = 32;
    /** The slow method's block parameter (it arrives in MEM's slot). */
    private static final int BLOCK_PARAM = 26, BLOCK = 33;
    /** Per base register b, its region cache: the id (high half) cached for reads and for writes, and the region. */
    private static final int CACHES = 34, ADDR = CACHES + 3 * 11;

    private static int cacheId(int b) {
        return CACHES + 3 * b;
    }

    private static int cacheWriteId(int b) {
        return CACHES + 3 * b + 1;
    }

    private static int cacheRegion(int b) {
        return CACHES + 3 * b + 2;
    }
    private static final String PROGRAM = "io/bpf4j/jit/compiler/CompiledProgram";
    private static final String SLOW_PATHS_D = "Lio/bpf4j/jit/compiler/SlowPaths;";
    /** The program's {@link SlowPaths}: its class's class data. */
    private static final org.objectweb.asm.ConstantDynamic SLOW_PATHS = new org.objectweb.asm.ConstantDynamic("_", SLOW_PATHS_D, new org.objectweb.asm.Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
                    "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false));
    private static final String REGION = "io/bpf4j/jit/runtime/Region";
    /** A function or slow method's locals and an operand stack no instruction sequence here exceeds (the slow call's arguments take 27). */
    private static final int MAX_LOCALS = ADDR + 2, MAX_STACK = 32;

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
    private static boolean registerOperand(int op) {
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
    private static String comparison(int op) {
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

    CodeGenerator(ProgramImage image, DecodedProgram code) {
        this.image = image;
        this.code = code;
        this.op = code.op();
        this.indirect = IndirectTargets.of(image, code);
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
    private int lastSlot(int f) {
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
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, NAME, null, "java/lang/Object",
                new String[] {"io/bpf4j/jit/compiler/CompiledCode"});
        cw.visitSource("prog '" + image.name() + "'", null);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();
        // the slow paths, from the class data: a constant resolved here, once, as the class is
        // initialized (HotSpot does not compile a method whose constant is not resolved yet)
        cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, "SLOW", SLOW_PATHS_D, null, null).visitEnd();
        MethodVisitor clinit = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        clinit.visitLdcInsn(SLOW_PATHS);
        clinit.visitFieldInsn(PUTSTATIC, NAME, "SLOW", SLOW_PATHS_D);
        clinit.visitInsn(RETURN);
        clinit.visitMaxs(1, 0);
        clinit.visitEnd();
        emitInvoke(cw);
        emitDispatch(cw);
        positions = new long[code.length()];
        methodNames.clear();
        for (int f = 0; f < code.functionCount(); f++) {
            BasicBlocks blocks = new BasicBlocks(code, code.functionStart(f), lastSlot(f), chunks[f], indirect);
            if (chunks[f] == null) {
                FunctionEmitter e = new FunctionEmitter(cw.visitMethod(ACC_PRIVATE | ACC_STATIC, "f" + f, FUNCTION_D, null, null), f, blocks, null, -1);
                e.emit();
                e.recordPositions("f" + f);
                slotBytes[f] = e.slotBytes();
                sizes[f] = e.size();
                continue;
            }
            emitDriver(cw, f, chunks[f]);
            sizes[f] = 0;
            for (int k = 0; k < chunks[f].count(); k++) {
                FunctionEmitter e = new FunctionEmitter(cw.visitMethod(ACC_PRIVATE | ACC_STATIC, "c" + f + "_" + k, CHUNK_D, null, null), f, blocks, chunks[f], k);
                e.emit();
                e.recordPositions("c" + f + "_" + k);
                sizes[f] = Math.max(sizes[f], e.size());
            }
        }
        cw.visitEnd();
        this.chunks = chunks.clone();
        return cw;
    }

    /**
     * Per slot of the class last generated: 1 + the index in {@link #methodNames} of the method
     * holding its code (0 where no instruction starts) in the high half, the code's bytecode offset
     * there in the low half.
     */
    private long[] positions = new long[0];
    private final java.util.List<String> methodNames = new java.util.ArrayList<>();

    /** Where slot {@code pc}'s code is in the class last generated, or {@code null} when no instruction starts there. */
    io.bpf4j.jit.CodePosition position(int pc) {
        long p = pc >= 0 && pc < positions.length ? positions[pc] : 0;
        return p == 0 ? null : new io.bpf4j.jit.CodePosition(methodNames.get((int) (p >>> 32) - 1), (int) p);
    }

    /** How each function was cut in the class last generated ({@code null} entries: not split), for the slow classes. */
    private FunctionChunks[] chunks;

    /** The key of the slow method of function {@code f}'s chunk {@code chunk} (-1: the unsplit function). */
    private static int slowKey(int f, int chunk) {
        return f << 16 | (chunk < 0 ? 0xffff : chunk);
    }

    /** The class holding the slow method {@code key} names, as static method {@code s}. */
    synchronized byte[] slowClass(int key) {
        int f = key >>> 16;
        int chunk = (key & 0xffff) == 0xffff ? -1 : key & 0xffff;
        ClassWriter cw = new ClassWriter(0);
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, "io/bpf4j/jit/compiler/Slow", null, "java/lang/Object", null);
        cw.visitSource("prog '" + image.name() + "'", null);
        BasicBlocks blocks = new BasicBlocks(code, code.functionStart(f), lastSlot(f), chunks[f], indirect);
        new FunctionEmitter(cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "s", SLOW_D, null, null), f, blocks, chunks[f], chunk).emitSlow();
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

    /** The high half of an exact pointer with {@code tag} and {@code id}, as {@code exactPointerHighHalf} leaves it. */
    private static int pointerHighHalf(int tag, int id) {
        return (int) (Pointers.make(tag, id, 0) >>> 32);
    }

    private static int reg(int r) {
        return 2 + 2 * r;
    }

    /**
     * {@code f<f>} of a split function: enters the frame as a function method does, then runs
     * chunk after chunk, each from the slot the previous one left at, until one returns.
     */
    private void emitDriver(ClassWriter cw, int f, FunctionChunks chunks) {
        FramedMethodVisitor mv = new FramedMethodVisitor(cw.visitMethod(ACC_PRIVATE | ACC_STATIC, "f" + f, FUNCTION_D, null, null));
        final int next = CALLEE;
        mv.visitCode();
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

    private static void pushInt(MethodVisitor mv, int v) {
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

    /** Emits one function's method. */
    private final class FunctionEmitter {
        private final FramedMethodVisitor mv;
        private final int start;
        private final int function;
        /** Last slot emitted, inclusive: the last function also holds the ILLEGAL slot past the end. */
        private final int last;
        /** The chunk this method holds, {@code [from, to]}: the whole function unless it is split. */
        private final int from, to;
        /** How the function is split, or {@code null}; and which chunk this method is. */
        private final FunctionChunks chunks;
        private final int chunk;
        /** Per target slot outside this chunk, the stub that leaves for it. */
        private final Map<Integer, Label> leaveStubs = new java.util.TreeMap<>();
        private final Label leave = new Label();
        private final Label end = new Label();
        private final Label[] labels;
        private final Label[] budgetStubs;
        private final BasicBlocks blocks;
        /** Registers this function accesses memory through (other than r10 plus a constant in the frame). */
        private final boolean[] cachedBases = new boolean[11];

        FunctionEmitter(MethodVisitor mv, int f, BasicBlocks blocks, FunctionChunks chunks, int chunk) {
            this.mv = new FramedMethodVisitor(mv);
            this.start = code.functionStart(f);
            this.function = f;
            this.last = lastSlot(f);
            this.chunks = chunks;
            this.chunk = chunk;
            this.from = chunks == null ? start : chunks.from(chunk);
            this.to = chunks == null ? last : chunks.to(chunk);
            this.labels = new Label[to - from + 1];
            this.budgetStubs = new Label[to - from + 1];
            this.blocks = blocks;
            for (int pc = from; pc <= to; pc++) {
                if (emitted(pc) && cachedAccess(pc)) {
                    cachedBases[(op[pc] & 0x07) == 0x01 ? code.src()[pc] : code.dst()[pc]] = true;
                }
            }
        }

        /** The label of slot {@code pc} of this method (created when first asked for). */
        private Label label(int pc) {
            return labelIn(labels, pc);
        }

        /** The label of slot {@code pc}'s budget stub (created when first asked for). */
        private Label budgetStub(int pc) {
            return labelIn(budgetStubs, pc);
        }

        private Label labelIn(Label[] table, int pc) {
            Label l = table[pc - from];
            if (l == null) {
                l = new Label();
                table[pc - from] = l;
            }
            return l;
        }

        private boolean emitted(int pc) {
            return pc == code.length() || code.startsInstruction(pc);
        }

        /** The method's bytecode size so far (after {@link #emit}, its size). */
        int size() {
            return end.getOffset();
        }

        /** Per slot of the function, the bytes of its code in this (unsplit) method; 0 where no instruction starts. */
        int[] slotBytes() {
            int[] bytes = new int[last - start + 1];
            int previous = -1;
            for (int pc = start; pc <= last; pc++) {
                if (emitted(pc)) {
                    if (previous >= 0) {
                        bytes[previous - start] = label(pc).getOffset() - label(previous).getOffset();
                    }
                    previous = pc;
                }
            }
            // the last slot: up to the budget stubs (an ILLEGAL slot or a short exit)
            bytes[previous - start] = 20;
            return bytes;
        }

        private boolean split() {
            return chunks != null;
        }

        /** After {@link #emit}: records where each of this method's slots begins, as method {@code name}. */
        void recordPositions(String name) {
            methodNames.add(name);
            long method = (long) methodNames.size() << 32;
            for (int pc = from; pc <= to && pc < code.length(); pc++) {
                if (emitted(pc)) {
                    positions[pc] = method | label(pc).getOffset();
                }
            }
        }

        void emit() {
            mv.visitCode();
            // The handler stores this method's budget in the run state when a fault leaves it, as the
            // interpreter's finally does. The invokes of bpf-to-bpf calls are outside its ranges: a
            // fault in a callee has already stored the callee's (later) budget.
            Label tryStart = new Label();
            Label tryEnd = new Label();
            Label handler = new Label();
            Label rangeStart = tryStart;
            Map<Integer, Label[]> callGaps = new java.util.HashMap<>();
            for (int pc = from; pc <= to; pc++) {
                if (emitted(pc) && (op[pc] == DecodedProgram.CALL_LOCAL || op[pc] == 0x8d || op[pc] == DecodedProgram.TAIL_CALL)) {
                    Label before = new Label();
                    Label after = new Label();
                    callGaps.put(pc, new Label[] {before, after});
                    mv.visitTryCatchBlock(rangeStart, before, handler, null);
                    rangeStart = after;
                }
            }
            mv.visitTryCatchBlock(rangeStart, tryEnd, handler, null);
            if (split()) {
                enterChunk();
            } else {
                enterFunction();
            }
            // the shared ends (the slow method's call, a chunk's way out) come before the code that
            // jumps to them: ASM keeps a label's forward references in an array it grows by a few
            // entries at a time, which is quadratic for the hundreds of stubs of a large function
            Label slowPath = new Label();
            Label body = new Label();
            mv.visitJumpInsn(GOTO, body);
            // outside the handler's range: the slow method leaves the budget in the run state itself
            mv.frame(slowPath, INTEGER);
            mv.visitVarInsn(ISTORE, FAULT_PC);
            mv.visitFieldInsn(GETSTATIC, NAME, "SLOW", SLOW_PATHS_D);
            pushInt(slowKey(function, chunk));
            mv.visitVarInsn(ALOAD, ST);
            mv.visitVarInsn(ILOAD, DEPTH);
            for (int r = 0; r <= 10; r++) {
                load(r);
            }
            mv.visitVarInsn(LLOAD, BUDGET);
            mv.visitVarInsn(ILOAD, FAULT_PC);
            mv.visitMethodInsn(INVOKEVIRTUAL, "io/bpf4j/jit/compiler/SlowPaths", "run", "(I" + SLOW_D.substring(1), false);
            mv.visitInsn(ATHROW);
            if (split()) {
                emitLeave();
            }
            mv.frame(body);
            mv.visitLabel(tryStart);
            if (split()) {
                entrySwitch();
            }
            // The budget is compared once per basic block, with the block's length; it is spent
            // (the local lowered) before each memory access and before the block's last
            // instruction, so at a fault, a call or an exit it is exactly the interpreter's. A
            // block the budget does not cover runs in the slow method, instruction by instruction.
            int length = 0, index = 0, spent = 0;
            for (int pc = from; pc <= to; pc++) {
                if (!emitted(pc)) {
                    continue;
                }
                mv.frame(label(pc));
                // the slot as the line number: profilers and stack traces name BPF instructions
                mv.visitLineNumber(pc, label(pc));
                if (blocks.lengthAt(pc) > 0) {
                    length = blocks.lengthAt(pc);
                    index = 0;
                    spent = 0;
                    mv.visitVarInsn(LLOAD, BUDGET);
                    pushLong(length);
                    mv.visitInsn(LCMP);
                    mv.visitJumpInsn(IFLT, budgetStub(pc));
                }
                if (index == length - 1 || BasicBlocks.mayFault(op[pc])) {
                    spend(index + 1 - spent);
                    spent = index + 1;
                }
                index++;
                instruction(pc, callGaps.get(pc));
            }
            if (split() && chunk + 1 < chunks.count()) {
                // falling through into the next chunk
                mv.frame(new Label());
                pushInt(to + 1);
                mv.visitJumpInsn(GOTO, leave);
            }
            // each block's stub pushes its first slot and joins one call of the slow method
            for (int pc = from; pc <= to; pc++) {
                if (blocks.lengthAt(pc) > 0) {
                    mv.frame(budgetStub(pc));
                    pushInt(pc);
                    mv.visitJumpInsn(GOTO, slowPath);
                }
            }
            if (split()) {
                emitLeaveStubs();
            }
            mv.visitLabel(tryEnd);
            mv.frame(handler, "java/lang/Throwable");
            mv.visitVarInsn(ASTORE, EXC);
            mv.visitVarInsn(ALOAD, ST);
            mv.visitVarInsn(LLOAD, BUDGET);
            mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "setBudget", "(J)V", false);
            mv.visitVarInsn(ALOAD, EXC);
            mv.visitInsn(ATHROW);
            mv.visitLabel(end);
            mv.visitMaxs(MAX_STACK, MAX_LOCALS);
            mv.visitEnd();
        }

        /** A function method's entry: a new frame (r10), the budgets from the run state. */
        private void enterFunction() {
            mv.visitVarInsn(ALOAD, ST);
            mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "memory", "()L" + MEMORY + ";", false);
            mv.visitVarInsn(ASTORE, MEM);
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitVarInsn(ILOAD, DEPTH);
            mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "enterFrame", "(I)J", false);
            mv.visitVarInsn(LSTORE, reg(10));
            clearCaches();
            mv.visitVarInsn(ALOAD, ST);
            mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "budget", "()J", false);
            mv.visitVarInsn(LSTORE, BUDGET);
            mv.visitVarInsn(ALOAD, ST);
            mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "context", "()Lio/bpf4j/jit/ExecutionContext;", false);
            mv.visitMethodInsn(INVOKEVIRTUAL, "io/bpf4j/jit/ExecutionContext", "mayGotoBudget", "()J", false);
            mv.visitVarInsn(LSTORE, MAY_GOTO);
            initScratch();
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, BLOCK);
            mv.locals(frameLocals());
        }

        /**
         * A chunk method's entry: registers and budgets arrive as parameters (the driver keeps the
         * frame), then a switch goes to the entry slot.
         */
        private void enterChunk() {
            mv.visitVarInsn(ILOAD, BLOCK_PARAM);
            mv.visitVarInsn(ISTORE, BLOCK);
            mv.visitVarInsn(ALOAD, ST);
            mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "memory", "()L" + MEMORY + ";", false);
            mv.visitVarInsn(ASTORE, MEM);
            initScratch();
            clearCaches();
            mv.locals(frameLocals());
        }

        /** A chunk's switch from its entry slot to the slot's code. */
        private void entrySwitch() {
            Label unknown = new Label();
            mv.visitVarInsn(ILOAD, BLOCK);
            if (chunks.anySlotEntry()) {
                Label[] cases = new Label[to - from + 1];
                for (int t = from; t <= to; t++) {
                    cases[t - from] = emitted(t) ? at(t) : unknown;
                }
                mv.visitTableSwitchInsn(from, to, unknown, cases);
            } else {
                int[] keys = chunks.entries(chunk);
                Label[] cases = new Label[keys.length];
                for (int i = 0; i < keys.length; i++) {
                    cases[i] = at(keys[i]);
                }
                mv.visitLookupSwitchInsn(unknown, keys, cases);
            }
            mv.frame(unknown);
            mv.visitTypeInsn(NEW, "java/lang/IllegalStateException");
            mv.visitInsn(DUP);
            mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "()V", false);
            mv.visitInsn(ATHROW);
        }

        /**
         * The way out of a chunk to a slot of another: a stub per target pushes it, and the common
         * code leaves the registers and budgets in {@code xfer} and returns the slot to the driver.
         */
        private void emitLeaveStubs() {
            for (Map.Entry<Integer, Label> stub : leaveStubs.entrySet()) {
                mv.frame(stub.getValue());
                pushInt(stub.getKey());
                mv.visitJumpInsn(GOTO, leave);
            }
        }

        private void emitLeave() {
            mv.frame(leave, INTEGER);
            mv.visitVarInsn(ISTORE, FAULT_PC);
            for (int r = 0; r <= 12; r++) {
                mv.visitVarInsn(ALOAD, ST);
                mv.visitFieldInsn(GETFIELD, STATE, "xfer", "[J");
                pushInt(r);
                mv.visitVarInsn(LLOAD, r <= 10 ? reg(r) : r == 11 ? BUDGET : MAY_GOTO);
                mv.visitInsn(LASTORE);
            }
            mv.visitVarInsn(ILOAD, FAULT_PC);
            mv.visitInsn(IRETURN);
        }

        /** Returns r0 (in its local) from the function: the value itself, or from a chunk -1 with r0 in {@code xfer[0]}. */
        private void returnR0() {
            if (split()) {
                mv.visitVarInsn(ALOAD, ST);
                mv.visitFieldInsn(GETFIELD, STATE, "xfer", "[J");
                mv.visitInsn(ICONST_0);
                load(0);
                mv.visitInsn(LASTORE);
                mv.visitInsn(ICONST_M1);
                mv.visitInsn(IRETURN);
            } else {
                load(0);
                mv.visitInsn(LRETURN);
            }
        }

        /**
         * Gives the scratch locals a value on entry, so that each local has one type in the whole
         * method and every frame can declare the same locals ({@link #frameLocals}).
         */
        private void initScratch() {
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, CALLEE);
            mv.visitInsn(ACONST_NULL);
            mv.visitVarInsn(ASTORE, TARGET);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, FAULT_PC);
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, ADDR);
        }

        /** The locals of every frame after the entry code, in the layout the constants above give. */
        private Object[] frameLocals() {
            java.util.List<Object> l = new java.util.ArrayList<>();
            l.add(STATE);
            l.add(INTEGER);
            for (int r = 0; r <= 10; r++) {
                l.add(LONG);
            }
            l.add(LONG); // BUDGET
            l.add(MEMORY); // MEM
            l.add(LONG); // MAY_GOTO
            l.add(TOP); // EXC: only between the handler's store and its throw
            l.add(INTEGER); // CALLEE
            l.add(PROGRAM); // TARGET
            l.add(INTEGER); // FAULT_PC
            l.add(INTEGER); // BLOCK (the slow method's copy of its parameter)
            for (int b = 0; b <= 10; b++) {
                if (cachedBases[b]) {
                    l.add(INTEGER);
                    l.add(INTEGER);
                    l.add(REGION);
                } else {
                    l.add(TOP);
                    l.add(TOP);
                    l.add(TOP);
                }
            }
            l.add(LONG); // ADDR
            return l.toArray();
        }

        private void spend(int instructions) {
            mv.visitVarInsn(LLOAD, BUDGET);
            pushLong(instructions);
            mv.visitInsn(LSUB);
            mv.visitVarInsn(LSTORE, BUDGET);
        }

        /**
         * The slow method: entered at a block whose length is more than the budget left, it runs
         * the block's straight-line instructions with the interpreter's count and check before
         * each, so the budget runs out at the interpreter's instruction (or an access faults
         * first, as there). It never reaches the block's last instruction; it returns the budget
         * fault for the caller to throw, having left the budget in the run state.
         */
        void emitSlow() {
            mv.visitCode();
            Label tryStart = new Label();
            Label tryEnd = new Label();
            Label handler = new Label();
            mv.visitTryCatchBlock(tryStart, tryEnd, handler, null);
            mv.visitVarInsn(ILOAD, BLOCK_PARAM);
            mv.visitVarInsn(ISTORE, BLOCK);
            mv.visitVarInsn(ALOAD, ST);
            mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "memory", "()L" + MEMORY + ";", false);
            mv.visitVarInsn(ASTORE, MEM);
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, MAY_GOTO);
            initScratch();
            clearCaches();
            mv.locals(frameLocals());
            // the shared ends come before the code that jumps to them: ASM keeps a label's forward
            // references in an array it grows by a few entries at a time (quadratic for hundreds)
            Label dispatch = new Label();
            Label exhausted = new Label();
            mv.visitJumpInsn(GOTO, dispatch);
            mv.frame(exhausted, INTEGER);
            mv.visitVarInsn(ISTORE, FAULT_PC);
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, BUDGET);
            mv.visitVarInsn(ALOAD, ST);
            mv.visitInsn(LCONST_0);
            mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "setBudget", "(J)V", false);
            mv.visitVarInsn(ALOAD, ST);
            mv.visitVarInsn(ILOAD, FAULT_PC);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "budgetExhausted", "(" + STATE_D + "I)Ljava/lang/RuntimeException;", false);
            mv.visitInsn(ARETURN);
            mv.frame(dispatch);
            mv.visitLabel(tryStart);
            java.util.List<Integer> heads = new java.util.ArrayList<>();
            for (int pc = from; pc <= to; pc++) {
                if (blocks.lengthAt(pc) > 0) {
                    heads.add(pc);
                }
            }
            int[] keys = heads.stream().mapToInt(Integer::intValue).toArray();
            Label[] cases = new Label[keys.length];
            for (int i = 0; i < keys.length; i++) {
                cases[i] = new Label();
            }
            Label unknown = new Label();
            mv.visitVarInsn(ILOAD, BLOCK);
            mv.visitLookupSwitchInsn(unknown, keys, cases);
            for (int i = 0; i < keys.length; i++) {
                mv.frame(cases[i]);
                int pc = keys[i];
                for (int n = blocks.lengthAt(pc); n > 1; n--) {
                    mv.visitVarInsn(LLOAD, BUDGET);
                    mv.visitInsn(LCONST_1);
                    mv.visitInsn(LSUB);
                    mv.visitInsn(DUP2);
                    mv.visitVarInsn(LSTORE, BUDGET);
                    mv.visitInsn(LCONST_0);
                    mv.visitInsn(LCMP);
                    Label go = new Label();
                    mv.visitJumpInsn(IFGE, go);
                    pushInt(pc);
                    mv.visitJumpInsn(GOTO, exhausted);
                    mv.frame(go);
                    instruction(pc, null);
                    do {
                        pc++;
                    } while (!emitted(pc));
                }
                // the block's last instruction: the budget (less than the block's length) is used up by now
                pushInt(pc);
                mv.visitJumpInsn(GOTO, exhausted);
            }
            mv.frame(unknown);
            mv.visitTypeInsn(NEW, "java/lang/IllegalStateException");
            mv.visitInsn(DUP);
            mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "()V", false);
            mv.visitInsn(ATHROW);
            mv.visitLabel(tryEnd);
            mv.frame(handler, "java/lang/Throwable");
            mv.visitVarInsn(ASTORE, EXC);
            mv.visitVarInsn(ALOAD, ST);
            mv.visitVarInsn(LLOAD, BUDGET);
            mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "setBudget", "(J)V", false);
            mv.visitVarInsn(ALOAD, EXC);
            mv.visitInsn(ATHROW);
            mv.visitMaxs(MAX_STACK, MAX_LOCALS);
            mv.visitEnd();
        }

        /** Where a jump to {@code slot} goes: its label in this method, or the stub that leaves the chunk for it. */
        private Label at(int slot) {
            if (slot < from || slot > to) {
                return leaveStubs.computeIfAbsent(slot, t -> new Label());
            }
            return label(slot);
        }

        private void instruction(int pc, Label[] callGap) {
            int o = op[pc];
            int dst = code.dst()[pc];
            int src = code.src()[pc];
            long imm = code.imm()[pc];
            String alu = ALU_CALLS.get(o);
            if (alu != null) {
                load(dst);
                operand(registerOperand(o), src, imm);
                mv.visitMethodInsn(INVOKESTATIC, ALU, alu, "(JJ)J", false);
                store(dst);
                return;
            }
            String cmp = comparison(o);
            if (cmp != null) {
                load(dst);
                operand((o & 0x08) != 0, src, imm);
                mv.visitMethodInsn(INVOKESTATIC, ALU, cmp, "(JJ)Z", false);
                mv.visitJumpInsn(IFNE, at(code.target()[pc]));
                return;
            }
            switch (o) {
                case 0x07, 0x0f -> inline64(dst, (o & 0x08) != 0, src, imm, LADD);
                case 0x17, 0x1f -> inline64(dst, (o & 0x08) != 0, src, imm, LSUB);
                case 0x27, 0x2f -> inline64(dst, (o & 0x08) != 0, src, imm, LMUL);
                case 0x47, 0x4f -> inline64(dst, (o & 0x08) != 0, src, imm, LOR);
                case 0x57, 0x5f -> inline64(dst, (o & 0x08) != 0, src, imm, LAND);
                case 0xa7, 0xaf -> inline64(dst, (o & 0x08) != 0, src, imm, LXOR);
                case 0x87 -> { load(dst); mv.visitInsn(LNEG); store(dst); }
                case 0xb7, 0x18 -> { pushLong(imm); store(dst); }
                case 0xbf -> { load(src); store(dst); }
                case DecodedProgram.LD_STATIC -> {
                    pushLong(imm);
                    mv.visitVarInsn(ALOAD, ST);
                    mv.visitFieldInsn(GETFIELD, STATE, "staticBase", "J");
                    mv.visitInsn(LADD);
                    store(dst);
                }
                case 0x84 -> unary(dst, dst, "neg32");
                case 0xb4 -> { pushLong(imm); mv.visitMethodInsn(INVOKESTATIC, ALU, "mov32", "(J)J", false); store(dst); }
                case 0xbc -> unary(dst, src, "mov32");
                case DecodedProgram.MOVSX64_8 -> widthOp(dst, src, "signExtend", 8);
                case DecodedProgram.MOVSX64_16 -> widthOp(dst, src, "signExtend", 16);
                case DecodedProgram.MOVSX64_32 -> widthOp(dst, src, "signExtend", 32);
                case DecodedProgram.MOVSX32_8 -> widthOp(dst, src, "signExtend32", 8);
                case DecodedProgram.MOVSX32_16 -> widthOp(dst, src, "signExtend32", 16);
                case 0xd7, 0xdc -> widthOp(dst, dst, "byteSwap", (int) imm);
                case 0xd4 -> widthOp(dst, dst, "toLittleEndian", (int) imm);
                case 0x61 -> load(pc, dst, src, "load32", 0);
                case 0x69 -> load(pc, dst, src, "load16", 0);
                case 0x71 -> load(pc, dst, src, "load8", 0);
                case 0x79 -> load(pc, dst, src, "load64", 0);
                case 0x81 -> load(pc, dst, src, "load32", I2L);
                case 0x89 -> load(pc, dst, src, "load16", I2S);
                case 0x91 -> load(pc, dst, src, "load8", I2B);
                case 0x62 -> store(pc, dst, false, src, imm, "store32");
                case 0x6a -> store(pc, dst, false, src, imm, "store16");
                case 0x72 -> store(pc, dst, false, src, imm, "store8");
                case 0x7a -> store(pc, dst, false, src, imm, "store64");
                case 0x63 -> store(pc, dst, true, src, imm, "store32");
                case 0x6b -> store(pc, dst, true, src, imm, "store16");
                case 0x73 -> store(pc, dst, true, src, imm, "store8");
                case 0x7b -> store(pc, dst, true, src, imm, "store64");
                case 0xc3, 0xdb, 0xcb, 0xd3 -> atomic(pc, o, dst, src, (int) imm);
                case 0x05, 0x06 -> mv.visitJumpInsn(GOTO, at(code.target()[pc]));
                case 0xe5 -> {
                    // may_goto: taken when this frame's budget is used up, otherwise counts down
                    Label go = new Label();
                    mv.visitVarInsn(LLOAD, MAY_GOTO);
                    mv.visitInsn(LCONST_0);
                    mv.visitInsn(LCMP);
                    mv.visitJumpInsn(IFEQ, at(code.target()[pc]));
                    mv.visitVarInsn(LLOAD, MAY_GOTO);
                    mv.visitInsn(LCONST_1);
                    mv.visitInsn(LSUB);
                    mv.visitVarInsn(LSTORE, MAY_GOTO);
                    mv.frame(go);
                }
                case 0x85 -> helperCall(pc, (int) imm);
                case DecodedProgram.TAIL_CALL -> tailCall(pc, callGap);
                case 0x0d -> gotox(pc, dst);
                case 0x20, 0x28, 0x30, 0x40, 0x48, 0x50 -> packetLoad(pc, o, src, imm);
                case DecodedProgram.CALL_LOCAL -> localCall(pc, code.target()[pc], callGap);
                case 0x8d -> callx(pc, dst, callGap);
                case 0x95 -> exit();
                case DecodedProgram.ILLEGAL -> fault(pc, code.reason(pc));
                default -> fault(pc, String.format("unknown opcode %#04x", codeAt(pc)));
            }
        }

        private void inline64(int dst, boolean x, int src, long imm, int insn) {
            load(dst);
            operand(x, src, imm);
            mv.visitInsn(insn);
            store(dst);
        }

        private void unary(int dst, int src, String name) {
            load(src);
            mv.visitMethodInsn(INVOKESTATIC, ALU, name, "(J)J", false);
            store(dst);
        }

        private void widthOp(int dst, int src, String name, int width) {
            load(src);
            pushInt(width);
            mv.visitMethodInsn(INVOKESTATIC, ALU, name, "(JI)J", false);
            store(dst);
        }

        /** A load; {@code narrow} is the cast that sign-extends it (0 for a zero-extending load). */
        private void load(int pc, int dst, int src, String name, int narrow) {
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
                cachedAccess(src, false, size, pc, checked);
                mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "get" + size * 8, "(Lio/bpf4j/jit/runtime/Region;J)J", false);
                mv.visitJumpInsn(GOTO, done);
                // the interpreter's checked access: faults as there, or serves a region the cache may not hold
                mv.frame(checked);
                mv.visitVarInsn(ALOAD, MEM);
                mv.visitVarInsn(LLOAD, ADDR);
                pushInt(pc);
                mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, name, "(JI)J", false);
                mv.frame(done, LONG);
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

        private void store(int pc, int dst, boolean x, int src, long imm, String name) {
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
            cachedAccess(dst, true, size, pc, checked);
            operand(x, src, imm);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "put" + size * 8, "(Lio/bpf4j/jit/runtime/Region;JJ)V", false);
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
         * then the cached region and the address on the operand stack. Anything the fast path
         * cannot serve goes to {@code checked}.
         */
        private void cachedAccess(int base, boolean write, int size, int pc, Label checked) {
            Label hit = new Label();
            boolean proven = provenInBounds(pc);
            address(base, pc);
            mv.visitVarInsn(LSTORE, ADDR);
            cacheLookup(base, write, size, pc, hit, checked);
            mv.frame(hit);
            if (!proven) {
                boundsCheck(base, size, checked);
            }
            mv.visitVarInsn(ALOAD, cacheRegion(base));
            mv.visitVarInsn(LLOAD, ADDR);
        }

        /**
         * The region cache of base register {@code base}: when the address's tag and id (its high
         * half) are the cached ones, on to {@code hit}; otherwise the checked lookup fills the
         * cache (faulting as the interpreter does) and goes on to {@code hit}, or to
         * {@code checked} for a region the cache may not hold. A write hits only a region cached
         * for writing, which the checked lookup has found writable.
         */
        private void cacheLookup(int base, boolean write, int size, int pc, Label hit, Label checked) {
            Label uncacheable = new Label();
            highHalf();
            mv.visitVarInsn(ILOAD, write ? cacheWriteId(base) : cacheId(base));
            mv.visitJumpInsn(IF_ICMPEQ, hit);
            mv.visitVarInsn(ALOAD, MEM);
            mv.visitVarInsn(LLOAD, ADDR);
            pushInt(size);
            mv.visitInsn(write ? ICONST_1 : ICONST_0);
            pushInt(pc);
            mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "cacheRegion", "(JIZI)Lio/bpf4j/jit/runtime/Region;", false);
            mv.visitInsn(DUP);
            mv.visitJumpInsn(IFNULL, uncacheable);
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
            mv.visitJumpInsn(GOTO, hit);
            mv.frame(uncacheable, REGION);
            mv.visitInsn(POP);
            mv.visitJumpInsn(GOTO, checked);
        }

        private void highHalf() {
            mv.visitVarInsn(LLOAD, ADDR);
            pushInt(32);
            mv.visitInsn(LUSHR);
            mv.visitInsn(L2I);
        }

        private void boundsCheck(int base, int size, Label outside) {
            mv.visitVarInsn(ALOAD, cacheRegion(base));
            mv.visitVarInsn(LLOAD, ADDR);
            pushInt(size);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "inBounds", "(Lio/bpf4j/jit/runtime/Region;JI)Z", false);
            mv.visitJumpInsn(IFEQ, outside);
        }

        /** Empties the region caches: on entry, and after calls (a helper may replace or revoke regions). */
        private void clearCaches() {
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
        private int frameOffset(int base, int pc, String name) {
            if (base != 10) {
                return -1;
            }
            int size = bytes(name);
            int off = code.off()[pc];
            return off >= -Memory.FRAME_SIZE && off + size <= 0 ? Memory.FRAME_SIZE + off : -1;
        }

        /** The access size of a Memory method name ending in its bit width ({@code load32}, {@code store8}). */
        private static int bytes(String name) {
            return name.endsWith("64") ? 8 : name.endsWith("32") ? 4 : name.endsWith("16") ? 2 : 1;
        }

        private void address(int base, int pc) {
            load(base);
            pushLong(code.off()[pc]);
            mv.visitInsn(LADD);
        }

        private void atomic(int pc, int o, int dst, int src, int operation) {
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

        private void syncBudgetOut() {
            mv.visitVarInsn(ALOAD, ST);
            mv.visitVarInsn(LLOAD, BUDGET);
            mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "setBudget", "(J)V", false);
        }

        /** After a call: the budget the callee left, and empty region caches (the callee may have replaced regions). */
        private void syncBudgetIn() {
            mv.visitVarInsn(ALOAD, ST);
            mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "budget", "()J", false);
            mv.visitVarInsn(LSTORE, BUDGET);
            clearCaches();
        }

        /** Whether the access at {@code pc} goes through its base register's region cache (loads and stores but r10's frame accesses). */
        private boolean cachedAccess(int pc) {
            int o = op[pc];
            if (!BasicBlocks.mayFault(o) || (o & 0x07) == 0x03 && (o & 0xe0) == 0xc0) {
                return false;
            }
            boolean load = (o & 0x07) == 0x01;
            int base = load ? code.src()[pc] : code.dst()[pc];
            return base != 10 || frameOffset(base, pc, "x" + Opcodes.sizeBytes(o) * 8) < 0;
        }

        private void helperCall(int pc, int id) {
            // callbacks (bpf_loop) spend from the same budget
            syncBudgetOut();
            mv.visitVarInsn(ALOAD, ST);
            pushInt(id);
            mv.visitVarInsn(ILOAD, DEPTH);
            pushInt(pc);
            for (int r = 1; r <= 5; r++) {
                load(r);
            }
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "callHelper", "(" + STATE_D + "IIIJJJJJ)J", false);
            store(0);
            syncBudgetIn();
        }

        /**
     * A call of function {@code callee} (or, when negative, of the function in CALLEE through
     * {@code dispatch}); {@code gap} brackets the invoke to keep it out of the fault handler's
     * range, {@code null} when the caller's code is outside that range already.
     */
    private void localCall(int pc, int callee, Label[] gap) {
            Label ok = new Label();
            mv.visitVarInsn(ILOAD, DEPTH);
            mv.visitInsn(ICONST_1);
            mv.visitInsn(IADD);
            pushInt(Memory.MAX_FRAMES);
            mv.visitJumpInsn(IF_ICMPLT, ok);
            pushInt(pc);
            mv.visitVarInsn(ILOAD, DEPTH);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "callDepth", "(II)Ljava/lang/RuntimeException;", false);
            mv.visitInsn(ATHROW);
            mv.frame(ok);
            syncBudgetOut();
            mv.visitVarInsn(ALOAD, ST);
            if (callee < 0) {
                mv.visitVarInsn(ILOAD, CALLEE);
            }
            mv.visitVarInsn(ILOAD, DEPTH);
            mv.visitInsn(ICONST_1);
            mv.visitInsn(IADD);
            // the callee starts with the caller's r0-r9, as in the interpreter's shared register file
            for (int r = 0; r <= 9; r++) {
                load(r);
            }
            if (gap != null) {
                mv.visitLabel(gap[0]);
            }
            if (callee < 0) {
                mv.visitMethodInsn(INVOKESTATIC, NAME, "dispatch", DISPATCH_D, false);
            } else {
                mv.visitMethodInsn(INVOKESTATIC, NAME, "f" + callee, FUNCTION_D, false);
            }
            if (gap != null) {
                mv.visitLabel(gap[1]);
            }
            store(0);
            syncBudgetIn();
            for (int r = 1; r <= 5; r++) {
                mv.visitVarInsn(ALOAD, ST);
                mv.visitFieldInsn(GETFIELD, STATE, "ret", "[J");
                pushInt(r);
                mv.visitInsn(LALOAD);
                store(r);
            }
        }

        /**
         * bpf_tail_call: when the prog array slot holds a program (and the run has tail calls
         * left), it runs in this frame and its r0 is this function's; it leaves r1-r5 for the
         * caller itself. Otherwise r0 = -ENOENT and execution goes on, as in the kernel.
         */
        private void tailCall(int pc, Label[] gap) {
            Label ran = new Label();
            Label next = new Label();
            mv.visitVarInsn(ALOAD, ST);
            load(2);
            load(3);
            pushInt(pc);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "tailCallTarget", "(" + STATE_D + "JJI)L" + PROGRAM + ";", false);
            mv.visitInsn(DUP);
            mv.visitVarInsn(ASTORE, TARGET);
            mv.visitJumpInsn(IFNONNULL, ran);
            pushLong(Errno.ENOENT.negated());
            store(0);
            mv.visitJumpInsn(GOTO, next);
            mv.frame(ran);
            syncBudgetOut();
            mv.visitVarInsn(ALOAD, ST);
            mv.visitVarInsn(ALOAD, TARGET);
            load(1);
            mv.visitVarInsn(ILOAD, DEPTH);
            mv.visitLabel(gap[0]);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "enterTailCall", "(" + STATE_D + "L" + PROGRAM + ";JI)J", false);
            mv.visitLabel(gap[1]);
            store(0);
            returnR0();
            mv.frame(next);
        }

        /**
         * gotox: with the verifier's targets, a switch on the pointer's high half straight to the
         * target (an exact instruction pointer naming one of them); without, the target the
         * interpreter would take, checked the same way, then a tableswitch over this function's slots.
         */
        private void gotox(int pc, int reg) {
            int[] targets = indirect.at(pc);
            if (targets != null) {
                Label other = exactPointerHighHalf(reg);
                int[] keys = new int[targets.length];
                Label[] cases = new Label[targets.length];
                for (int i = 0; i < targets.length; i++) {
                    keys[i] = pointerHighHalf(Pointers.TAG_INSN, targets[i]);
                    cases[i] = at(targets[i]);
                }
                mv.visitLookupSwitchInsn(other, keys, cases);
                // not one of the targets: the interpreter's fault for it (a sound verifier leaves no other case)
                mv.frame(other);
                mv.visitVarInsn(ALOAD, ST);
                load(reg);
                pushInt(function);
                pushInt(pc);
                mv.visitLdcInsn(java.util.Arrays.toString(targets));
                mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "gotoxOutsideTargets", "(" + STATE_D + "JIILjava/lang/String;)Ljava/lang/RuntimeException;", false);
                mv.visitInsn(ATHROW);
                return;
            }
            mv.visitVarInsn(ALOAD, ST);
            load(reg);
            pushInt(function);
            pushInt(pc);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "gotoxTarget", "(" + STATE_D + "JII)I", false);
            Label unreachable = new Label();
            Label elsewhere = unreachable;
            if (split()) {
                // a target in another chunk leaves for it: the switch covers this chunk's slots only
                elsewhere = new Label();
                mv.visitInsn(DUP);
                mv.visitVarInsn(ISTORE, FAULT_PC);
            }
            Label[] cases = new Label[to - from + 1];
            for (int t = from; t <= to; t++) {
                cases[t - from] = emitted(t) ? at(t) : unreachable;
            }
            mv.visitTableSwitchInsn(from, to, elsewhere, cases);
            if (split()) {
                mv.frame(elsewhere);
                mv.visitVarInsn(ILOAD, FAULT_PC);
                mv.visitJumpInsn(GOTO, leave);
            }
            mv.frame(unreachable);
            mv.visitTypeInsn(NEW, "java/lang/IllegalStateException");
            mv.visitInsn(DUP);
            mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "()V", false);
            mv.visitInsn(ATHROW);
        }

        /**
         * LD_ABS/LD_IND: r0 = the network-order value; a load outside the packet sets r0 = 0 and
         * leaves the function, as the kernel's rewrite of these instructions does.
         */
        private void packetLoad(int pc, int o, int src, long imm) {
            Label inPacket = new Label();
            mv.visitVarInsn(ALOAD, ST);
            pushInt(Opcodes.sizeBytes(o));
            if ((o & Opcodes.MODE_MASK) == Opcodes.IND) {
                load(src);
                pushLong(imm);
                mv.visitInsn(LADD);
                mv.visitInsn(L2I);
                mv.visitInsn(I2L);
            } else {
                pushLong((int) imm);
            }
            pushInt(pc);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "packetLoad", "(" + STATE_D + "IJI)J", false);
            store(0);
            load(0);
            mv.visitInsn(LCONST_0);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFGE, inPacket);
            mv.visitInsn(LCONST_0);
            store(0);
            exit();
            mv.frame(inPacket);
        }

        /**
         * The high half of register {@code reg} (a pointer's tag and id) on the operand stack when
         * its low half is a pointer's offset 0; otherwise a jump to the returned label, with an
         * empty stack.
         */
        private Label exactPointerHighHalf(int reg) {
            Label inexact = new Label();
            load(reg);
            mv.visitInsn(L2I);
            pushInt((int) Pointers.function(0));
            mv.visitJumpInsn(IF_ICMPNE, inexact);
            load(reg);
            pushInt(32);
            mv.visitInsn(LUSHR);
            mv.visitInsn(L2I);
            return inexact;
        }

        /**
         * callx. With the verifier's targets, a switch on the pointer (an exact function pointer
         * or call-table entry naming one of them) to a direct call of the callee's method. Any
         * other value, and every value without targets, takes the general way: resolved as the
         * interpreter resolves it (faulting where it faults), then a function through
         * {@code dispatch} or a helper by id. The budget is stored first, so the whole instruction
         * stays out of the fault handler's range ({@code gap}).
         */
        private void callx(int pc, int reg, Label[] gap) {
            Label function = new Label();
            Label done = new Label();
            mv.visitLabel(gap[0]);
            syncBudgetOut();
            int[] targets = indirect.at(pc);
            Label general = null;
            if (targets != null) {
                general = exactPointerHighHalf(reg);
                java.util.TreeMap<Integer, Label> byKey = new java.util.TreeMap<>();
                Label[] calls = new Label[targets.length];
                for (int i = 0; i < targets.length; i++) {
                    calls[i] = new Label();
                    byKey.put(pointerHighHalf(Pointers.TAG_FUNC, code.functionAt(targets[i])), calls[i]);
                    byKey.put(pointerHighHalf(Pointers.TAG_INSN, targets[i]), calls[i]);
                }
                mv.visitLookupSwitchInsn(general, byKey.keySet().stream().mapToInt(Integer::intValue).toArray(),
                        byKey.values().toArray(new Label[0]));
                for (int i = 0; i < targets.length; i++) {
                    mv.frame(calls[i]);
                    localCall(pc, code.functionAt(targets[i]), null);
                    mv.visitJumpInsn(GOTO, done);
                }
                mv.frame(general);
            }
            mv.visitVarInsn(ALOAD, ST);
            load(reg);
            pushInt(reg);
            pushInt(pc);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "callxTarget", "(" + STATE_D + "JII)I", false);
            mv.visitVarInsn(ISTORE, CALLEE);
            mv.visitVarInsn(ILOAD, CALLEE);
            mv.visitJumpInsn(IFGE, function);
            syncBudgetOut();
            mv.visitVarInsn(ALOAD, ST);
            mv.visitInsn(ICONST_M1);
            mv.visitVarInsn(ILOAD, CALLEE);
            mv.visitInsn(ISUB);
            mv.visitVarInsn(ILOAD, DEPTH);
            pushInt(pc);
            for (int r = 1; r <= 5; r++) {
                load(r);
            }
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "callHelper", "(" + STATE_D + "IIIJJJJJ)J", false);
            store(0);
            syncBudgetIn();
            mv.visitJumpInsn(GOTO, done);
            mv.frame(function);
            localCall(pc, -1, null);
            mv.frame(done);
            mv.visitLabel(gap[1]);
        }

        private void exit() {
            for (int r = 1; r <= 5; r++) {
                mv.visitVarInsn(ALOAD, ST);
                mv.visitFieldInsn(GETFIELD, STATE, "ret", "[J");
                pushInt(r);
                load(r);
                mv.visitInsn(LASTORE);
            }
            syncBudgetOut();
            returnR0();
        }

        private void fault(int pc, String reason) {
            pushInt(pc);
            pushInt(codeAt(pc));
            mv.visitLdcInsn(reason);
            mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "illegal", "(IILjava/lang/String;)Ljava/lang/RuntimeException;", false);
            mv.visitInsn(ATHROW);
        }

        private void operand(boolean register, int src, long imm) {
            if (register) {
                load(src);
            } else {
                pushLong(imm);
            }
        }

        private void load(int r) {
            mv.visitVarInsn(LLOAD, reg(r));
        }

        private void store(int r) {
            mv.visitVarInsn(LSTORE, reg(r));
        }

        private void pushLong(long v) {
            if (v == 0) {
                mv.visitInsn(LCONST_0);
            } else if (v == 1) {
                mv.visitInsn(LCONST_1);
            } else {
                mv.visitLdcInsn(v);
            }
        }

        private void pushInt(int v) {
            CodeGenerator.pushInt(mv, v);
        }
    }

    /** Whether the image's facts prove the access at {@code pc} inside its region (its bounds check can go). */
    private boolean provenInBounds(int pc) {
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

    private int codeAt(int pc) {
        int i = image.instructions().indexAtSlot(pc);
        return i >= 0 ? image.instructions().get(i).code() : 0;
    }
}
