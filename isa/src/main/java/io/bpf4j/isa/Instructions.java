package io.bpf4j.isa;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of instructions that also knows each instruction's slot index (what jump
 * and call offsets count, since {@code ld_imm64} takes two slots).
 */
public final class Instructions extends AbstractList<Instruction> implements RandomAccess {
    private static final Instructions EMPTY = new Instructions(new Instruction[0]);

    private final Instruction[] insns;
    private final int[] slotOf; // slotOf[i] = first slot of insns[i]; slotOf[n] = total slots

    private Instructions(Instruction[] insns) {
        this.insns = insns;
        this.slotOf = new int[insns.length + 1];
        for (int i = 0; i < insns.length; i++) {
            slotOf[i + 1] = slotOf[i] + insns[i].slots();
        }
    }

    public static Instructions of(List<? extends Instruction> list) {
        if (list instanceof Instructions already) {
            return already;
        }
        return list.isEmpty() ? EMPTY : new Instructions(list.toArray(new Instruction[0]));
    }

    public static Instructions of(Instruction... list) {
        return new Instructions(list.clone());
    }

    @Override
    public Instruction get(int index) {
        return insns[index];
    }

    @Override
    public int size() {
        return insns.length;
    }

    /** The first slot of instruction {@code index}; {@code slotOf(size())} is the total slot count. */
    public int slotOf(int index) {
        return slotOf[index];
    }

    /** Total number of 8-byte slots. */
    public int slotCount() {
        return slotOf[insns.length];
    }

    /**
     * The instruction starting at {@code slot}, or -1 when no instruction starts there (the
     * slot is the second half of an {@code ld_imm64}, or out of range).
     */
    public int indexAtSlot(int slot) {
        int i = Arrays.binarySearch(slotOf, 0, insns.length, slot);
        return i >= 0 ? i : -1;
    }

    /** This list with instruction {@code index} replaced; slot indices are recomputed. */
    public Instructions with(int index, Instruction insn) {
        Instruction[] copy = insns.clone();
        copy[index] = insn;
        return new Instructions(copy);
    }
}
