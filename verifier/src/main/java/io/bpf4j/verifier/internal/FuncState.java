package io.bpf4j.verifier.internal;

import java.util.Arrays;

/**
 * One call frame: registers R0-R10 and the stack, the kernel's {@code bpf_func_state}. Mutable
 * for the current path and copied whole when a branch is pushed or a checkpoint saved (the
 * kernel copies too; values themselves are immutable {@link Reg}s).
 */
final class FuncState {
    static final int MAX_REG = 11;
    static final int REG_SIZE = 8;
    static final int MAX_STACK = 512;

    static final byte INVALID = 0;
    static final byte SPILL = 1;
    static final byte MISC = 2;
    static final byte ZERO = 3;
    /** Bytes of an open-coded iterator's state (STACK_ITER); {@link #iters} holds the state. */
    static final byte ITER = 4;
    /** Bytes of a bpf_dynptr (STACK_DYNPTR, always two whole slots); {@link #dynptrs} holds the state. */
    static final byte DYNPTR = 5;
    private static final char[] TYPE_CHAR = {'?', 'r', 'm', '0', 'i', 'd'};

    /**
     * An iterator's state in its stack slots (the kernel keeps it in the slot's spilled_ptr):
     * the iterator type's name without {@code bpf_iter_} ({@code num}), its BTF size, the
     * reference acquired by {@code _new} (first slot only, 0 on the others), whether
     * {@code _next} may still return an element, and how many {@code _next} calls deep this
     * path is (never compared, it only keeps the infinite-loop check away).
     */
    record IterState(String type, int size, int refObjId, boolean active, int depth) {
        IterState withActive(boolean a) {
            return new IterState(type, size, refObjId, a, depth);
        }

        IterState deeper() {
            return new IterState(type, size, refObjId, active, depth + 1);
        }
    }

    /**
     * A dynptr's state in each of its two stack slots (the kernel keeps it in the slots'
     * spilled_ptr): its type, whether this is the first (higher) slot, the id its slices carry
     * ({@code dynptr_id}) and, for ringbuf dynptrs and their clones, the reference to release.
     */
    record DynptrState(DynptrKind kind, boolean first, int id, int refObjId) {
    }

    /** enum bpf_dynptr_type, with the names dynptr_type_str prints. */
    enum DynptrKind {
        LOCAL("local"), RINGBUF("ringbuf"), SKB("skb"), XDP("xdp");

        final String text;

        DynptrKind(String text) {
            this.text = text;
        }

        /** dynptr_type_refcounted. */
        boolean refcounted() {
            return this == RINGBUF;
        }
    }

    final Reg[] regs = new Reg[MAX_REG];
    /** Byte types of the allocated stack; index 0 is fp-1, growing downwards. */
    byte[] slotType = new byte[0];
    /** The spilled register of each 8-byte slot (index 0 is fp-8); null where no spill. */
    Reg[] spilled = new Reg[0];
    /** The iterator state of each 8-byte slot whose bytes are {@link #ITER}; null elsewhere. */
    IterState[] iters = new IterState[0];
    /** The dynptr state of each 8-byte slot whose bytes are {@link #DYNPTR}; null elsewhere. */
    DynptrState[] dynptrs = new DynptrState[0];
    final int frameno;
    /** The call insn in the caller (-1 for the main frame). */
    final int callsite;
    final int subprog;
    /** A synchronous callback's frame (bpf_loop, for_each_map_elem): returns to its call insn. */
    boolean inCallback;
    /** How many callback iterations this frame's call insn has started on this path. */
    int callbackDepth;

    FuncState(int frameno, int callsite, int subprog) {
        this.frameno = frameno;
        this.callsite = callsite;
        this.subprog = subprog;
        Arrays.fill(regs, Reg.NotInit.INSTANCE);
        regs[10] = Reg.Ptr.stack(frameno);
    }

    FuncState copy() {
        FuncState c = new FuncState(frameno, callsite, subprog);
        System.arraycopy(regs, 0, c.regs, 0, MAX_REG);
        c.slotType = slotType.clone();
        c.spilled = spilled.clone();
        c.iters = iters.clone();
        c.dynptrs = dynptrs.clone();
        c.inCallback = inCallback;
        c.callbackDepth = callbackDepth;
        return c;
    }

    int allocated() {
        return slotType.length;
    }

    /** Grows the stack to at least {@code size} bytes (rounded up to 8), as grow_stack_state does. */
    void grow(int size) {
        int n = (size + REG_SIZE - 1) / REG_SIZE * REG_SIZE;
        if (n <= slotType.length) {
            return;
        }
        // byte i of slot s is at index s*8 + i, where slot s covers [-(s+1)*8, -s*8)
        slotType = Arrays.copyOf(slotType, n);
        spilled = Arrays.copyOf(spilled, n / REG_SIZE);
        iters = Arrays.copyOf(iters, n / REG_SIZE);
        dynptrs = Arrays.copyOf(dynptrs, n / REG_SIZE);
    }

    /**
     * The type of the byte at frame offset {@code off} (negative). As in the kernel, byte index
     * 7 of a slot is its lowest address, so a spill marks indexes 7 down to 8-size.
     */
    byte typeAt(int off) {
        return slotType[-off - 1];
    }

    void setTypeAt(int off, byte t) {
        slotType[-off - 1] = t;
    }

    byte type(int spi, int b) {
        return slotType[spi * REG_SIZE + b];
    }

    void setType(int spi, int b, byte t) {
        slotType[spi * REG_SIZE + b] = t;
    }

    boolean isSpill(int spi) {
        return slotType[spi * REG_SIZE + REG_SIZE - 1] == SPILL;
    }

    boolean isIter(int spi) {
        return slotType[spi * REG_SIZE + REG_SIZE - 1] == ITER && iters[spi] != null;
    }

    String typeChars(int spi) {
        char[] c = new char[REG_SIZE];
        for (int b = 0; b < REG_SIZE; b++) {
            c[b] = TYPE_CHAR[slotType[spi * REG_SIZE + b]];
        }
        return new String(c);
    }
}
