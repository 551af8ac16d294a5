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

/** Helper calls, references, static calls and limits. */
@Tag("kernel")
class HelperTest {
    static final MapShape HASH = MapShape.builder(MapType.HASH).name("h").keySize(8).valueSize(8).maxEntries(16).build();
    static final MapShape RINGBUF = MapShape.builder(MapType.RINGBUF).name("rb").maxEntries(4096).build();
    static final MapShape PROGS = MapShape.builder(MapType.PROG_ARRAY).name("progs").keySize(4).valueSize(4).maxEntries(4).build();

    @Test
    void helperNotAllowedForProgramType() {
        // bpf_xdp_adjust_head (44) from a socket filter
        Parity.socket(mov(2, 0), call(44), mov(0, 0), exit()).rejected();
    }

    @Test
    void invalidHelperId() {
        Parity.socket(call(100000), mov(0, 0), exit()).rejected();
    }

    @Test
    void callerSavedRegistersScratched() {
        Parity.socket(mov(1, 5), call(7), movr(0, 1), exit()).rejected();
    }

    @Test
    void calleeSavedRegistersKept() {
        Parity.socket(mov(6, 5), call(7), movr(0, 6), exit()).accepted();
    }

    @Test
    void wrongArgumentType() {
        // map_lookup_elem(ctx, fp-8)
        Parity.socket(st(Size.DW, 10, -8, 0), movr(2, 10), alu(AluOp.ADD, 2, -8), call(1), mov(0, 0), exit()).maps(HASH)
                .rejected();
    }

    @Test
    void keyNotInitialisedIsFineForRoot() {
        Parity.socket(movr(2, 10), alu(AluOp.ADD, 2, -8), ldMap(1, 0), call(1), mov(0, 0), exit()).maps(HASH).agrees();
    }

