package io.bpf4j.jit.compiler;

import static io.bpf4j.jit.compiler.MethodLayout.*;
import static org.objectweb.asm.Opcodes.*;

import io.bpf4j.jit.internal.DecodedProgram;
import java.util.Map;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits one generated method: a whole function ({@code f<k>}), one chunk of a split function
 * ({@code c<k>_<n>}), or a function's slow method ({@link #emitSlow}). It lays out the method
 * (entry code, the shared ends, the fault handler that stores the budget, each slot's code with
 * the budget compared once per basic block) and translates the straight-line
 * instructions; memory accesses and control flow come from the layers below.
 */
final class FunctionEmitter extends ControlFlowEmitter {
    FunctionEmitter(CodeGenerator gen, MethodVisitor mv, int f, BasicBlocks blocks, FunctionChunks chunks, int chunk) {
        super(gen, mv, f, blocks, chunks, chunk);
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

    /** After {@link #emit}: records where each of this method's slots begins, as method {@code name}. */
    void recordPositions(String name) {
        int method = gen.addMethod(name);
        for (int pc = from; pc <= to && pc < code.length(); pc++) {
            if (emitted(pc)) {
                gen.setPosition(pc, method, label(pc).getOffset());
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
        // entries at a time, which is quadratic for the hundreds of blocks of a large function,
        // and HotSpot's verifier finds a jump's frame by a linear search from the method's start
        Label slowPath = new Label();
        Label body = new Label();
        mv.visitJumpInsn(GOTO, body);
        // outside the handler's range: the slow method leaves the budget in the run state itself
        mv.frame(slowPath);
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
        budgetStoringHandler(handler);
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
            if (jumpedTo(pc)) {
                mv.frame(label(pc));
            } else {
                mv.place(label(pc));
            }
            // the slot as the line number: profilers and stack traces name BPF instructions
            mv.visitLineNumber(pc, label(pc));
            if (blocks.lengthAt(pc) > 0) {
                length = blocks.lengthAt(pc);
                index = 0;
                spent = 0;
                // the block's first slot for the slow method, in a local: one shared jump target, no stub per block
                pushInt(pc);
                mv.visitVarInsn(ISTORE, FAULT_PC);
                mv.visitVarInsn(LLOAD, BUDGET);
                pushLong(length);
                mv.visitInsn(LCMP);
                mv.visitJumpInsn(IFLT, slowPath);
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
        if (split()) {
            emitLeaveStubs();
        }
        mv.visitLabel(tryEnd);
        mv.visitLabel(end);
        mv.visitMaxs(MAX_STACK, maxLocals);
        mv.visitEnd();
    }

    /**
     * The handler that stores this method's budget in the run state when a fault leaves it, as
     * the interpreter's finally does. It comes before the code it covers: HotSpot's verifier
     * checks every instruction in a handler's range against the handler's frame, which it finds
     * by a linear search of the method's frames, so a handler at the end made defining a large
     * method quadratic in its size.
     */
    private void budgetStoringHandler(Label handler) {
        mv.frame(handler, "java/lang/Throwable");
        mv.visitVarInsn(ASTORE, EXC);
        syncBudgetOut();
        mv.visitVarInsn(ALOAD, EXC);
        mv.visitInsn(ATHROW);
    }

    /** A function method's entry: a new frame (r10), the budgets from the run state. */
    private void enterFunction() {
        MethodLayout.enterFunction(mv);
        clearCaches();
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
        l.add(LONG); // ADDR
        for (int b = 0; b <= 10; b++) {
            if (cachedBases[b]) {
                l.add(INTEGER);
                l.add(INTEGER);
                l.add(REGION);
            }
        }
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
        budgetStoringHandler(handler);
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
        mv.visitMaxs(MAX_STACK, maxLocals);
        mv.visitEnd();
    }

    private void instruction(int pc, Label[] callGap) {
        int o = op[pc];
        int dst = code.dst()[pc];
        int src = code.src()[pc];
        long imm = code.imm()[pc];
        String alu = CodeGenerator.ALU_CALLS.get(o);
        if (alu != null) {
            load(dst);
            operand(CodeGenerator.registerOperand(o), src, imm);
            mv.visitMethodInsn(INVOKESTATIC, ALU, alu, "(JJ)J", false);
            store(dst);
            return;
        }
        String cmp = CodeGenerator.comparison(o);
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
            default -> fault(pc, String.format("unknown opcode %#04x", gen.codeAt(pc)));
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
}
