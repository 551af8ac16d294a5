package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;

import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.ProgramType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Loads and stores through socket pointers ({@code check_sock_access}: {@code struct bpf_sock},
 * its {@code sock_common} prefix, {@code bpf_tcp_sock}) and through a writable raw tracepoint's
 * buffer, each judged by the running kernel in the same run.
 */
@Tag("kernel")
class SockAccessTest {
    /** {@code offsetof(struct __sk_buff, sk)}: a {@code sock_common_or_null}. */
    private static final int SKB_SK = 168;
    private static final int BPF_SK_FULLSOCK = 95;
    private static final int BPF_TCP_SOCK = 96;

    /**
     * A sched_cls program: r1 = skb->sk; null check; optionally a helper turning it into a full
     * or tcp socket (with its own null check); then {@code access} on r1.
     */
    private static Parity tc(int helper, Instruction... access) {
        List<Instruction> p = new ArrayList<>();
        p.add(ldx(Size.DW, 1, 1, SKB_SK));
        p.add(jmp(JumpOp.JNE, 1, 0, 2));
        p.add(mov(0, 0));
        p.add(exit());
        if (helper != 0) {
            p.add(call(helper));
            p.add(jmp(JumpOp.JNE, 0, 0, 2));
            p.add(mov(0, 0));
            p.add(exit());
            p.add(movr(1, 0));
        }
        p.addAll(List.of(access));
        p.add(mov(0, 0));
        p.add(exit());
        return Parity.of(ProgramType.SCHED_CLS, p.toArray(Instruction[]::new));
    }

    private static Size size(int bytes) {
        return switch (bytes) {
            case 1 -> Size.B;
            case 2 -> Size.H;
            case 4 -> Size.W;
            default -> Size.DW;
        };
    }

    @ParameterizedTest(name = "sock_common off={0} size={1}")
    @CsvSource({"0,4", "4,4", "4,2", "5,1", "8,4", "20,4", "24,1", "26,2", "44,4", "48,2", "48,4", "49,1", "50,2",
            "52,8", "72,4", "76,4", "80,4", "-4,4"})
    void sockCommonRead(int off, int size) {
        tc(0, ldx(size(size), 2, 1, off)).agrees();
    }

    @ParameterizedTest(name = "sock off={0} size={1}")
    @CsvSource({"8,4", "8,1", "9,1", "16,4", "20,2", "30,2", "44,2", "48,1", "50,1", "60,4", "73,1", "76,2", "78,2"})
    void fullSockRead(int off, int size) {
        tc(BPF_SK_FULLSOCK, ldx(size(size), 2, 1, off)).agrees();
    }

    @ParameterizedTest(name = "tcp_sock off={0} size={1}")
    @CsvSource({"0,4", "0,8", "2,2", "76,4", "80,8", "84,4", "88,8", "96,4", "96,8", "108,4", "112,4"})
    void tcpSockRead(int off, int size) {
        tc(BPF_TCP_SOCK, ldx(size(size), 2, 1, off)).agrees();
    }

    @Test
    void writeIntoSockIsRefused() {
        tc(BPF_SK_FULLSOCK, st(Size.W, 1, 4, 0)).rejected();
    }

    @Test
    void writeIntoSockCommonIsRefused() {
        tc(0, stx(Size.W, 1, 4, 0)).rejected();
    }

    @Test
    void readBeforeNullCheck() {
        Parity.of(ProgramType.SCHED_CLS, ldx(Size.DW, 1, 1, SKB_SK), ldx(Size.W, 0, 1, 4), exit()).rejected();
    }

    @Test
    void oneInsnReadingSockAndCtxIsRefused() {
        // the same load reaches a sock_common on one path and the context on the other
        Parity.of(ProgramType.SCHED_CLS, movr(6, 1), ldx(Size.DW, 1, 1, SKB_SK), jmp(JumpOp.JNE, 1, 0, 1),
                movr(1, 6), ldx(Size.W, 0, 1, 4), mov(0, 0), exit()).rejected();
    }

    @ParameterizedTest(name = "tp_buffer off={0}")
    @CsvSource({"0", "16", "-8"})
    void tracepointBufferRead(int off) {
        Parity.of(ProgramType.RAW_TRACEPOINT_WRITABLE, ldx(Size.DW, 6, 1, 0), ldx(Size.DW, 0, 6, off), exit()).agrees();
    }

    @Test
    void tracepointBufferVariableOffsetIsRefused() {
        Parity.of(ProgramType.RAW_TRACEPOINT_WRITABLE, ldx(Size.DW, 6, 1, 0), call(7), alu(io.bpf4j.isa.AluOp.AND, 0, 0xff),
                alur(io.bpf4j.isa.AluOp.ADD, 6, 0), ldx(Size.DW, 0, 6, 0), exit()).rejected();
    }

    static final io.bpf4j.isa.abi.MapShape XSKMAP = io.bpf4j.isa.abi.MapShape.builder(io.bpf4j.isa.abi.MapType.XSKMAP)
            .name("xsk").keySize(4).valueSize(4).maxEntries(4).build();

    /**
     * Two lookups in an XSKMAP: the first NULL-checked, then compared equal with the second,
     * which is then an xdp_sock too (or, with {@code jne} the other way, still maybe NULL).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"JNE", "JEQ"})
    void pointerEqualToANonNullOne(JumpOp op) {
        Parity.of(ProgramType.XDP, st(Size.W, 10, -8, 0), movr(9, 10), alu(io.bpf4j.isa.AluOp.ADD, 9, -8), ldMap(8, 0),
                movr(1, 8), movr(2, 9), call(1), movr(6, 0), movr(1, 8), movr(2, 9), call(1), movr(7, 0),
                jmp(JumpOp.JEQ, 6, 0, 2), jmpr(op, 6, 7, 1), ldx(Size.W, 0, 7, 0), mov(0, 0), exit()).maps(XSKMAP).agrees();
    }
}
