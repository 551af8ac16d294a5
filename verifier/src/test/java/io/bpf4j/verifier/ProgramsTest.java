package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Patterns compilers emit: narrow ctx loads, JMP32, variable offsets, helper memory arguments, sockets. */
@Tag("kernel")
class ProgramsTest {
    static final MapShape ARRAY = MapShape.builder(MapType.ARRAY).name("arr").keySize(4).valueSize(64).maxEntries(4).build();
    static final MapShape PERF = MapShape.builder(MapType.PERF_EVENT_ARRAY).name("events").keySize(4).valueSize(4).maxEntries(4).build();

    @Test
    void narrowCtxLoad() {
        Parity.socket(ldx(Size.B, 0, 1, 1), exit()).accepted();
    }

    @Test
    void skbMarkWriteFromTc() {
        Parity.of(ProgramType.SCHED_CLS, st(Size.W, 1, 8, 1), mov(0, 0), exit()).accepted();
    }

    @Test
    void skbCbReadWrite() {
        Parity.socket(st(Size.W, 1, 48, 1), ldx(Size.W, 0, 1, 52), exit()).accepted();
    }

    @Test
    void jmp32Refines() {
        Parity.socket(ldx(Size.W, 2, 1, 0), mov(0, 0), jmp32(JumpOp.JGT, 2, 7, 5), st(Size.DW, 10, -8, 0), movr(3, 10),
                alu(AluOp.ADD, 3, -8), alur(AluOp.ADD, 3, 2), ldx(Size.B, 0, 3, 0), exit()).agrees();
    }

    @Test
    void variableStackOffsetRead() {
        Parity.socket(ldx(Size.W, 2, 1, 0), alu(AluOp.AND, 2, 7), st(Size.DW, 10, -8, 0), movr(3, 10), alu(AluOp.ADD, 3, -8),
                alur(AluOp.ADD, 3, 2), ldx(Size.B, 0, 3, 0), exit()).accepted();
    }

    @Test
    void variableStackOffsetWrite() {
        Parity.socket(ldx(Size.W, 2, 1, 0), alu(AluOp.AND, 2, 7), movr(3, 10), alu(AluOp.ADD, 3, -16),
                alur(AluOp.ADD, 3, 2), st(Size.B, 3, 0, 1), ldx(Size.DW, 0, 10, -16), exit()).agrees();
    }

    @Test
    void variableStackOffsetOutOfFrame() {
        Parity.socket(ldx(Size.W, 2, 1, 0), alu(AluOp.AND, 2, 15), movr(3, 10), alu(AluOp.ADD, 3, -8),
                alur(AluOp.ADD, 3, 2), st(Size.B, 3, 0, 1), mov(0, 0), exit()).rejected();
    }

    @Test
    void currentComm() {
        // bpf_get_current_comm(fp-16, 16)
        Parity.of(ProgramType.KPROBE, movr(1, 10), alu(AluOp.ADD, 1, -16), mov(2, 16), call(16), ldx(Size.B, 0, 10, -16),
                mov(0, 0), exit()).accepted();
    }

    @Test
    void currentCommTooLarge() {
        Parity.of(ProgramType.KPROBE, movr(1, 10), alu(AluOp.ADD, 1, -16), mov(2, 32), call(16), mov(0, 0), exit()).rejected();
    }

    @Test
    void perfEventOutput() {
        // bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, fp-8, 8)
        Parity.of(ProgramType.KPROBE, st(Size.DW, 10, -8, 1), ldMap(2, 0), ld64(3, 0xffffffffL), movr(4, 10),
                alu(AluOp.ADD, 4, -8), mov(5, 8), call(25), mov(0, 0), exit()).maps(PERF).accepted();
    }

