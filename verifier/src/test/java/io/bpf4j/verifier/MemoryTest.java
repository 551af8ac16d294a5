package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Atomic;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.PacketLoad;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Memory: stack, context, map values, packets, atomics, legacy packet loads. */
@Tag("kernel")
class MemoryTest {
    static final MapShape ARRAY = MapShape.builder(MapType.ARRAY).name("arr").keySize(4).valueSize(16).maxEntries(4).build();
    static final MapShape HASH = MapShape.builder(MapType.HASH).name("h").keySize(8).valueSize(8).maxEntries(16).build();
    static final MapShape RODATA = MapShape.builder(MapType.ARRAY).name(".rodata").keySize(4).valueSize(8).maxEntries(1)
            .flags(MapShape.F_RDONLY_PROG).frozen(true).build();

    // *(u32 *)(fp-4) = 0; r2 = fp; r2 += -4; r1 = map; call lookup
    static io.bpf4j.isa.Instruction[] lookup(int map, io.bpf4j.isa.Instruction... then) {
        io.bpf4j.isa.Instruction[] head = {st(Size.W, 10, -4, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, map), call(1)};
        io.bpf4j.isa.Instruction[] all = new io.bpf4j.isa.Instruction[head.length + then.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(then, 0, all, head.length, then.length);
        return all;
    }

    @Test
    void stackSpillAndFillKeepPointer() {
        Parity.socket(stx(Size.DW, 10, -8, 1), ldx(Size.DW, 2, 10, -8), ldx(Size.W, 0, 2, 0), exit()).accepted();
    }

    @Test
    void stackReadUninitIsFineForRoot() {
        Parity.socket(ldx(Size.DW, 0, 10, -8), exit()).agrees();
    }

    @Test
    void stackOutOfBounds() {
        Parity.socket(st(Size.DW, 10, -520, 0), mov(0, 0), exit()).rejected();
    }

    @Test
    void stackAboveFramePointer() {
        Parity.socket(st(Size.DW, 10, 0, 0), mov(0, 0), exit()).rejected();
    }

    @Test
    void stackMisaligned() {
        Parity.socket(st(Size.W, 10, -6, 0), mov(0, 0), exit()).rejected();
    }

    @Test
    void partialFillOfSpilledPointer() {
        Parity.socket(stx(Size.DW, 10, -8, 1), ldx(Size.W, 0, 10, -8), exit()).rejected();
    }

    @Test
    void narrowSpillOfPointer() {
        Parity.socket(stx(Size.W, 10, -8, 1), mov(0, 0), exit()).rejected();
    }

    @Test
    void ctxInvalidOffset() {
        Parity.socket(ldx(Size.W, 0, 1, 1000), exit()).rejected();
    }

    @Test
    void ctxWriteToReadOnlyField() {
        Parity.socket(st(Size.W, 1, 0, 0), mov(0, 0), exit()).rejected();
    }

    @Test
    void xdpPacketNeedsBoundsCheck() {
        Parity.of(ProgramType.XDP, ldx(Size.W, 2, 1, 0), ldx(Size.B, 0, 2, 0), exit()).rejected();
    }

    @Test
    void xdpPacketBoundsChecked() {
        // r2 = data; r3 = data_end; r4 = r2 + 14; if r4 > r3 goto out; r0 = *(u8 *)(r2 + 13); out: r0 = 2; exit
        Parity.of(ProgramType.XDP, ldx(Size.W, 2, 1, 0), ldx(Size.W, 3, 1, 4), movr(4, 2), alu(AluOp.ADD, 4, 14),
                jmpr(JumpOp.JGT, 4, 3, 1), ldx(Size.B, 0, 2, 13), mov(0, 2), exit()).accepted();
    }

    @Test
    void xdpPacketReadPastCheckedRange() {
        Parity.of(ProgramType.XDP, ldx(Size.W, 2, 1, 0), ldx(Size.W, 3, 1, 4), movr(4, 2), alu(AluOp.ADD, 4, 14),
                jmpr(JumpOp.JGT, 4, 3, 1), ldx(Size.W, 0, 2, 12), mov(0, 2), exit()).rejected();
    }

    @Test
    void socketFilterCannotWritePacket() {
        Parity.of(ProgramType.SCHED_CLS, ldx(Size.W, 2, 1, 76), ldx(Size.W, 3, 1, 80), movr(4, 2), alu(AluOp.ADD, 4, 14),
                jmpr(JumpOp.JGT, 4, 3, 1), st(Size.B, 2, 0, 1), mov(0, 0), exit()).accepted();
    }

    @Test
    void arrayLookupWithConstantKeyNeedsNoNullCheck() {
        Parity.socket(lookup(0, ldx(Size.W, 0, 0, 0), exit())).maps(ARRAY).accepted();
    }

    @Test
    void arrayLookupWithKeyOutOfRangeNeedsNullCheck() {
        Parity.socket(st(Size.W, 10, -4, 9), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1),
                ldx(Size.W, 0, 0, 0), exit()).maps(ARRAY).rejected();
    }

