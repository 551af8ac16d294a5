package io.bpf4j.isa;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes instructions in either byte order. In a little-endian object the
 * register byte holds dst in its low nibble and src in its high nibble; big-endian objects
 * swap the nibbles, and off and imm follow the object's byte order.
 */
public final class InstructionCodec {
    public static final int SLOT_SIZE = 8;

    private InstructionCodec() {}

    /** Reads one raw slot at {@code offset}; the caller guarantees 8 bytes are there. */
    public static Slot readSlot(byte[] bytes, int offset, ByteOrder order) {
        int code = bytes[offset] & 0xff;
        int regs = bytes[offset + 1] & 0xff;
        int dst, src;
        short off;
        int imm;
        if (order == ByteOrder.LITTLE_ENDIAN) {
            dst = regs & 0xf;
            src = regs >>> 4;
            off = (short) ((bytes[offset + 2] & 0xff) | (bytes[offset + 3] & 0xff) << 8);
            imm = (bytes[offset + 4] & 0xff) | (bytes[offset + 5] & 0xff) << 8
                    | (bytes[offset + 6] & 0xff) << 16 | (bytes[offset + 7] & 0xff) << 24;
        } else {
            dst = regs >>> 4;
            src = regs & 0xf;
            off = (short) ((bytes[offset + 2] & 0xff) << 8 | (bytes[offset + 3] & 0xff));
            imm = (bytes[offset + 4] & 0xff) << 24 | (bytes[offset + 5] & 0xff) << 16
                    | (bytes[offset + 6] & 0xff) << 8 | (bytes[offset + 7] & 0xff);
        }
        return new Slot(code, dst, src, off, imm);
    }

    /** Writes one raw slot at {@code offset}. */
    public static void writeSlot(Slot s, byte[] out, int offset, ByteOrder order) {
        out[offset] = (byte) s.code();
        if (order == ByteOrder.LITTLE_ENDIAN) {
            out[offset + 1] = (byte) (s.dst() | s.src() << 4);
            out[offset + 2] = (byte) s.off();
            out[offset + 3] = (byte) (s.off() >> 8);
            out[offset + 4] = (byte) s.imm();
            out[offset + 5] = (byte) (s.imm() >> 8);
            out[offset + 6] = (byte) (s.imm() >> 16);
            out[offset + 7] = (byte) (s.imm() >> 24);
        } else {
            out[offset + 1] = (byte) (s.dst() << 4 | s.src());
            out[offset + 2] = (byte) (s.off() >> 8);
            out[offset + 3] = (byte) s.off();
            out[offset + 4] = (byte) (s.imm() >> 24);
            out[offset + 5] = (byte) (s.imm() >> 16);
            out[offset + 6] = (byte) (s.imm() >> 8);
            out[offset + 7] = (byte) s.imm();
        }
    }

    /**
     * Decodes {@code length} bytes from {@code offset}. Never throws on content: unknown
     * encodings, a trailing partial slot and an {@code ld_imm64} missing its second half become
     * {@link Unknown} instructions.
     */
    public static Instructions decode(byte[] bytes, int offset, int length, ByteOrder order) {
        if (offset < 0 || length < 0 || offset + length > bytes.length || offset + length < 0) {
            throw new BpfException("instruction bytes [" + offset + ", " + offset + "+" + length + ") outside a buffer of " + bytes.length);
        }
        int slots = length / SLOT_SIZE;
        boolean partial = length % SLOT_SIZE != 0;
        long[] words = new long[slots + (partial ? 1 : 0)];
        for (int i = 0; i < slots; i++) {
            words[i] = Instructions.pack(readSlot(bytes, offset + i * SLOT_SIZE, order));
        }
        if (!partial) {
            return Instructions.ofPacked(words, slots, Map.of());
        }
        // A partial slot is reported, not dropped: nothing silently disappears.
        byte[] tail = new byte[SLOT_SIZE];
        System.arraycopy(bytes, offset + slots * SLOT_SIZE, tail, 0, length % SLOT_SIZE);
        Slot last = readSlot(tail, 0, order);
        words[slots] = Instructions.pack(last);
        Instructions packed = Instructions.ofPacked(words, slots + 1, Map.of());
        // The partial slot must stand alone even when the slot before it is an ld_imm64's first half.
        if (packed.slotOf(packed.size() - 1) != slots) {
            List<Instruction> out = new ArrayList<>(packed);
            out.set(out.size() - 1, Instruction.of(packed.slotAt(slots - 1), null));
            out.add(new Unknown(last, "truncated instruction: " + (length % SLOT_SIZE) + " of 8 bytes"));
            return Instructions.of(out);
        }
        return Instructions.ofPacked(words, slots + 1,
                Map.of(packed.size() - 1, new Unknown(last, "truncated instruction: " + (length % SLOT_SIZE) + " of 8 bytes")));
    }

