package io.bpf4j.isa.abi;

import static io.bpf4j.isa.abi.LiveBpf.concat;
import static io.bpf4j.isa.abi.LiveBpf.insn;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * pkt_access of every prototype that takes memory, against the running kernel: a bounds-checked
 * packet pointer is passed as the first memory argument (earlier arguments get the ctx, a map or 0);
 * a helper without pkt_access is refused with {@code helper access to the packet is not allowed}.
 */
@Tag("kernel")
class PktAccessKernelTest {

    private static boolean memory(ArgKind k) {
        return k == ArgKind.PTR_TO_MEM || k == ArgKind.PTR_TO_MAP_KEY || k == ArgKind.PTR_TO_MAP_VALUE;
    }

    @Test
    void packetPointersReachOnlyHelpersWithPktAccess() {
        KernelProfile p = KernelProfile.linux618();
        List<String> wrong = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int checked = 0;
        try (LiveBpf live = LiveBpf.startOrSkip()) {
            int fd = live.createMap(MapType.HASH, 4, 8, 4, 0);
            assertThat(fd).isPositive();
            for (Object[] t : List.of(new Object[] {ProgramType.SCHED_CLS, null, 76, 80},
                    new Object[] {ProgramType.XDP, AttachType.XDP, 0, 4})) {
                ProgramType type = (ProgramType) t[0];
                AttachType attach = (AttachType) t[1];
                for (int id : p.helperIds(type)) {
                    HelperProto h = p.helper(type, attach, id).orElse(null);
                    // sleeping and allowlisted helpers are refused before their arguments are looked at
                    if (h == null || h.mightSleep() || h.targetAllowlist() || !seen.add(h.name() + "@" + h.variant())) {
                        continue;
                    }
                    int memArg = -1;
                    for (int i = 0; i < h.args().size(); i++) {
                        if (memory(h.args().get(i).kind())) {
                            memArg = i;
                            break;
                        }
                    }
                    if (memArg < 0) {
                        continue;
                    }
                    ByteArrayOutputStream prog = new ByteArrayOutputStream();
                    prog.writeBytes(concat(
                            insn(0xbf, 6, 1, 0, 0),                    // r6 = ctx
                            insn(0x61, 7, 1, (Integer) t[2], 0),        // r7 = data
                            insn(0x61, 8, 1, (Integer) t[3], 0),        // r8 = data_end
                            insn(0xbf, 9, 7, 0, 0),                    // r9 = r7
                            insn(0x07, 9, 0, 0, 64),                   // r9 += 64
                            insn(0x2d, 9, 8, 0, 0)));                  // if r9 > r8 goto exit (patched below)
                    ByteArrayOutputStream args = new ByteArrayOutputStream();
                    boolean usable = true;
                    for (int i = 0; i < 5; i++) {
                        int reg = i + 1;
                        ArgKind k = h.arg(i).kind();
                        if (i == memArg) {
                            args.writeBytes(insn(0xbf, reg, 7, 0, 0));
                        } else if (i < memArg && k == ArgKind.PTR_TO_CTX) {
                            args.writeBytes(insn(0xbf, reg, 6, 0, 0));
                        } else if (i < memArg && k == ArgKind.CONST_MAP_PTR) {
                            args.writeBytes(LiveBpf.ldMapFd(reg, fd));
                        } else if (i < memArg && !(k == ArgKind.ANYTHING || k == ArgKind.SCALAR || h.arg(i).maybeNull())) {
                            usable = false;
                        } else {
                            args.writeBytes(insn(0xb7, reg, 0, 0, i == memArg + 1 ? 8 : 0));
                        }
                    }
                    if (!usable) {
                        continue;
                    }
                    byte[] body = concat(args.toByteArray(), insn(0x85, 0, 0, 0, id));
                    byte[] head = prog.toByteArray();
                    // the bounds check jumps over the call to the common exit
                    byte[] check = insn(0x2d, 9, 8, body.length / 8, 0);
                    System.arraycopy(check, 0, head, head.length - 8, 8);
                    LiveBpf.Verdict v = live.load(type, attach, 0, 0, 1, concat(head, body, LiveBpf.exitWith(0)));
                    checked++;
                    boolean refused = v.log().contains("helper access to the packet is not allowed");
                    if (refused == h.pktAccess()) {
                        wrong.add(type.displayName() + " " + h + ": pkt_access=" + h.pktAccess() + ", kernel says '"
                                + v.errorLine() + "'");
                    }
                }
            }
        }
        System.out.println("[PktAccessKernelTest] " + checked + " prototypes given a packet pointer, " + wrong.size() + " differ");
        assertThat(checked).isGreaterThan(20);
        assertThat(wrong).isEmpty();
    }
}
