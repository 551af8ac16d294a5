package io.bpf4j.jit.compiler;

import static io.bpf4j.jit.compiler.MethodLayout.*;
import static org.objectweb.asm.Opcodes.*;

import io.bpf4j.jit.internal.DecodedProgram;
import java.util.Map;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * What every layer of a generated method's emitter shares: the method, which slots it holds (a
 * whole function, or one chunk of a split function), the labels of those slots and of the ways
 * out, and the basic pushes, loads and stores of registers. The layers above add memory
 * accesses ({@link MemoryAccessEmitter}), calls and other control flow
 * ({@link ControlFlowEmitter}) and the method's structure and instructions
 * ({@link FunctionEmitter}).
 */
abstract class MethodEmitter {
    final CodeGenerator gen;
    final DecodedProgram code;
    final int[] op;
    final IndirectTargets indirect;
    final FramedMethodVisitor mv;
    final int start;
    final int function;
    /** Last slot emitted, inclusive: the last function also holds the ILLEGAL slot past the end. */
    final int last;
    /** The chunk this method holds, {@code [from, to]}: the whole function unless it is split. */
    final int from, to;
    /** How the function is split, or {@code null}; and which chunk this method is. */
    final FunctionChunks chunks;
    final int chunk;
    /** Per target slot outside this chunk, the stub that leaves for it. */
    final Map<Integer, Label> leaveStubs = new java.util.TreeMap<>();
    final Label leave = new Label();
    final Label end = new Label();
    final Label[] labels;
    final BasicBlocks blocks;
    /**
     * Per slot of this method: whether code jumps to it, so that its label takes a stack map
     * frame; the others are placed without one (HotSpot's verifier pays for each frame when the
     * class is defined). Known before the slots are emitted, for backward jumps.
     */
    private final boolean[] jumpedTo;

    MethodEmitter(CodeGenerator gen, MethodVisitor mv, int f, BasicBlocks blocks, FunctionChunks chunks, int chunk) {
        this.gen = gen;
        this.code = gen.code();
        this.op = code.op();
        this.indirect = gen.indirect();
        this.mv = new FramedMethodVisitor(mv);
        this.start = code.functionStart(f);
        this.function = f;
        this.last = gen.lastSlot(f);
        this.chunks = chunks;
        this.chunk = chunk;
        this.from = chunks == null ? start : chunks.from(chunk);
        this.to = chunks == null ? last : chunks.to(chunk);
        this.labels = new Label[to - from + 1];
        this.blocks = blocks;
        this.jumpedTo = jumpTargets();
    }

    /**
     * The slots of {@code [from, to]} that jumps, {@code may_goto}, {@code gotox} and a chunk's
     * entry switch go to (every slot, for a {@code gotox} whose targets are unknown).
     */
    private boolean[] jumpTargets() {
        boolean[] t = new boolean[to - from + 1];
        boolean any = split() && chunks.anySlotEntry();
        if (split() && !any) {
            for (int e : chunks.entries(chunk)) {
                t[e - from] = true;
            }
        }
        int[] target = code.target();
        for (int pc = from; pc <= to && !any; pc++) {
            if (!emitted(pc)) {
                continue;
            }
            if (BasicBlocks.jumps(op[pc])) {
                mark(t, target[pc]);
            } else if (op[pc] == 0x0d) {
                int[] known = indirect.at(pc);
                if (known == null) {
                    any = true;
                } else {
                    for (int k : known) {
                        mark(t, k);
                    }
                }
            }
        }
        if (any) {
            java.util.Arrays.fill(t, true);
        }
        return t;
    }

    private void mark(boolean[] targets, int slot) {
        if (slot >= from && slot <= to) {
            targets[slot - from] = true;
        }
    }

    /** Whether slot {@code pc}'s label takes a frame: some code of this method jumps to it. */
    boolean jumpedTo(int pc) {
        return jumpedTo[pc - from];
    }

    /** The label of slot {@code pc} of this method (created when first asked for). */
    Label label(int pc) {
        Label l = labels[pc - from];
        if (l == null) {
            l = new Label();
            labels[pc - from] = l;
        }
        return l;
    }

    boolean emitted(int pc) {
        return pc == code.length() || code.startsInstruction(pc);
    }

    boolean split() {
        return chunks != null;
    }

    /** Where a jump to {@code slot} goes: its label in this method, or the stub that leaves the chunk for it. */
    Label at(int slot) {
        if (slot < from || slot > to) {
            return leaveStubs.computeIfAbsent(slot, t -> new Label());
        }
        if (!jumpedTo[slot - from]) {
            // jumpTargets() missed it: the slot's label may be placed without a frame already
            throw new IllegalStateException("prog slot " + slot + ": jumped to, but not found as a jump target before emitting");
        }
        return label(slot);
    }

    /** Returns r0 (in its local) from the function: the value itself, or from a chunk -1 with r0 in {@code xfer[0]}. */
    void returnR0() {
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

    void operand(boolean register, int src, long imm) {
        if (register) {
            load(src);
        } else {
            pushLong(imm);
        }
    }

    void load(int r) {
        mv.visitVarInsn(LLOAD, reg(r));
    }

    void store(int r) {
        mv.visitVarInsn(LSTORE, reg(r));
    }

    void pushLong(long v) {
        if (v == 0) {
            mv.visitInsn(LCONST_0);
        } else if (v == 1) {
            mv.visitInsn(LCONST_1);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    void pushInt(int v) {
        MethodLayout.pushInt(mv, v);
    }
}