    @Test
    void hashLookupWithoutNullCheck() {
        Parity.socket(st(Size.DW, 10, -8, 0), movr(2, 10), alu(AluOp.ADD, 2, -8), ldMap(1, 0), call(1),
                ldx(Size.W, 0, 0, 0), exit()).maps(HASH).rejected();
    }

    @Test
    void mapLookupWithNullCheck() {
        Parity.socket(lookup(0, jmp(JumpOp.JEQ, 0, 0, 1), ldx(Size.W, 0, 0, 12), mov(0, 0), exit())).maps(ARRAY).accepted();
    }

    @Test
    void mapValueOutOfBounds() {
        Parity.socket(lookup(0, jmp(JumpOp.JEQ, 0, 0, 1), ldx(Size.W, 0, 0, 14), mov(0, 0), exit())).maps(ARRAY).rejected();
    }

    @Test
    void mapValueNegativeIndex() {
        Parity.socket(lookup(0, jmp(JumpOp.JEQ, 0, 0, 1), ldx(Size.W, 0, 0, -4), mov(0, 0), exit())).maps(ARRAY).rejected();
    }

    @Test
    void mapValueVariableIndexUnbounded() {
        Parity.socket(lookup(0, jmp(JumpOp.JEQ, 0, 0, 4), ldx(Size.W, 3, 6, 0), alur(AluOp.ADD, 0, 3),
                ldx(Size.B, 0, 0, 0), mov(0, 0), exit())).maps(ARRAY).agrees();
    }

    @Test
    void mapValueVariableIndexBounded() {
        // r6 = ctx first; r3 = len & 7; r0 += r3; r0 = *(u8 *)(r0 + 8)
        Parity.socket(movr(6, 1), st(Size.W, 10, -4, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1),
                jmp(JumpOp.JEQ, 0, 0, 5), ldx(Size.W, 3, 6, 0), alu(AluOp.AND, 3, 7), alur(AluOp.ADD, 0, 3),
                ldx(Size.B, 0, 0, 8), mov(0, 0), mov(0, 0), exit()).maps(ARRAY).accepted();
    }

    @Test
    void mapValueVariableIndexTooLarge() {
        Parity.socket(movr(6, 1), st(Size.W, 10, -4, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1),
                jmp(JumpOp.JEQ, 0, 0, 5), ldx(Size.W, 3, 6, 0), alu(AluOp.AND, 3, 15), alur(AluOp.ADD, 0, 3),
                ldx(Size.B, 0, 0, 8), mov(0, 0), mov(0, 0), exit()).maps(ARRAY).rejected();
    }

    @Test
    void readOnlyMapWrite() {
        Parity.socket(ldMapValue(1, 0, 0), st(Size.W, 1, 0, 1), mov(0, 0), exit()).maps(RODATA).rejected();
    }

    @Test
    void readOnlyMapRead() {
        Parity.socket(ldMapValue(1, 0, 0), ldx(Size.W, 0, 1, 4), exit()).maps(RODATA).accepted();
    }

    @Test
    void directValueOffsetOutOfRange() {
        Parity.socket(ldMapValue(1, 0, 8), mov(0, 0), exit()).maps(RODATA).rejected();
    }

