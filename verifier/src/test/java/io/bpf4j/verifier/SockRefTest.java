package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Socket references through helpers: a socket looked up and released, pointers cast from it
 * ({@code bpf_tcp_sock}, {@code bpf_sk_fullsock}) dying with its reference, sockets stored into
 * sockmaps, and {@code bpf_get_local_storage}'s flags; each judged by the running kernel in the
 * same run.
 */
@Tag("kernel")
class SockRefTest {
    static final MapShape SOCKMAP = MapShape.builder(MapType.SOCKMAP).name("sm").keySize(4).valueSize(4).maxEntries(4).build();
    static final MapShape STORAGE = MapShape.builder(MapType.CGROUP_STORAGE).name("st").keySize(8).valueSize(8).maxEntries(0)
            .build();
    private static final int SK_LOOKUP_TCP = 84;
    private static final int SK_RELEASE = 86;
    private static final int SK_FULLSOCK = 95;
    private static final int TCP_SOCK = 96;

    /**
     * r6 = bpf_sk_lookup_tcp(ctx, zeroed tuple on the stack, sizeof tuple, 0, 0); a NULL result
     * exits; then {@code rest}, which must end the program.
     */
    private static Parity lookup(ProgramType type, Instruction... rest) {
        List<Instruction> p = new ArrayList<>();
        for (int off = -8; off >= -40; off -= 8) {
            p.add(st(Size.DW, 10, off, 0));
        }
        p.add(movr(2, 10));
        p.add(alu(AluOp.ADD, 2, -40));
        p.add(mov(3, 36));
        p.add(mov(4, 0));
        p.add(mov(5, 0));
        p.add(call(SK_LOOKUP_TCP));
        p.add(jmp(JumpOp.JNE, 0, 0, 2));
        p.add(mov(0, 0));
        p.add(exit());
        p.add(movr(6, 0));
        p.addAll(List.of(rest));
        return Parity.of(type, p.toArray(Instruction[]::new));
    }

    /** r7 = cast(r6); a NULL cast releases r6 and exits. */
    private static Instruction[] cast(int helper, Instruction... rest) {
        List<Instruction> p = new ArrayList<>(List.of(movr(1, 6), call(helper), jmp(JumpOp.JNE, 0, 0, 3), movr(1, 6),
                call(SK_RELEASE), exit(), movr(7, 0)));
        p.addAll(List.of(rest));
        return p.toArray(Instruction[]::new);
    }

    @Test
    void castPointerDiesWithItsSocket() {
        lookup(ProgramType.SCHED_CLS, cast(TCP_SOCK, movr(1, 6), call(SK_RELEASE), ldx(Size.W, 0, 7, 0), exit())).rejected();
    }

    @Test
    void fullSockDiesWithItsSocket() {
        lookup(ProgramType.SCHED_CLS, cast(SK_FULLSOCK, movr(1, 6), call(SK_RELEASE), ldx(Size.W, 0, 7, 4), exit()))
                .rejected();
    }

    @Test
    void releasingTheCastReleasesTheSocket() {
        lookup(ProgramType.SCHED_CLS, cast(TCP_SOCK, movr(1, 7), call(SK_RELEASE), mov(0, 0), exit())).accepted();
    }

    @Test
    void socketUsedAfterItsCastWasReleased() {
        lookup(ProgramType.SCHED_CLS, cast(TCP_SOCK, movr(1, 7), call(SK_RELEASE), ldx(Size.W, 0, 6, 8), exit())).rejected();
    }

    @Test
    void castThenReadBeforeRelease() {
        lookup(ProgramType.SCHED_CLS, cast(TCP_SOCK, ldx(Size.W, 8, 7, 0), movr(1, 6), call(SK_RELEASE), mov(0, 0), exit()))
                .accepted();
    }

    /** bpf_map_update_elem(sockmap, &key, sk, BPF_ANY); bpf_sk_release(sk). */
    private static Parity sockmapUpdate(ProgramType type) {
        return lookup(type, st(Size.W, 10, -44, 0), movr(2, 10), alu(AluOp.ADD, 2, -44), movr(3, 6), mov(4, 0), ldMap(1, 0),
                call(2), movr(1, 6), call(SK_RELEASE), mov(0, 0), exit()).maps(SOCKMAP);
    }

    @Test
    void socketIntoSockmapFromTc() {
        sockmapUpdate(ProgramType.SCHED_CLS).accepted();
    }

    @Test
    void socketIntoSockmapFromXdp() {
        sockmapUpdate(ProgramType.XDP).accepted();
    }

    @Test
    void stackValueIntoSockmapIsRefused() {
        lookup(ProgramType.SCHED_CLS, st(Size.W, 10, -44, 0), movr(2, 10), alu(AluOp.ADD, 2, -44), movr(3, 10),
                alu(AluOp.ADD, 3, -44), mov(4, 0), ldMap(1, 0), call(2), movr(1, 6), call(SK_RELEASE), mov(0, 0), exit())
                .maps(SOCKMAP).rejected();
    }

    @Test
    void popFromSockmapIsRefused() {
        // bpf_map_pop_elem's value is an uninitialised buffer: no form of it suits a sockmap
        Parity.of(ProgramType.SCHED_CLS, movr(2, 10), alu(AluOp.ADD, 2, -8), ldMap(1, 0), call(88), mov(0, 0), exit())
                .maps(SOCKMAP).rejected();
    }

    @Test
    void localStorageFlagsMustBeZero() {
        Parity.of(ProgramType.CGROUP_SKB, ldMap(1, 0), mov(2, 1), call(81), mov(0, 1), exit()).maps(STORAGE).rejected();
    }

    @Test
    void localStorageUnknownFlags() {
        Parity.of(ProgramType.CGROUP_SKB, ldx(Size.W, 2, 1, 0), ldMap(1, 0), call(81), mov(0, 1), exit()).maps(STORAGE)
                .rejected();
    }

    @Test
    void localStorageZeroFlags() {
        Parity.of(ProgramType.CGROUP_SKB, ldMap(1, 0), mov(2, 0), call(81), mov(0, 1), exit()).maps(STORAGE).accepted();
    }

    static final MapShape SOCKHASH = MapShape.builder(MapType.SOCKHASH).name("sh").keySize(4).valueSize(4).maxEntries(4)
            .build();

    /** A sockmap/sockhash lookup read before its NULL check: the type the kernel names it by. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"SOCKMAP", "SOCKHASH"})
    void socketMapLookupBeforeNullCheck(String map) {
        Parity.of(ProgramType.SCHED_CLS, st(Size.W, 10, -4, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1),
                ldx(Size.W, 1, 0, 4), mov(0, 0), exit()).maps(map.equals("SOCKMAP") ? SOCKMAP : SOCKHASH).rejected();
    }

    /** A sockmap lookup NULL-checked and released: the result holds a reference. */
    @Test
    void socketMapLookupHoldsAReference() {
        Parity.of(ProgramType.SCHED_CLS, st(Size.W, 10, -4, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1),
                jmp(JumpOp.JEQ, 0, 0, 3), ldx(Size.W, 6, 0, 4), movr(1, 0), call(SK_RELEASE), mov(0, 0), exit())
                .maps(SOCKMAP).accepted();
    }
}
