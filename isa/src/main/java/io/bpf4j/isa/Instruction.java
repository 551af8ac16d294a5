package io.bpf4j.isa;

import java.util.List;

/**
 * One BPF instruction, decoded once into the kind it is. Every kind keeps the raw slot(s) it
 * was decoded from, so encoding gives back exactly the bytes that were read (including
 * reserved fields a producer set), while the typed accessors say what the instruction means.
 *
 * <p>A wide {@code ld_imm64} is one {@link LoadImm64} occupying two slots; {@link #slots()}
 * says how many slots an instruction takes, which is what jump offsets count.
 */
public sealed interface Instruction
        permits Alu, Endian, Jump, Call, CallX, Exit, Load, Store, Atomic, LoadImm64, PacketLoad, Unknown {

    /** The first (or only) raw slot. */
    Slot slot();

    /** The opcode byte. */
    default int code() {
        return slot().code();
    }

    /** How many 8-byte slots this instruction occupies: 2 for {@code ld_imm64}, else 1. */
    default int slots() {
        return 1;
    }

    /** The raw slots, in order. */
    default List<Slot> raw() {
        return List.of(slot());
    }

    default int dstReg() {
        return slot().dst();
    }

    default int srcReg() {
        return slot().src();
    }

    default short off() {
        return slot().off();
    }

    default int imm() {
        return slot().imm();
    }

    /** This instruction with its first slot replaced (same kind expected). */
    Instruction withSlot(Slot newSlot);

    /** Decodes one instruction from its first slot (and the next one for {@code ld_imm64}); never throws. */
    static Instruction of(Slot first, Slot second) {
        return InstructionCodec.classify(first, second);
    }

    /** Decodes a one-slot instruction; never throws. */
    static Instruction of(Slot slot) {
        return InstructionCodec.classify(slot, null);
    }
}
