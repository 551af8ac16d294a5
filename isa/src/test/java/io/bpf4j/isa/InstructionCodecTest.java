package io.bpf4j.isa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstructionCodecTest {

    @Test
    void everySlotRoundTripsInBothByteOrders() {
        Random rnd = new Random(42);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            for (int code = 0; code < 256; code++) {
                byte[] bytes = new byte[16];
                rnd.nextBytes(bytes);
                bytes[0] = (byte) code;
                Instructions insns = InstructionCodec.decode(bytes, order);
                assertThat(InstructionCodec.encode(insns, order)).as("code %#x", code).isEqualTo(bytes);
            }
        }
    }

    @Test
    void bigEndianSwapsRegisterNibbles() {
        byte[] le = {(byte) 0xbf, 0x16, 0, 0, 0, 0, 0, 0}; // r6 = r1
        byte[] be = {(byte) 0xbf, 0x61, 0, 0, 0, 0, 0, 0};
        Instruction a = InstructionCodec.decode(le, ByteOrder.LITTLE_ENDIAN).get(0);
        Instruction b = InstructionCodec.decode(be, ByteOrder.BIG_ENDIAN).get(0);
        assertThat(a).isEqualTo(b).isInstanceOf(Alu.class);
        assertThat(a.dstReg()).isEqualTo(6);
        assertThat(a.srcReg()).isEqualTo(1);
    }

    @Test
    void ldImm64TakesTwoSlotsAndKeepsSlotIndices() {
        Instructions insns = Instructions.of(LoadImm64.constant(Register.R1, 0x1122334455667788L), Exit.INSTANCE);
        byte[] bytes = InstructionCodec.encode(insns, ByteOrder.LITTLE_ENDIAN);
        Instructions back = InstructionCodec.decode(bytes, ByteOrder.LITTLE_ENDIAN);
        assertThat(back).hasSize(2);
        assertThat(((LoadImm64) back.get(0)).value()).isEqualTo(0x1122334455667788L);
        assertThat(back.slotOf(1)).isEqualTo(2);
        assertThat(back.indexAtSlot(1)).isEqualTo(-1);
        assertThat(back.indexAtSlot(2)).isEqualTo(1);
    }

    @Test
    void garbageDecodesToUnknownNeverThrows() {
        byte[] bytes = {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 0x18, 1, 0, 0, 0, 0, 0, 0, 1, 2, 3}; // bad opcode, lone ld_imm64, 3 stray bytes
        Instructions insns = InstructionCodec.decode(bytes, ByteOrder.LITTLE_ENDIAN);
        assertThat(insns).hasSize(3).allMatch(i -> i instanceof Unknown);
    }

    @Test
    void callxReadsBothEncodings() {
        CallX modern = (CallX) Instruction.of(Slot.of(Opcodes.CODE_CALLX, 2, 0, 0, 0));
        CallX legacy = (CallX) Instruction.of(Slot.of(Opcodes.CODE_CALLX, 0, 0, 0, 2));
        assertThat(modern.targetRegister()).isEqualTo(2);
        assertThat(legacy.targetRegister()).isEqualTo(2);
        assertThat(legacy.normalized()).isEqualTo(modern);
    }

    @Test
    void newerFormsClassify() {
        assertThat(Instruction.of(Slot.of(Opcodes.CODE_GOTOX, 1, 0, 0, 0))).isInstanceOfSatisfying(Jump.class, j -> assertThat(j.isGotox()).isTrue());
        assertThat(Instruction.of(Slot.of(Opcodes.CODE_MAY_GOTO, 0, 0, 5, 0))).isInstanceOfSatisfying(Jump.class, j -> assertThat(j.isMayGoto()).isTrue());
        assertThat(Instruction.of(Slot.of(Opcodes.CODE_GOTOL, 0, 0, 0, 100))).isInstanceOfSatisfying(Jump.class, j -> assertThat(j.target()).isEqualTo(100));
        assertThat(Instruction.of(Slot.of(Opcodes.STX | Opcodes.ATOMIC | Opcodes.B, 1, 2, 0, Opcodes.ATOMIC_LOAD_ACQ)))
                .isInstanceOfSatisfying(Atomic.class, a -> assertThat(a.op()).isEqualTo(Atomic.Op.LOAD_ACQUIRE));
        assertThat(Instruction.of(Slot.of(Opcodes.STX | Opcodes.ATOMIC | Opcodes.B, 1, 2, 0, Opcodes.ADD))).isInstanceOf(Unknown.class);
        assertThat(Instruction.of(Slot.of(Opcodes.ALU64 | Opcodes.MOV | Opcodes.X, 1, 2, 1, 1)))
                .isInstanceOfSatisfying(Alu.class, a -> assertThat(a.addressSpaceCast()).isTrue());
    }
}
