package io.bpf4j.isa.abi;

import static io.bpf4j.isa.abi.LiveBpf.concat;
import static io.bpf4j.isa.abi.LiveBpf.insn;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Argument flags the 6.12 and 7.0 sources disagree on, settled by the running 6.18 kernel:
 * whether a helper writes its buffer (MEM_WRITE: a value of a map read-only to programs is then
 * refused with {@code write into map forbidden}) and whether bpf_loop's count is a plain scalar.
 */
@Tag("kernel")
class ProtoFlagsKernelTest {

    private static final int F_RDONLY_PROG = 1 << 7;

    /** Looks up key 0 of the map in R0, exits if NULL, then runs {@code call} with R1 = ctx. */
    static byte[] withMapValue(int fd, byte[] call) {
        return concat(
                insn(0xbf, 6, 1, 0, 0),                 // r6 = r1
                insn(0x62, 10, 0, -4, 0),               // *(u32 *)(r10 -4) = 0
                LiveBpf.ldMapFd(1, fd),                 // r1 = map
                insn(0xbf, 2, 10, 0, 0),                // r2 = r10
                insn(0x07, 2, 0, 0, -4),                // r2 += -4
                insn(0x85, 0, 0, 0, 1),                 // call map_lookup_elem
                insn(0x55, 0, 0, 2, 0),                 // if r0 != 0 goto +2 (past the exit)
                LiveBpf.exitWith(0),
                call,
                LiveBpf.exitWith(0));
    }

    @Test
    void writtenBuffersAndLoopCountAreTheKernels() {
        KernelProfile p = KernelProfile.linux618();
        List<String> wrong = new ArrayList<>();
        try (LiveBpf live = LiveBpf.startOrSkip()) {
            int fd = live.createMap(MapType.ARRAY, 4, 64, 1, F_RDONLY_PROG);
            assertThat(fd).as("read-only array map").isPositive();
            record Probe(ProgramType type, AttachType attach, HelperId helper, int memArg, byte[] call) {
            }
            List<Probe> probes = List.of(
                    // fib_lookup(ctx, params = value, 64, 0)
                    new Probe(ProgramType.XDP, AttachType.XDP, HelperId.FIB_LOOKUP, 1, concat(insn(0xbf, 1, 6, 0, 0),
                            insn(0xbf, 2, 0, 0, 0), insn(0xb7, 3, 0, 0, 64), insn(0xb7, 4, 0, 0, 0), insn(0x85, 0, 0, 0, 69))),
                    new Probe(ProgramType.SCHED_CLS, null, HelperId.FIB_LOOKUP, 1, concat(insn(0xbf, 1, 6, 0, 0),
                            insn(0xbf, 2, 0, 0, 0), insn(0xb7, 3, 0, 0, 64), insn(0xb7, 4, 0, 0, 0), insn(0x85, 0, 0, 0, 69))),
                    // sysctl_get_name(ctx, buf = value, 64, 0)
                    new Probe(ProgramType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL, HelperId.SYSCTL_GET_NAME, 1,
                            concat(insn(0xbf, 1, 6, 0, 0), insn(0xbf, 2, 0, 0, 0), insn(0xb7, 3, 0, 0, 64),
                                    insn(0xb7, 4, 0, 0, 0), insn(0x85, 0, 0, 0, 101))),
                    // snprintf(str = value, 64, fmt = value, NULL, 0)
                    new Probe(ProgramType.SOCKET_FILTER, null, HelperId.SNPRINTF, 0, concat(insn(0xbf, 1, 0, 0, 0),
                            insn(0xb7, 2, 0, 0, 64), insn(0xbf, 3, 0, 0, 0), insn(0xb7, 4, 0, 0, 0), insn(0xb7, 5, 0, 0, 0),
                            insn(0x85, 0, 0, 0, 165))),
                    // snprintf_btf(str = value, 64, ptr = value, 16, 0)
                    new Probe(ProgramType.SOCKET_FILTER, null, HelperId.SNPRINTF_BTF, 0, concat(insn(0xbf, 1, 0, 0, 0),
                            insn(0xb7, 2, 0, 0, 64), insn(0xbf, 3, 0, 0, 0), insn(0xb7, 4, 0, 0, 16), insn(0xb7, 5, 0, 0, 0),
                            insn(0x85, 0, 0, 0, 149))),
                    // read_branch_records(ctx, buf = value, 64, 0)
                    new Probe(ProgramType.PERF_EVENT, null, HelperId.READ_BRANCH_RECORDS, 1, concat(insn(0xbf, 1, 6, 0, 0),
                            insn(0xbf, 2, 0, 0, 0), insn(0xb7, 3, 0, 0, 64), insn(0xb7, 4, 0, 0, 0), insn(0x85, 0, 0, 0, 119))),
                    // get_current_comm(buf = value, 16): MEM_WRITE in both trees, a control
                    new Probe(ProgramType.SOCKET_FILTER, null, HelperId.GET_CURRENT_COMM, 0, concat(insn(0xbf, 1, 0, 0, 0),
                            insn(0xb7, 2, 0, 0, 16), insn(0x85, 0, 0, 0, 16))));
            for (Probe pr : probes) {
                HelperProto h = p.helper(pr.type(), pr.attach(), pr.helper().id()).orElseThrow();
                LiveBpf.Verdict v = live.load(pr.type(), pr.attach(), 0, 0, 1, withMapValue(fd, pr.call()));
                boolean kernelSaysWrite = v.log().contains("write into map forbidden");
                boolean mine = h.arg(pr.memArg()).has(TypeFlag.MEM_WRITE);
                if (kernelSaysWrite != mine) {
                    wrong.add(h + ": MEM_WRITE on arg " + (pr.memArg() + 1) + " is " + mine + ", kernel says '" + v.errorLine() + "'");
                }
            }
            // bpf_loop(nr = frame pointer, ...): a scalar-only count refuses R1 first
            LiveBpf.Verdict loop = live.load(ProgramType.SOCKET_FILTER, null, 0, 0, 1, concat(insn(0xbf, 1, 10, 0, 0),
                    insn(0xb7, 2, 0, 0, 0), insn(0xb7, 3, 0, 0, 0), insn(0xb7, 4, 0, 0, 0), insn(0x85, 0, 0, 0, 181),
                    LiveBpf.exitWith(0)));
            ArgKind nr = p.helper(HelperId.LOOP.id()).orElseThrow().arg(0).kind();
            boolean kernelScalarOnly = loop.errorLine().startsWith("R1 type=fp expected=scalar");
            if (kernelScalarOnly != (nr == ArgKind.SCALAR)) {
                wrong.add("loop arg 1 is " + nr + ", kernel says '" + loop.errorLine() + "'");
            }
        }
        assertThat(wrong).isEmpty();
    }
}