    @Test
    void scalarDereference() {
        Parity.socket(mov(1, 0), ldx(Size.W, 0, 1, 0), exit()).rejected();
    }

    @Test
    void atomicAddOnStack() {
        Parity.socket(st(Size.DW, 10, -8, 0), mov(1, 1), Atomic.of(Atomic.Op.ADD, true, Size.DW, r(10), -8, r(1)),
                movr(0, 1), exit()).accepted();
    }

    @Test
    void atomicOnCtx() {
        Parity.socket(mov(2, 1), Atomic.of(Atomic.Op.ADD, false, Size.W, r(1), 0, r(2)), mov(0, 0), exit()).rejected();
    }

    @Test
    void atomicBadSize() {
        Parity.socket(mov(2, 1), raw(0xd3, 10, 2, -8, 0), mov(0, 0), exit()).rejected();
    }

    @Test
    void cmpxchgNeedsR0() {
        Parity.socket(st(Size.DW, 10, -8, 0), mov(1, 1),
                Atomic.of(Atomic.Op.CMPXCHG, true, Size.DW, r(10), -8, r(1)), mov(0, 0), exit()).rejected();
    }

    @Test
    void ldAbsInSocketFilter() {
        Parity.socket(movr(6, 1), PacketLoad.abs(Size.B, 12), exit()).accepted();
    }

    @Test
    void ldAbsInXdp() {
        Parity.of(ProgramType.XDP, movr(6, 1), PacketLoad.abs(Size.B, 12), exit()).rejected();
    }

    @Test
    void ldAbsWithoutCtxInR6() {
        Parity.socket(PacketLoad.abs(Size.B, 12), exit()).rejected();
    }

    @Test
    void ldAbsClobbersCallerSaved() {
        Parity.socket(movr(6, 1), PacketLoad.abs(Size.H, 12), movr(0, 1), exit()).rejected();
    }

    /** A one-byte packet store after the bounds check: only some skb program types may write packets. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = ProgramType.class,
            names = {"LWT_IN", "LWT_OUT", "LWT_XMIT", "LWT_SEG6LOCAL", "SCHED_CLS", "CGROUP_SKB"})
    void packetWritePerProgramType(ProgramType type) {
        Parity.of(type, ldx(Size.W, 2, 1, 76), ldx(Size.W, 3, 1, 80), movr(4, 2), alu(AluOp.ADD, 4, 1),
                jmpr(JumpOp.JGT, 4, 3, 1), st(Size.B, 2, 0, 0), mov(0, 0), exit()).agrees();
    }

    /**
     * .rodata's value is known: a load at a constant offset is a constant, so a bounds check
     * against it can be decided (here it makes an array index provably in bounds, or not).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "limit {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {3, 15, 16, 200})
    void rodataLoadIsAConstant(int limit) {
        byte[] v = new byte[8];
        v[4] = (byte) limit;
        // r7 = random; r6 = rodata[4] (u8); if r7 >= r6 goto out; r0 = arr[r7] (value 16 bytes)
        Parity.socket(lookup(1, jmp(JumpOp.JEQ, 0, 0, 10), movr(8, 0), call(7), movr(7, 0), ldMapValue(1, 0, 0),
                ldx(Size.B, 6, 1, 4), jmpr(JumpOp.JGE, 7, 6, 3), alur(AluOp.ADD, 8, 7), ldx(Size.B, 0, 8, 0), exit(),
                mov(0, 0), exit())).maps(RODATA, ARRAY).frozenValue(0, v).agrees();
    }

    @Test
    void rodataSignExtendingLoadIsAConstant() {
        byte[] v = new byte[8];
        v[0] = (byte) 0xf0;
        // ldsx of 0xf0 is -16, so the branch to the bad load is dead
        Parity.socket(ldMapValue(1, 0, 0), raw(0x91, 6, 1, 0, 0), jmp(JumpOp.JSGE, 6, 0, 2), mov(0, 0), exit(),
                ldx(Size.DW, 0, 6, 0), exit()).maps(RODATA).frozenValue(0, v).accepted();
    }
}
