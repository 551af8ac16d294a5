package io.bpf4j.jit.compiler;

import static io.bpf4j.jit.compiler.MethodLayout.*;
import static org.objectweb.asm.Opcodes.*;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.abi.Errno;
import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.Pointers;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * The instructions of a generated method that leave straight-line code: helper calls, calls of
 * the program's functions (direct, through {@code dispatch}, or for {@code callx} with the
 * verifier's targets a switch over direct calls), tail calls, {@code gotox}, the legacy packet
 * loads, {@code exit} and illegal slots. Each keeps the interpreter's budget at the call and its
 * faults.
 */
abstract class ControlFlowEmitter extends MemoryAccessEmitter {
    ControlFlowEmitter(CodeGenerator gen, MethodVisitor mv, int f, BasicBlocks blocks, FunctionChunks chunks, int chunk) {
        super(gen, mv, f, blocks, chunks, chunk);
    }

    void syncBudgetOut() {
        mv.visitVarInsn(ALOAD, ST);
        mv.visitVarInsn(LLOAD, BUDGET);
        mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "setBudget", "(J)V", false);
    }

    /** After a call: the budget the callee left, and empty region caches (the callee may have replaced regions). */
    void syncBudgetIn() {
        mv.visitVarInsn(ALOAD, ST);
        mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "budget", "()J", false);
        mv.visitVarInsn(LSTORE, BUDGET);
        clearCaches();
    }

    void helperCall(int pc, int id) {
        if (!gen.helperConstant(id)) {
            // not bound: Support faults as the interpreter does
            helperCall(pc, () -> pushInt(id));
            return;
        }
        // callbacks (bpf_loop) spend from the same budget
        syncBudgetOut();
        // the image's helper from a static final field: HotSpot sees one implementation and inlines it
        mv.visitFieldInsn(GETSTATIC, NAME, helperField(id), HELPER_D);
        mv.visitVarInsn(ALOAD, ST);
        mv.visitVarInsn(ILOAD, DEPTH);
        pushInt(pc);
        mv.visitMethodInsn(INVOKEVIRTUAL, STATE, "enterHelper", "(II)V", false);
        mv.visitVarInsn(ALOAD, ST);
        for (int r = 1; r <= 5; r++) {
            load(r);
        }
        mv.visitMethodInsn(INVOKEINTERFACE, HELPER, "call", "(L" + HELPER_RUNTIME + ";JJJJJ)J", true);
        store(0);
        syncBudgetIn();
    }

    /** A call through {@code Support} of the helper whose id {@code pushId} pushes, with r1-r5; r0 is its result. */
    private void helperCall(int pc, Runnable pushId) {
        // callbacks (bpf_loop) spend from the same budget
        syncBudgetOut();
        mv.visitVarInsn(ALOAD, ST);
        pushId.run();
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
    void localCall(int pc, int callee, Label[] gap) {
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
        // the others are not read before written: the callee's values are never seen
        reload(gen.returned().afterCall(pc));
    }

    /** Reloads the registers of {@code registers} (bit r for register r) from {@code ret}. */
    private void reload(int registers) {
        for (int r = 1; r <= 5; r++) {
            if ((registers & 1 << r) != 0) {
                mv.visitVarInsn(ALOAD, ST);
                mv.visitFieldInsn(GETFIELD, STATE, "ret", "[J");
                pushInt(r);
                mv.visitInsn(LALOAD);
                store(r);
            }
        }
    }

    /** Hands back the registers of {@code registers} (bit r for register r) in {@code ret}. */
    private void handBack(int registers) {
        for (int r = 1; r <= 5; r++) {
            if ((registers & 1 << r) != 0) {
                mv.visitVarInsn(ALOAD, ST);
                mv.visitFieldInsn(GETFIELD, STATE, "ret", "[J");
                pushInt(r);
                load(r);
                mv.visitInsn(LASTORE);
            }
        }
    }


    /**
     * bpf_tail_call: when the prog array slot holds a program (and the run has tail calls
     * left), it runs in this frame and its r0 is this function's; it leaves r1-r5 for the
     * caller itself. Otherwise r0 = -ENOENT and execution goes on, as in the kernel.
     */
    void tailCall(int pc, Label[] gap) {
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
        // the target ran on a register file of its own: the caller sees this function's r1-r5
        handBack(gen.returned().atExit(function));
        returnR0();
        mv.frame(next);
    }

    /**
     * gotox: with the verifier's targets, a switch on the pointer's high half straight to the
     * target (an exact instruction pointer naming one of them); without, the target the
     * interpreter would take, checked the same way, then a tableswitch over this function's slots.
     */
    void gotox(int pc, int reg) {
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
    void packetLoad(int pc, int o, int src, long imm) {
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
    Label exactPointerHighHalf(int reg) {
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
    void callx(int pc, int reg, Label[] gap) {
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
        // a helper: callxTarget returned -1 - its id
        helperCall(pc, () -> {
            mv.visitInsn(ICONST_M1);
            mv.visitVarInsn(ILOAD, CALLEE);
            mv.visitInsn(ISUB);
        });
        mv.visitJumpInsn(GOTO, done);
        mv.frame(function);
        localCall(pc, -1, null);
        mv.frame(done);
        mv.visitLabel(gap[1]);
    }

    void exit() {
        // what callers read after the call
        handBack(gen.returned().atExit(function));
        syncBudgetOut();
        returnR0();
    }

    void fault(int pc, String reason) {
        pushInt(pc);
        pushInt(gen.codeAt(pc));
        mv.visitLdcInsn(reason);
        mv.visitMethodInsn(INVOKESTATIC, SUPPORT, "illegal", "(IILjava/lang/String;)Ljava/lang/RuntimeException;", false);
        mv.visitInsn(ATHROW);
    }
}