    @Test
    void keyOutsideStack() {
        Parity.socket(movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1), mov(0, 0), exit()).maps(HASH).rejected();
    }

    @Test
    void scalarAsKey() {
        Parity.socket(mov(2, 0), ldMap(1, 0), call(1), mov(0, 0), exit()).maps(HASH).rejected();
    }

    @Test
    void updateElem() {
        Parity.socket(st(Size.DW, 10, -8, 0), st(Size.DW, 10, -16, 0), movr(2, 10), alu(AluOp.ADD, 2, -8), movr(3, 10),
                alu(AluOp.ADD, 3, -16), mov(4, 0), ldMap(1, 0), call(2), mov(0, 0), exit()).maps(HASH).accepted();
    }

    @Test
    void tailCallNeedsProgArray() {
        Parity.socket(ldMap(2, 0), mov(3, 0), call(12), mov(0, 0), exit()).maps(HASH).rejected();
    }

    @Test
    void tailCall() {
        Parity.socket(ldMap(2, 0), mov(3, 0), call(12), mov(0, 0), exit()).maps(PROGS).accepted();
    }

    @Test
    void progArrayToLookup() {
        Parity.socket(st(Size.W, 10, -4, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1), mov(0, 0), exit())
                .maps(PROGS).rejected();
    }

    @Test
    void probeReadSizeMustBeBounded() {
        // bpf_probe_read_kernel(fp-8, len, 0) from kprobe with an unbounded size
        Parity.of(ProgramType.KPROBE, ldx(Size.DW, 2, 1, 0), movr(1, 10), alu(AluOp.ADD, 1, -8), mov(3, 0), call(113),
                mov(0, 0), exit()).rejected();
    }

    @Test
    void probeReadBoundedSize() {
        Parity.of(ProgramType.KPROBE, ldx(Size.DW, 2, 1, 0), alu(AluOp.AND, 2, 7), movr(1, 10), alu(AluOp.ADD, 1, -8),
                mov(3, 0), call(113), mov(0, 0), exit()).accepted();
    }

    @Test
    void probeReadZeroSize() {
        Parity.of(ProgramType.KPROBE, mov(2, 0), movr(1, 10), alu(AluOp.ADD, 1, -8), mov(3, 0), call(113), mov(0, 0), exit())
                .agrees();
    }

    @Test
    void ringbufReserveSubmit() {
        Parity.of(ProgramType.KPROBE, ldMap(1, 0), mov(2, 8), mov(3, 0), call(131), jmp(JumpOp.JEQ, 0, 0, 4), st(Size.DW, 0, 0, 1),
                movr(1, 0), mov(2, 0), call(132), mov(0, 0), exit()).maps(RINGBUF).accepted();
    }

    @Test
    void ringbufReserveLeaks() {
        Parity.of(ProgramType.KPROBE, ldMap(1, 0), mov(2, 8), mov(3, 0), call(131), jmp(JumpOp.JEQ, 0, 0, 1),
                st(Size.DW, 0, 0, 1), mov(0, 0), exit()).maps(RINGBUF).rejected();
    }

    @Test
    void ringbufSubmitTwice() {
        Parity.of(ProgramType.KPROBE, ldMap(1, 0), mov(2, 8), mov(3, 0), call(131), jmp(JumpOp.JEQ, 0, 0, 7), movr(6, 0),
                movr(1, 0), mov(2, 0), call(132), movr(1, 6), mov(2, 0), call(132), mov(0, 0), exit()).maps(RINGBUF).rejected();
    }

    @Test
    void ringbufReserveSizeNotConstant() {
        Parity.of(ProgramType.KPROBE, ldx(Size.DW, 2, 1, 0), ldMap(1, 0), mov(3, 0), call(131), mov(0, 0), exit())
                .maps(RINGBUF).rejected();
    }

    @Test
    void ringbufWriteOutOfBounds() {
        Parity.of(ProgramType.KPROBE, ldMap(1, 0), mov(2, 8), mov(3, 0), call(131), jmp(JumpOp.JEQ, 0, 0, 4), st(Size.DW, 0, 4, 1),
                movr(1, 0), mov(2, 0), call(132), mov(0, 0), exit()).maps(RINGBUF).rejected();
    }

    @Test
    void spinLockNeedsMapBtf() {
        Parity.socket(st(Size.DW, 10, -8, 0), movr(2, 10), alu(AluOp.ADD, 2, -8), ldMap(1, 0), call(1),
                jmp(JumpOp.JEQ, 0, 0, 2), movr(1, 0), call(93), mov(0, 0), exit()).maps(HASH).rejected();
    }

    /** A callback address needs BTF func_info (bpf_loop callbacks themselves are checked against testdata objects). */
    @Test
    void callbackWithoutFuncInfo() {
        Parity.socket(mov(1, 4), io.bpf4j.isa.LoadImm64.of(r(2), io.bpf4j.isa.Opcodes.PSEUDO_FUNC, 5, 0), mov(3, 0), mov(4, 0),
                call(181), mov(0, 0), exit(), mov(0, 0), exit()).rejected();
    }

    @Test
    void staticCallPassesArguments() {
        // main: r1 = 3; call sub; exit.  sub: r0 = r1; exit
        Parity.socket(mov(1, 3), callLocal(1), exit(), movr(0, 1), exit()).accepted();
    }

    @Test
    void staticCallClobbersCallerRegs() {
        Parity.socket(mov(2, 3), callLocal(2), movr(0, 2), exit(), mov(0, 0), exit()).rejected();
    }

    @Test
    void staticCallReturningStackPointer() {
        Parity.socket(callLocal(2), mov(0, 0), exit(), movr(0, 10), exit()).rejected();
    }

    @Test
    void callStackTooDeep() {
        // nine nested frames: each subprog calls the next
        io.bpf4j.isa.Instruction[] p = new io.bpf4j.isa.Instruction[2 + 9 * 2 + 2];
        int i = 0;
        p[i++] = callLocal(1);
        p[i++] = exit();
        for (int k = 0; k < 9; k++) {
            p[i++] = callLocal(1);
            p[i++] = exit();
        }
        p[i++] = mov(0, 0);
        p[i] = exit();
        Parity.socket(p).rejected();
    }

    @Test
    void combinedStackTooLarge() {
        // main uses 512 bytes of stack and calls a subprog using 8 more
        Parity.socket(st(Size.DW, 10, -512, 0), callLocal(2), mov(0, 0), exit(), st(Size.DW, 10, -8, 0), mov(0, 0), exit())
                .rejected();
    }

    @Test
    void tooManyPendingBranches() {
        int n = 8200;
        io.bpf4j.isa.Instruction[] p = new io.bpf4j.isa.Instruction[n + 3];
        p[0] = ldx(Size.W, 2, 1, 0);
        for (int k = 1; k <= n; k++) {
            p[k] = jmp(JumpOp.JEQ, 2, k, 0);
        }
        p[n + 1] = mov(0, 0);
        p[n + 2] = exit();
        Parity.socket(p).rejected();
    }

    static final MapShape INNER = MapShape.builder(MapType.ARRAY).name("in").keySize(4).valueSize(8).maxEntries(2).build();
    static final MapShape OUTER = MapShape.builder(MapType.ARRAY_OF_MAPS).name("out").keySize(4).valueSize(4).maxEntries(2)
            .inner(INNER).build();

    /** lookup(outer) then lookup(result): without the NULL check the result is a map pointer that may be NULL. */
    @Test
    void innerMapUsedBeforeNullCheck() {
        Parity.socket(st(Size.W, 10, -4, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1), movr(1, 0),
                movr(2, 10), alu(AluOp.ADD, 2, -4), call(1), mov(0, 0), exit()).maps(OUTER).rejected();
    }

    @Test
    void innerMapLookup() {
        Parity.socket(st(Size.W, 10, -4, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1),
                jmp(JumpOp.JEQ, 0, 0, 6), movr(1, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), call(1), jmp(JumpOp.JEQ, 0, 0, 1),
                ldx(Size.DW, 0, 0, 0), mov(0, 0), exit()).maps(OUTER).accepted();
    }

    /** bpf_strtoul(buf, 4, 0, res): the result pointer must be 8-byte aligned (MEM_ALIGNED), checked on the stack. */
    @org.junit.jupiter.params.ParameterizedTest(name = "res at fp{0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {-24, -20, -16})
    void strtoulResultAlignment(int res) {
        Parity.of(ProgramType.CGROUP_SYSCTL, movr(7, 10), alu(AluOp.ADD, 7, -8), mov(0, 0x00303036), stx(Size.DW, 7, 0, 0),
                movr(1, 7), mov(2, 4), mov(3, 0), st(Size.DW, 10, -24, 0), st(Size.DW, 10, -16, 0), movr(4, 10),
                alu(AluOp.ADD, 4, res), call(106), mov(0, 1), exit()).agrees();
    }

    /** Recursion bounded at run time still fails check_max_stack_depth's static walk of the call graph. */
    @Test
    void boundedRecursionIsTooDeepForTheStaticWalk() {
        Parity.socket(mov(1, 0), callLocal(1), exit(), alu(AluOp.ADD, 1, 1), movr(0, 1), jmp(JumpOp.JLT, 1, 4, 1), exit(),
                callLocal(-5), exit()).rejected();
    }

    /**
     * bpf_fastcall: the callee's spill and fill of r1 around the inlined bpf_get_smp_processor_id
     * go away, so its stack does not count and 512 bytes in the caller still fit; an access into
     * that stack from outside the pattern (the store at fp-16) keeps it. The {@code stack depth}
     * statistics lines must match too.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "outside store {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void fastcallSpillsDoNotCountTowardsTheStack(boolean outsideStore) {
        io.bpf4j.isa.Instruction first = outsideStore ? st(Size.DW, 10, -16, 0) : mov(2, 0);
        Parity.Outcome o = Parity.of(ProgramType.RAW_TRACEPOINT, mov(1, 42), stx(Size.DW, 10, -512, 1), callLocal(1), exit(),
                first, stx(Size.DW, 10, -8, 1), call(8), ldx(Size.DW, 1, 10, -8), exit()).logLevel(5).agrees();
        org.assertj.core.api.Assertions.assertThat(stackDepthLine(o.log())).isEqualTo(stackDepthLine(o.kernel().log()));
    }

    @Test
    void fastcallPatternAroundAHelperThatIsNotInlined() {
        // bpf_get_prandom_u32 follows no fastcall contract in 6.18: its spill stays
        Parity.Outcome o = Parity.of(ProgramType.RAW_TRACEPOINT, mov(1, 42), stx(Size.DW, 10, -512, 1), callLocal(1), exit(),
                stx(Size.DW, 10, -8, 1), call(7), ldx(Size.DW, 1, 10, -8), exit()).logLevel(5).agrees();
        org.assertj.core.api.Assertions.assertThat(stackDepthLine(o.log())).isEqualTo(stackDepthLine(o.kernel().log()));
    }

    private static String stackDepthLine(String log) {
        return java.util.Arrays.stream(log.split("\n")).filter(l -> l.startsWith("stack depth")).findFirst().orElse(null);
    }
}
