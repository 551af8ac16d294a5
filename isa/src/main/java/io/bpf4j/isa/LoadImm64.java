package io.bpf4j.isa;

import java.util.List;

/**
 * {@code ld_imm64} (LD IMM DW, RFC 9669 §5.4): one instruction in two slots. With src 0 it loads
 * the 64-bit constant split across both imms; the other sources are the kernel's BPF_PSEUDO_*
 * forms (map by fd or index, map value, BTF id, function address).
 */
public record LoadImm64(Slot slot, Slot second) implements Instruction {
    /** What the loaded value names, by src_reg. */
    public enum Source {
        CONSTANT, MAP_FD, MAP_VALUE, BTF_ID, FUNC, MAP_IDX, MAP_IDX_VALUE, UNKNOWN;

        public static Source of(int src) {
            return src >= 0 && src <= Opcodes.PSEUDO_MAP_IDX_VALUE ? values()[src] : UNKNOWN;
        }
    }

    public LoadImm64 {
        if (slot.code() != Opcodes.CODE_LD_IMM64) {
            throw new BpfException(String.format("opcode %#04x is not ld_imm64", slot.code()));
        }
    }

    public static LoadImm64 constant(Register dst, long value) {
        return of(dst, 0, (int) value, (int) (value >>> 32));
    }

    public static LoadImm64 of(Register dst, int src, int immLo, int immHi) {
        return new LoadImm64(Slot.of(Opcodes.CODE_LD_IMM64, dst.number(), src, 0, immLo), Slot.of(0, 0, 0, 0, immHi));
    }

    public Source source() {
        return Source.of(slot.src());
    }

    /** The 64-bit immediate: first imm in the low half, second imm in the high half. */
    public long value() {
        return ((long) second.imm() << 32) | (slot.imm() & 0xffffffffL);
    }

    @Override
    public int slots() {
        return 2;
    }

    @Override
    public List<Slot> raw() {
        return List.of(slot, second);
    }

    @Override
    public LoadImm64 withSlot(Slot newSlot) {
        return new LoadImm64(newSlot, second);
    }

    public LoadImm64 withSecond(Slot newSecond) {
        return new LoadImm64(slot, newSecond);
    }

    /** This load with its source and both imm halves replaced (what relocations do). */
    public LoadImm64 withSource(int src, int immLo, int immHi) {
        return new LoadImm64(slot.withSrc(src).withImm(immLo), second.withImm(immHi));
    }

    /** The instruction as {@code bpftool prog dump xlated} prints it, without pc and opcode: {@code r0 = r2}. */
    @Override
    public String toString() {
        return InstructionText.of(this);
    }
}
