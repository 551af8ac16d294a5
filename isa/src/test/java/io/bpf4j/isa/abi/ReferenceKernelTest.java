package io.bpf4j.isa.abi;

import static io.bpf4j.isa.abi.LiveBpf.concat;
import static io.bpf4j.isa.abi.LiveBpf.insn;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Acquire/release of the prototypes against the running kernel: a valid call of each socket
 * lookup variant and of ringbuf_reserve that exits holding the result is refused as an unreleased
 * reference, and passes once the release helper the table names ({@code obj_release} argument)
 * gets the non-NULL result.
 */
@Tag("kernel")
class ReferenceKernelTest {

    /** 12-byte IPv4 tuple of zeros on the stack at r10-16, lookup(ctx, tuple, 12, -1, 0). */
    static byte[] lookup(int helper) {
        return concat(insn(0x7a, 10, 0, -16, 0), insn(0x7a, 10, 0, -8, 0), insn(0xbf, 2, 10, 0, 0), insn(0x07, 2, 0, 0, -16),
                insn(0xb7, 3, 0, 0, 12), insn(0xb7, 4, 0, 0, -1), insn(0xb7, 5, 0, 0, 0), insn(0x85, 0, 0, 0, helper));
    }

    /** {@code if r0 == 0 goto exit; r1 = r0; r2 = 0; call release} then exit with {@code ret}. */
    static byte[] release(int helper, int ret) {
        return concat(insn(0x15, 0, 0, 3, 0), insn(0xbf, 1, 0, 0, 0), insn(0xb7, 2, 0, 0, 0), insn(0x85, 0, 0, 0, helper),
                LiveBpf.exitWith(ret));
    }

    @Test
    void acquiredReferencesMustBeReleasedWithTheReleasingHelper() {
        KernelProfile p = KernelProfile.linux618();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        try (LiveBpf live = LiveBpf.startOrSkip()) {
            record Case(ProgramType type, AttachType attach, int ret) {
            }
            List<Case> cases = List.of(new Case(ProgramType.SCHED_CLS, null, 0), new Case(ProgramType.XDP, AttachType.XDP, 0),
                    new Case(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, 1),
                    new Case(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT, 1),
                    new Case(ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT, 0));
            for (Case c : cases) {
                for (HelperId lookup : List.of(HelperId.SK_LOOKUP_TCP, HelperId.SK_LOOKUP_UDP, HelperId.SKC_LOOKUP_TCP)) {
                    HelperProto h = p.helper(c.type(), c.attach(), lookup.id()).orElseThrow();
                    HelperProto rel = p.helper(c.type(), c.attach(), HelperId.SK_RELEASE.id()).orElseThrow();
                    byte[] call = concat(insn(0xbf, 1, 1, 0, 0), lookup(lookup.id()));
                    LiveBpf.Verdict held = live.load(c.type(), c.attach(), 0, 0, 1, concat(call, LiveBpf.exitWith(c.ret())));
                    LiveBpf.Verdict released = live.load(c.type(), c.attach(), 0, 0, 1,
                            concat(call, release(HelperId.SK_RELEASE.id(), c.ret())));
                    checked++;
                    boolean kernelAcquires = held.log().contains("Unreleased reference");
                    if (kernelAcquires != h.acquiresRef() || !released.ok() || rel.releasedArg() != 0) {
                        wrong.add(c.type().displayName() + " " + h + ": held '" + held.errorLine() + "', released '"
                                + released.errorLine() + "'");
                    }
                }
            }
            int rb = live.createMap(MapType.RINGBUF, 0, 0, 4096, 0);
            assertThat(rb).as("ring buffer").isPositive();
            HelperProto reserve = p.helper(HelperId.RINGBUF_RESERVE.id()).orElseThrow();
            byte[] call = concat(LiveBpf.ldMapFd(1, rb), insn(0xb7, 2, 0, 0, 8), insn(0xb7, 3, 0, 0, 0),
                    insn(0x85, 0, 0, 0, HelperId.RINGBUF_RESERVE.id()));
            LiveBpf.Verdict held = live.load(ProgramType.SOCKET_FILTER, null, 0, 0, 1, concat(call, LiveBpf.exitWith(0)));
            if (held.log().contains("Unreleased reference") != reserve.acquiresRef()) {
                wrong.add(reserve + ": held '" + held.errorLine() + "'");
            }
            for (HelperId r : List.of(HelperId.RINGBUF_SUBMIT, HelperId.RINGBUF_DISCARD)) {
                LiveBpf.Verdict v = live.load(ProgramType.SOCKET_FILTER, null, 0, 0, 1, concat(call, release(r.id(), 0)));
                if (!v.ok() || p.helper(r.id()).orElseThrow().releasedArg() != 0) {
                    wrong.add(r + ": '" + v.errorLine() + "'");
                }
            }
            checked += 3;
        }
        System.out.println("[ReferenceKernelTest] " + checked + " acquire/release pairs checked, " + wrong.size() + " differ");
        assertThat(wrong).isEmpty();
    }
}
