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