    public static Instructions decode(byte[] bytes, ByteOrder order) {
        return decode(bytes, 0, bytes.length, order);
    }

    /** Encodes instructions slot by slot. */
    public static byte[] encode(List<? extends Instruction> insns, ByteOrder order) {
        int slots = 0;
        for (Instruction insn : insns) {
            slots += insn.raw().size();
        }
        byte[] out = new byte[slots * SLOT_SIZE];
        int pos = 0;
        for (Instruction insn : insns) {
            for (Slot s : insn.raw()) {
                writeSlot(s, out, pos, order);
                pos += SLOT_SIZE;
            }
        }
        return out;
    }

    static boolean isJump(int code) {
        int cls = code & Opcodes.CLASS_MASK;
        if (cls != Opcodes.JMP && cls != Opcodes.JMP32) {
            return false;
        }
        int op = code & Opcodes.OP_MASK;
        boolean x = (code & Opcodes.SOURCE_MASK) == Opcodes.X;
        if (op == Opcodes.JA) {
            // ja, gotox (JMP only, X) and gotol (JMP32 only, K)
            return cls == Opcodes.JMP || !x;
        }
        if (op == Opcodes.JCOND) {
            return cls == Opcodes.JMP && !x;
        }
        if (op == Opcodes.CALL || op == Opcodes.EXIT || op == 0xf0) {
            return false;
        }
        return true;
    }

    /** Classifies one instruction; {@code second} is the following slot (or null) for ld_imm64. */
    static Instruction classify(Slot s, Slot second) {
        int code = s.code();
        int cls = code & Opcodes.CLASS_MASK;
        int op = code & Opcodes.OP_MASK;
        int mode = code & Opcodes.MODE_MASK;
        boolean x = (code & Opcodes.SOURCE_MASK) == Opcodes.X;
        switch (cls) {
            case Opcodes.ALU, Opcodes.ALU64 -> {
                if (op == Opcodes.END) {
                    return cls == Opcodes.ALU64 && x ? unknown(s) : new Endian(s);
                }
                if (AluOp.ofBits(code) == null || op == Opcodes.NEG && x) {
                    return unknown(s);
                }
                return new Alu(s);
            }
            case Opcodes.JMP, Opcodes.JMP32 -> {
                if (code == Opcodes.CODE_CALL) {
                    return new Call(s);
                }
                if (code == Opcodes.CODE_CALLX) {
                    return new CallX(s);
                }
                if (code == Opcodes.CODE_EXIT) {
                    return new Exit(s);
                }
                return isJump(code) ? new Jump(s) : unknown(s);
            }
            case Opcodes.LD -> {
                if (code == Opcodes.CODE_LD_IMM64) {
                    return second == null ? new Unknown(s, "ld_imm64 without its second slot") : new LoadImm64(s, second);
                }
                if ((mode == Opcodes.ABS || mode == Opcodes.IND) && Size.ofBits(code) != Size.DW) {
                    return new PacketLoad(s);
                }
                return unknown(s);
            }
            case Opcodes.LDX -> {
                if (mode == Opcodes.MEM || mode == Opcodes.MEMSX && Size.ofBits(code) != Size.DW) {
                    return new Load(s);
                }
                return unknown(s);
            }
            case Opcodes.ST -> {
                return mode == Opcodes.MEM ? new Store(s) : unknown(s);
            }
            default -> { // STX
                if (mode == Opcodes.MEM) {
                    return new Store(s);
                }
                if (mode == Opcodes.ATOMIC && Atomic.opOf(s) != null) {
                    return new Atomic(s);
                }
                return unknown(s);
            }
        }
    }

    private static Unknown unknown(Slot s) {
        return new Unknown(s, String.format("unknown opcode %#04x", s.code()));
    }
}