    @Test
    void perfEventOutputWrongMap() {
        Parity.of(ProgramType.KPROBE, st(Size.DW, 10, -8, 1), ldMap(2, 0), ld64(3, 0xffffffffL), movr(4, 10),
                alu(AluOp.ADD, 4, -8), mov(5, 8), call(25), mov(0, 0), exit()).maps(ARRAY).rejected();
    }

    @Test
    void skbLoadBytesToStack() {
        // bpf_skb_load_bytes(skb, 0, fp-8, 8)
        Parity.of(ProgramType.SCHED_CLS, mov(2, 0), movr(3, 10), alu(AluOp.ADD, 3, -8), mov(4, 8), call(26),
                ldx(Size.DW, 0, 10, -8), mov(0, 0), exit()).accepted();
    }

    @Test
    void packetPointersInvalidatedByHelper() {
        // r6 = ctx; r7 = data; bpf_skb_pull_data(skb, 0); r0 = *(u8 *)(r7 + 0)
        Parity.of(ProgramType.SCHED_CLS, movr(6, 1), ldx(Size.W, 7, 1, 76), mov(2, 0), call(39), ldx(Size.B, 0, 7, 0),
                mov(0, 0), exit()).rejected();
    }

    @Test
    void mapValueArithmetic() {
        Parity.socket(movr(6, 1), st(Size.W, 10, -4, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1),
                jmp(JumpOp.JEQ, 0, 0, 6), ldx(Size.W, 3, 6, 0), jmp(JumpOp.JGT, 3, 60, 4), alur(AluOp.ADD, 0, 3),
                ldx(Size.W, 0, 0, 0), exit(), mov(0, 0), mov(0, 0), exit()).maps(ARRAY).agrees();
    }

    @Test
    void sockLookupMustRelease() {
        // sk = bpf_sk_lookup_tcp(skb, fp-16, 12, -1, 0); if (sk) no release -> leak
        Parity.of(ProgramType.SCHED_CLS, st(Size.DW, 10, -16, 0), st(Size.DW, 10, -8, 0), movr(2, 10), alu(AluOp.ADD, 2, -16),
                mov(3, 12), mov(4, -1), mov(5, 0), call(84), mov(0, 0), exit()).rejected();
    }

    @Test
    void sockLookupReleased() {
        Parity.of(ProgramType.SCHED_CLS, st(Size.DW, 10, -16, 0), st(Size.DW, 10, -8, 0), movr(2, 10), alu(AluOp.ADD, 2, -16),
                mov(3, 12), mov(4, -1), mov(5, 0), call(84), jmp(JumpOp.JEQ, 0, 0, 2), movr(1, 0), call(86), mov(0, 0), exit())
                .accepted();
    }

    @Test
    void traceprintkFromKprobe() {
        Parity.of(ProgramType.KPROBE, st(Size.DW, 10, -8, 0x41), movr(1, 10), alu(AluOp.ADD, 1, -8), mov(2, 8), call(6),
                mov(0, 0), exit()).accepted();
    }

    @Test
    void rawTracepointArgs() {
        Parity.of(ProgramType.RAW_TRACEPOINT, ldx(Size.DW, 2, 1, 8), mov(0, 0), exit()).accepted();
    }

    @Test
    void tracepointCtxWriteRejected() {
        Parity.of(ProgramType.TRACEPOINT, st(Size.DW, 1, 8, 0), mov(0, 0), exit()).rejected();
    }

    @Test
    void xdpReturnCode() {
        Parity.of(ProgramType.XDP, mov(0, 9), exit()).agrees();
    }

    @Test
    void bswapAndEndian() {
        Parity.socket(ldx(Size.W, 0, 1, 0), raw(0xdc, 0, 0, 0, 16), raw(0xd7, 0, 0, 0, 32), exit()).accepted();
    }

    @Test
    void sdivSmodRegisters() {
        Parity.socket(ldx(Size.W, 2, 1, 0), mov(0, 100), raw(0x3f, 0, 2, 1, 0), raw(0x9f, 0, 2, 1, 0), exit()).accepted();
    }
}
