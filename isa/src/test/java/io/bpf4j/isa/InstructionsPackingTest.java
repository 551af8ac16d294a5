package io.bpf4j.isa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packed instructions decode back to exactly what was read or given (issue 20's compact form). */
class InstructionsPackingTest {
    private static final byte[] PROGRAM = {
            (byte) 0xb7, 0x01, 0x00, 0x00, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, // r1 = -1
            0x18, 0x02, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12,                                      // r2 = 0x8765432112345678 ll
            0x00, 0x00, 0x00, 0x00, 0x21, 0x43, 0x65, (byte) 0x87,
            0x6b, 0x1a, (byte) 0xf8, (byte) 0xff, 0x00, 0x00, 0x00, 0x00,                        // *(u16 *)(r10 - 8) = r1
            (byte) 0xff, (byte) 0xfe, 0x7f, 0x00, 0x01, 0x00, 0x00, 0x00,                        // no such opcode, src/dst 15/14
            (byte) 0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,                               // exit
    };

    @Test
    void decodedBytesEncodeBackByteForByteInBothOrders() {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            Instructions insns = InstructionCodec.decode(PROGRAM, order);
            assertThat(insns).hasSize(5);
            assertThat(insns.slotCount()).isEqualTo(6);
            assertThat(InstructionCodec.encode(insns, order)).isEqualTo(PROGRAM);
            assertThat(insns.get(3)).isInstanceOf(Unknown.class);
            assertThat(insns.indexAtSlot(2)).isEqualTo(-1);
            assertThat(insns.slotAt(2).imm()).isEqualTo(insns.get(1).raw().get(1).imm());
        }
        Instructions le = InstructionCodec.decode(PROGRAM, ByteOrder.LITTLE_ENDIAN);
        assertThat(((LoadImm64) le.get(1)).value()).isEqualTo(0x8765432112345678L);
        assertThat(le.get(2).off()).isEqualTo((short) -8);
        assertThat(le.get(0).imm()).isEqualTo(-1);
    }

    @Test
    void aTruncatedTailAndAnLdImm64BeforeItStayAsTheyWereRead() {
        byte[] cut = new byte[8 + 5];
        System.arraycopy(PROGRAM, 8, cut, 0, 13);
        Instructions insns = InstructionCodec.decode(cut, ByteOrder.LITTLE_ENDIAN);
        assertThat(insns).hasSize(2);
        assertThat(insns.get(0)).isEqualTo(new Unknown(insns.slotAt(0), "ld_imm64 without its second slot"));
        assertThat(((Unknown) insns.get(1)).reason()).isEqualTo("truncated instruction: 5 of 8 bytes");
    }

    @Test
    void givenInstructionsComeBackEqualEvenWhenTheirSlotsAloneSayOtherwise() {
        Unknown odd = new Unknown(Slot.of(0xb7, 1, 0, 0, 7), "kept for its own reason");
        List<Instruction> given = List.of(Instruction.of(Slot.of(0xb7, 0, 0, 0, 1)), odd, Instruction.of(Slot.of(0x95, 0, 0, 0, 0)));
        Instructions insns = Instructions.of(given);
        assertThat(insns).containsExactlyElementsOf(given);
        assertThat(insns.with(0, Instruction.of(Slot.of(0xb7, 0, 0, 0, 2))).get(1)).isSameAs(odd);
    }

    @Test
    void withReplacesOneInstructionAsOfWouldFromTheEditedList() {
        Instructions insns = InstructionCodec.decode(PROGRAM, ByteOrder.LITTLE_ENDIAN);
        Unknown odd = new Unknown(Slot.of(0xb7, 1, 0, 0, 7), "kept for its own reason");
        List<Instruction> replacements = List.of(Instruction.of(Slot.of(0xb7, 3, 0, 0, 9)),
                Instruction.of(Slot.of(0x18, 2, 0, 0, 1), Slot.of(0, 0, 0, 0, 2)), odd);
        for (int i = 0; i < insns.size(); i++) {
            for (Instruction r : replacements) {
                java.util.ArrayList<Instruction> edited = new java.util.ArrayList<>(insns);
                edited.set(i, r);
                Instructions viaWith = insns.with(i, r);
                Instructions viaOf = Instructions.of(edited);
                assertThat(viaWith).as("insn %d := %s", i, r).containsExactlyElementsOf(edited);
                assertThat(viaWith.slotCount()).isEqualTo(viaOf.slotCount());
                for (int k = 0; k <= viaOf.size(); k++) {
                    assertThat(viaWith.slotOf(k)).isEqualTo(viaOf.slotOf(k));
                }
                assertThat(InstructionCodec.encode(viaWith, ByteOrder.LITTLE_ENDIAN))
                        .isEqualTo(InstructionCodec.encode(viaOf, ByteOrder.LITTLE_ENDIAN));
            }
        }
        assertThat(insns.with(3, Instruction.of(Slot.of(0x95, 0, 0, 0, 0))).get(3)).isNotInstanceOf(Unknown.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> insns.with(5, odd)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aSlotBufferEditsSlotsAndDecodesWhatItHolds() {
        SlotBuffer b = SlotBuffer.of(InstructionCodec.decode(PROGRAM, ByteOrder.LITTLE_ENDIAN));
        b.set(0, b.get(0).withImm(42));
        b.add(Slot.of(0x95, 0, 0, 0, 0));
        Instructions insns = b.toInstructions();
        assertThat(insns).hasSize(6);
        assertThat(insns.get(0).imm()).isEqualTo(42);
        b.set(0, b.get(0).withImm(43));
        assertThat(insns.get(0).imm()).as("the decoded form is a copy").isEqualTo(42);
    }
}
