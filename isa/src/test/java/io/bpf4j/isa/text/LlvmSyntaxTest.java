package io.bpf4j.isa.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.Alu;
import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Atomic;
import io.bpf4j.isa.CallX;
import io.bpf4j.isa.Endian;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Jump;
import io.bpf4j.isa.Load;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.PacketLoad;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.Store;
import org.junit.jupiter.api.Test;

/**
 * The forms the corpus test checks in bulk, one by one, with the text llvm-objdump-19 printed
 * for them in the committed goldens (listing/*.objdump, llvm-corpus/*.objdump).
 */
class LlvmSyntaxTest {
    private static final LlvmSyntax V1 = LlvmSyntax.defaults();
    private static final LlvmSyntax V4 = LlvmSyntax.of(LlvmSyntax.Cpu.V4);

    @Test
    void cpuV4Forms() {
        assertThat(V4.format(Load.signExtending(Size.B, Register.R1, Register.R2, 0))).isEqualTo("r1 = *(s8 *)(r2 + 0x0)");
        assertThat(V4.format(Instruction.of(Slot.of(0xbf, 1, 2, 8, 0)))).isEqualTo("r1 = (s8)r2");
        assertThat(V4.format(Instruction.of(Slot.of(0x3f, 1, 2, 1, 0)))).isEqualTo("r1 s/= r2");
        assertThat(V4.format(Instruction.of(Slot.of(0x94, 1, 0, 1, -5)))).isEqualTo("w1 s%= -0x5");
        assertThat(V4.format(Endian.of(Endian.Kind.BSWAP, Register.R2, 16))).isEqualTo("r2 = bswap16 r2");
        assertThat(V4.format(Jump.gotol(-1))).isEqualTo("gotol -0x1");
        assertThat(V4.format(Instruction.of(Slot.of(Opcodes.CODE_MAY_GOTO, 0, 0, 1, 0)))).isEqualTo("may_goto +0x1");
        assertThat(V4.format(Instruction.of(Slot.of(0xbf, 9, 6, 1, 1)))).isEqualTo("r9 = addr_space_cast(r6, 0x0, 0x1)");
    }

    @Test
    void atomicsDependOnTheAlu32Table() {
        Atomic fetchAdd32 = Atomic.of(Atomic.Op.ADD, true, Size.W, Register.R9, 0, Register.R7);
        assertThat(V4.format(fetchAdd32)).isEqualTo("w7 = atomic_fetch_add((u32 *)(r9 + 0x0), w7)");
        assertThat(V1.format(fetchAdd32)).isEqualTo("lock *(u32 *)(r9 + 0x0) += r7");
        assertThat(V1.format(Atomic.of(Atomic.Op.XCHG, true, Size.DW, Register.R1, 0, Register.R6))).isEqualTo("r6 = xchg_64(r1 + 0x0, r6)");
        assertThat(V1.format(Atomic.of(Atomic.Op.CMPXCHG, true, Size.DW, Register.R1, 0, Register.R7))).isEqualTo("r0 = cmpxchg_64(r1 + 0x0, r0, r7)");
        assertThat(V4.format(Atomic.of(Atomic.Op.CMPXCHG, true, Size.W, Register.R9, 0, Register.R8))).isEqualTo("w0 = cmpxchg32_32(r9 + 0x0, w0, w8)");
    }

    @Test
    void formsNewerThanLlvm19() {
        // load-acquire r2 = *(u64 *)(r10 - 8): LLVM 19 looks at imm bits 7..4 only and sees an add
        assertThat(V4.format(Atomic.of(Atomic.Op.LOAD_ACQUIRE, false, Size.DW, Register.R2, -8, Register.R10)))
                .isEqualTo("lock *(u64 *)(r2 - 0x8) += r10");
        assertThat(V4.format(Atomic.of(Atomic.Op.STORE_RELEASE, false, Size.W, Register.R10, -16, Register.R2))).isEqualTo("<unknown>");
        assertThat(V4.format(Jump.gotox(Register.R1))).isEqualTo("<unknown>");
        assertThat(V4.format(CallX.of(Register.R2))).isEqualTo("callx r2");
        assertThat(V4.format(new CallX(Slot.of(Opcodes.CODE_CALLX, 0, 0, 0, 2)))).as("LLVM 18 encoding").isEqualTo("callx r0");
    }

    @Test
    void loadsStoresAndPacketAccess() {
        assertThat(V1.format(Load.of(Size.W, Register.R1, Register.R2, 0x10))).isEqualTo("r1 = *(u32 *)(r2 + 0x10)");
        assertThat(V4.format(Load.of(Size.W, Register.R1, Register.R2, 0x10))).isEqualTo("w1 = *(u32 *)(r2 + 0x10)");
        assertThat(V1.format(Store.imm(Size.DW, Register.R10, -16, 1))).isEqualTo("*(u64 *)(r10 - 0x10) = 0x1");
        assertThat(V1.format(LoadImm64.constant(Register.R1, 0x1122334455667788L))).isEqualTo("r1 = 0x1122334455667788 ll");
        assertThat(V1.format(LoadImm64.of(Register.R1, Opcodes.PSEUDO_MAP_FD, 7, 0))).isEqualTo("ld_pseudo\tr1, 0x1, 0x7");
        assertThat(V1.format(PacketLoad.abs(Size.B, 0x17))).isEqualTo("r0 = *(u8 *)skb[0x17]");
        assertThat(V1.format(PacketLoad.ind(Size.W, Register.R1, 0))).isEqualTo("r0 = *(u32 *)skb[r1]");
    }

    @Test
    void reservedFieldsAreIgnoredOrRejectedAsLlvmDoes() {
        assertThat(V1.format(Alu.imm(AluOp.ADD, true, Register.R1, 1).withSlot(Slot.of(0x07, 1, 5, 0, 1)))).isEqualTo("r1 += 0x1");
        assertThat(V1.format(Instruction.of(Slot.of(0x07, 1, 0, 3, 1)))).isEqualTo("<unknown>");
        assertThat(V1.format(Instruction.of(Slot.of(0xbf, 11, 1, 0, 0)))).isEqualTo("r11 = r1");
        assertThat(V1.format(Instruction.of(Slot.of(0xbf, 12, 1, 0, 0)))).isEqualTo("<unknown>");
        assertThat(V1.format(Instruction.of(Slot.of(Opcodes.CODE_EXIT, 3, 4, 5, 0)))).isEqualTo("exit");
        assertThat(V1.format(Instruction.of(Slot.of(Opcodes.CODE_EXIT, 0, 0, 0, 1)))).isEqualTo("<unknown>");
    }

    @Test
    void branchesReportTheirDisplacement() {
        LlvmSyntax.Decoded d = V1.decode(Slot.of(0x15, 1, 0, -16, 0), null);
        assertThat(d.text()).isEqualTo("if r1 == 0x0 goto -0x10");
        assertThat(d.branch()).isTrue();
        assertThat(d.displacement()).isEqualTo(-16);
        assertThat(V1.decode(Slot.of(Opcodes.CODE_CALL, 0, 1, 0, 5), null).branch()).isFalse();
        assertThat(V1.decode(Slot.of(Opcodes.CODE_LD_IMM64, 1, 0, 0, 1), null).unknown()).as("ld_imm64 without its second slot").isTrue();
    }
}
