package io.bpf4j.jit.compiler;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A method visitor that writes the method's stack map frames itself, so the class writer need
 * not compute them ({@code ClassWriter.COMPUTE_FRAMES} runs a data-flow analysis over every
 * method, which was most of the compiler's time). It can, because generated methods are
 * regular: after the method's entry code every local keeps one type ({@link #locals}), and at
 * every label the operand stack is empty or holds one known value. {@link #frame} places a
 * label with its frame (the first in full, the others "same locals", as every frame after the
 * entry has the same locals); a second frame at the same bytecode offset (two labels with no
 * instruction between) is dropped, as the class file allows one per offset.
 *
 * <p>Frames go only where the class file needs them: at jump targets and handlers
 * ({@link #frame}) and after an instruction that does not fall through ({@link #place}). Each
 * frame costs when the class is defined: HotSpot's verifier finds a jump's frame by a linear
 * search of the method's frames, and checks the locals at every frame.
 */
final class FramedMethodVisitor extends MethodVisitor {
    private Object[] locals;
    /** Whether this method has a frame yet: the first is written in full, the others as "same locals". */
    private boolean framed;
    /** Whether an instruction was written since the last frame (a frame needs its own offset). */
    private boolean instructionSinceFrame = true;
    /** Whether the last instruction written goes on to the next (not a goto, switch, return or throw). */
    private boolean fallsThrough = true;

    FramedMethodVisitor(MethodVisitor mv) {
        super(Opcodes.ASM9, mv);
    }

    /**
     * The locals every later frame declares, in {@code visitFrame}'s expanded form (a long is
     * one {@code Opcodes.LONG} entry); set once the entry code has given each its type.
     */
    void locals(Object... types) {
        this.locals = types.clone();
    }

    /** Places {@code label} with a frame of the current locals and {@code stack}. */
    void frame(Label label, Object... stack) {
        super.visitLabel(label);
        if (instructionSinceFrame) {
            // the compressed forms: ASM converts a frame's types one by one, and 40-odd locals per
            // frame cost more than the rest of the code generation
            if (!framed) {
                super.visitFrame(Opcodes.F_FULL, locals.length, locals, stack.length, stack);
                framed = true;
            } else if (stack.length == 0) {
                super.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
            } else if (stack.length == 1) {
                super.visitFrame(Opcodes.F_SAME1, 0, null, 1, stack);
            } else {
                super.visitFrame(Opcodes.F_FULL, locals.length, locals, stack.length, stack);
            }
            instructionSinceFrame = false;
        }
    }

    /**
     * Places {@code label}, no jump's target, with a frame only where the previous instruction
     * does not fall through (the verifier needs the frame to go on there).
     */
    void place(Label label) {
        if (fallsThrough) {
            super.visitLabel(label);
        } else {
            frame(label);
        }
    }

    private void wrote() {
        instructionSinceFrame = true;
        fallsThrough = true;
    }

    @Override
    public void visitInsn(int opcode) {
        wrote();
        fallsThrough = !(opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN || opcode == Opcodes.ATHROW);
        super.visitInsn(opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        wrote();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        wrote();
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        wrote();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        wrote();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        wrote();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
        wrote();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        wrote();
        fallsThrough = opcode != Opcodes.GOTO;
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        wrote();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        wrote();
        super.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        wrote();
        fallsThrough = false;
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        wrote();
        fallsThrough = false;
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        wrote();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }
}
