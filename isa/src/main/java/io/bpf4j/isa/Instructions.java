package io.bpf4j.isa;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * An immutable list of instructions that also knows each instruction's slot index (what jump
 * and call offsets count, since {@code ld_imm64} takes two slots).
 *
 * <p>Instructions are kept packed, one {@code long} per slot, and decoded again on each
 * {@link #get}: a program of millions of instructions costs 12 bytes per instruction instead of
 * an object graph of several times that (issue 20's memory budget). An instruction that its slots
 * alone do not decode back to (an {@link Unknown} with a reason of its own, such as a truncated
 * tail) is kept aside as it was given.
 */
public final class Instructions extends AbstractList<Instruction> implements RandomAccess {
    private static final Instructions EMPTY = new Instructions(new long[0], new int[1], Map.of());

    private final long[] words;   // one packed slot per 8 bytes of program
    private final int[] slotOf;   // slotOf[i] = first slot of instruction i; slotOf[n] = total slots
    private final Map<Integer, Instruction> irregular;

    private Instructions(long[] words, int[] slotOf, Map<Integer, Instruction> irregular) {
        this.words = words;
        this.slotOf = slotOf;
        this.irregular = irregular;
    }

    public static Instructions of(List<? extends Instruction> list) {
        if (list instanceof Instructions already) {
            return already;
        }
        if (list.isEmpty()) {
            return EMPTY;
        }
        int n = list.size();
        int slots = 0;
        for (Instruction insn : list) {
            slots = Math.addExact(slots, insn.slots());
        }
        long[] words = new long[slots];
        int[] slotOf = new int[n + 1];
        Map<Integer, Instruction> irregular = new HashMap<>();
        int s = 0;
        for (int i = 0; i < n; i++) {
            Instruction insn = list.get(i);
            slotOf[i] = s;
            for (Slot raw : insn.raw()) {
                words[s++] = pack(raw);
            }
            if (!decodeAt(words, slotOf[i], s).equals(insn)) {
                irregular.put(i, insn);
            }
        }
        slotOf[n] = s;
        return new Instructions(words, slotOf, irregular.isEmpty() ? Map.of() : Map.copyOf(irregular));
    }

    public static Instructions of(Instruction... list) {
        return of(Arrays.asList(list));
    }

    /**
     * Instructions from packed slots as {@link #pack} makes them: each slot starts an
     * instruction except the second half of an {@code ld_imm64}; an {@code ld_imm64} in the last
     * slot is an {@link Unknown}. The array is used as it is, not copied.
     */
    static Instructions ofPacked(long[] words, int slots, Map<Integer, Instruction> irregular) {
        int n = 0;
        for (int s = 0; s < slots; s += width(words, s, slots)) {
            n++;
        }
        int[] slotOf = new int[n + 1];
        int i = 0;
        for (int s = 0; s < slots; s += width(words, s, slots)) {
            slotOf[i++] = s;
        }
        slotOf[n] = slots;
        long[] exact = words.length == slots ? words : Arrays.copyOf(words, slots);
        return new Instructions(exact, slotOf, irregular.isEmpty() ? Map.of() : Map.copyOf(irregular));
    }

    private static int width(long[] words, int s, int slots) {
        return codeOf(words[s]) == Opcodes.CODE_LD_IMM64 && s + 1 < slots ? 2 : 1;
    }

    @Override
    public Instruction get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("instruction " + index + " of " + size());
        }
        if (!irregular.isEmpty()) {
            Instruction kept = irregular.get(index);
            if (kept != null) {
                return kept;
            }
        }
        return decodeAt(words, slotOf[index], slotOf[index + 1]);
    }

    @Override
    public int size() {
        return slotOf.length - 1;
    }

    /** The first slot of instruction {@code index}; {@code slotOf(size())} is the total slot count. */
    public int slotOf(int index) {
        return slotOf[index];
    }

    /** Total number of 8-byte slots. */
    public int slotCount() {
        return slotOf[size()];
    }

    /** The raw slot at {@code slot} (either half of an {@code ld_imm64} included). */
    public Slot slotAt(int slot) {
        return unpack(words[slot]);
    }

    /**
     * The instruction starting at {@code slot}, or -1 when no instruction starts there (the
     * slot is the second half of an {@code ld_imm64}, or out of range).
     */
    public int indexAtSlot(int slot) {
        int i = Arrays.binarySearch(slotOf, 0, size(), slot);
        return i >= 0 ? i : -1;
    }

    /**
     * This list with instruction {@code index} replaced. An instruction of the same width only
     * has its slots overwritten in a copy of the packed words (no instruction is decoded);
     * one of another width shifts the slot indices after it.
     */
    public Instructions with(int index, Instruction insn) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("instruction " + index + " of " + size());
        }
        List<Slot> raw = insn.raw();
        int from = slotOf[index];
        int width = slotOf[index + 1] - from;
        if (raw.size() != width) {
            Instruction[] copy = toArray(new Instruction[0]);
            copy[index] = insn;
            return of(Arrays.asList(copy));
        }
        long[] copy = words.clone();
        for (int k = 0; k < width; k++) {
            copy[from + k] = pack(raw.get(k));
        }
        Map<Integer, Instruction> kept = irregular;
        boolean regular = decodeAt(copy, from, from + width).equals(insn);
        if (kept.containsKey(index) || !regular) {
            Map<Integer, Instruction> changed = new HashMap<>(kept);
            if (regular) {
                changed.remove(index);
            } else {
                changed.put(index, insn);
            }
            kept = changed.isEmpty() ? Map.of() : Map.copyOf(changed);
        }
        return new Instructions(copy, slotOf, kept);
    }

    private static Instruction decodeAt(long[] words, int from, int to) {
        Slot first = unpack(words[from]);
        return InstructionCodec.classify(first, to - from == 2 ? unpack(words[from + 1]) : null);
    }

    /** One slot as a {@code long}: code, dst, src, off and imm, 64 bits in all. */
    static long pack(Slot s) {
        return (long) s.code() << 56 | (long) s.dst() << 52 | (long) s.src() << 48
                | (long) (s.off() & 0xffff) << 32 | (s.imm() & 0xffffffffL);
    }

    static Slot unpack(long w) {
        return new Slot(codeOf(w), (int) (w >>> 52) & 0xf, (int) (w >>> 48) & 0xf, (short) (w >>> 32), (int) w);
    }

    static int codeOf(long w) {
        return (int) (w >>> 56) & 0xff;
    }
}
