package io.bpf4j.isa;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.RandomAccess;

/**
 * A growable list of raw slots, packed one {@code long} per slot, for code that edits a program
 * slot by slot (a linker appending subprograms and patching immediates) before it becomes
 * {@link Instructions}. Supports {@code get}, {@code set} and appending.
 */
public final class SlotBuffer extends AbstractList<Slot> implements RandomAccess {
    private long[] words;
    private int size;

    public SlotBuffer() {
        this(16);
    }

    public SlotBuffer(int capacity) {
        words = new long[Math.max(capacity, 1)];
    }

    /** The slots of {@code insns}, in order. */
    public static SlotBuffer of(Instructions insns) {
        SlotBuffer b = new SlotBuffer(insns.slotCount());
        b.addAll(insns);
        return b;
    }

    @Override
    public Slot get(int index) {
        return Instructions.unpack(words[checked(index)]);
    }

    @Override
    public Slot set(int index, Slot slot) {
        int i = checked(index);
        Slot old = Instructions.unpack(words[i]);
        words[i] = Instructions.pack(slot);
        return old;
    }

    @Override
    public boolean add(Slot slot) {
        grow(1);
        words[size++] = Instructions.pack(slot);
        modCount++;
        return true;
    }

    /** Appends every slot of {@code insns}. */
    public void addAll(Instructions insns) {
        int n = insns.slotCount();
        grow(n);
        for (int s = 0; s < n; s++) {
            words[size++] = Instructions.pack(insns.slotAt(s));
        }
        modCount++;
    }

    @Override
    public boolean addAll(Collection<? extends Slot> slots) {
        grow(slots.size());
        for (Slot s : slots) {
            words[size++] = Instructions.pack(s);
        }
        modCount++;
        return !slots.isEmpty();
    }

    @Override
    public int size() {
        return size;
    }

    /** The slots decoded as instructions; this buffer can go on changing without affecting them. */
    public Instructions toInstructions() {
        return Instructions.ofPacked(Arrays.copyOf(words, size), size, Map.of());
    }

    private int checked(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("slot " + index + " of " + size);
        }
        return index;
    }

    private void grow(int more) {
        int need = Math.addExact(size, more);
        if (need > words.length) {
            words = Arrays.copyOf(words, Math.max(need, words.length + (words.length >> 1)));
        }
    }
}
