package io.bpf4j.isa.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Context rules as the 6.18 sources state them, checked without a kernel (the kernel-tagged
 * {@link ContextLayoutKernelTest} checks every offset against the running kernel).
 */
class ContextLayoutTest {

    private final KernelProfile p = KernelProfile.linux618();

    @Test
    void tcSeesPacketPointersAndWritesItsFields() {
        ContextLayout tc = p.context(ProgramType.SCHED_CLS, null);
        assertThat(tc.size()).isEqualTo(192);
        assertThat(tc.structName()).isEqualTo("__sk_buff");
        assertThat(tc.access(76, 4, false).yields()).isEqualTo(RegKind.PTR_TO_PACKET);
        assertThat(tc.access(80, 4, false).yields()).isEqualTo(RegKind.PTR_TO_PACKET_END);
        assertThat(tc.access(140, 4, false).yields()).isEqualTo(RegKind.PTR_TO_PACKET_META);
        assertThat(tc.access(76, 4, false, true).valid()).as("ldsx of a packet pointer").isFalse();
        assertThat(tc.access(76, 2, false).valid()).as("narrow load of a pointer").isFalse();
        assertThat(tc.access(168, 8, false).yields()).isEqualTo(RegKind.PTR_TO_SOCK_COMMON_OR_NULL);
        assertThat(tc.access(8, 4, true).valid()).as("mark is writable").isTrue();
        assertThat(tc.access(8, 2, true).valid()).as("narrow store").isFalse();
        assertThat(tc.access(1, 1, false).valid()).as("narrow load of len's second byte").isTrue();
        assertThat(tc.access(1, 1, false).ctxFieldSize()).isEqualTo(4);
        assertThat(tc.access(0, 4, true).valid()).as("len is read-only").isFalse();
        assertThat(tc.access(48, 8, true).valid()).as("8-byte store into cb[0..1]").isTrue();
        assertThat(tc.access(64, 8, false).valid()).as("8 bytes from cb[4] run past cb").isFalse();
        assertThat(tc.access(88, 4, false).valid()).as("family is for sk_skb").isFalse();
        assertThat(tc.access(144, 8, false).valid()).as("flow_keys").isFalse();
        assertThat(tc.access(180, 1, false).valid()).as("tstamp_type byte").isTrue();
        assertThat(tc.access(182, 1, false).valid()).as("padding").isFalse();
        assertThat(tc.access(2, 4, false).valid()).as("misaligned").isFalse();
        assertThat(tc.returnRange()).isEmpty();
    }

    @Test
    void socketFilterAndCgroupSkbDiffer() {
        ContextLayout sf = p.context(ProgramType.SOCKET_FILTER, null);
        assertThat(sf.access(76, 4, false).valid()).isFalse();
        assertThat(sf.access(8, 4, true).valid()).isFalse();
        assertThat(sf.access(48, 4, true).valid()).isTrue();
        ContextLayout egress = p.context(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS);
        assertThat(egress.access(76, 4, false).yields()).isEqualTo(RegKind.PTR_TO_PACKET);
        assertThat(egress.access(140, 4, false).valid()).isFalse();
        assertThat(egress.returnRange()).contains(ReturnRange.of(0, 3));
        assertThat(p.context(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS).returnRange())
                .contains(ReturnRange.of(0, 1));
    }

    @Test
    void xdpReadsWholeWordsAndDevmapSeesEgress() {
        ContextLayout x = p.context(ProgramType.XDP, AttachType.XDP);
        assertThat(x.access(12, 2, false).valid()).isFalse();
        assertThat(x.access(20, 4, false).valid()).isFalse();
        assertThat(p.context(ProgramType.XDP, AttachType.XDP_DEVMAP).access(20, 4, false).valid()).isTrue();
        assertThat(x.access(16, 4, true).valid()).isFalse();
        assertThat(x.returnRange()).as("6.18 does not range-check XDP verdicts").isEmpty();
    }

    @Test
    void sockAddrFieldsFollowTheAttachTypesFamily() {
        ContextLayout c4 = p.context(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT);
        assertThat(c4.access(4, 4, true).valid()).isTrue();
        assertThat(c4.access(8, 4, false).valid()).as("user_ip6 in an inet4 hook").isFalse();
        ContextLayout s6 = p.context(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_SENDMSG);
        assertThat(s6.access(8, 8, true).valid()).as("wide store of two user_ip6 words").isTrue();
        assertThat(s6.access(48, 8, false).valid()).as("wide load of msg_src_ip6[1..2]").isTrue();
        assertThat(s6.access(44, 8, false).valid()).isFalse();
        assertThat(s6.access(64, 8, false).yields()).isEqualTo(RegKind.PTR_TO_SOCKET);
        assertThat(p.context(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_RECVMSG).returnRange())
                .contains(ReturnRange.of(1, 1));
        assertThat(p.context(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_BIND).returnRange())
                .contains(ReturnRange.of(0, 3));
    }

    @Test
    void exactOffsetFieldsRefuseInnerNarrowLoads() {
        ContextLayout sock = p.context(ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE);
        assertThat(sock.access(4, 1, false).valid()).isTrue();
        assertThat(sock.access(5, 1, false).valid()).isFalse();
        assertThat(sock.access(48, 4, false).valid()).as("4-byte load of dst_port").isTrue();
        assertThat(sock.access(50, 2, false).valid()).as("after dst_port").isFalse();
        assertThat(sock.access(16, 4, true).valid()).as("mark at socket creation").isTrue();
        assertThat(p.context(ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET4_POST_BIND).access(16, 4, false).valid())
                .isFalse();
        ContextLayout rtw = p.context(ProgramType.RAW_TRACEPOINT_WRITABLE, null);
        assertThat(rtw.access(0, 8, false).yields()).isEqualTo(RegKind.PTR_TO_TP_BUFFER);
        assertThat(rtw.access(0, 4, false).valid()).isFalse();
        assertThat(rtw.access(4, 4, false).yields()).isEqualTo(RegKind.SCALAR);
    }

    @Test
    void flatContexts() {
        ContextLayout kp = p.context(ProgramType.KPROBE, null);
        assertThat(kp.isFlat()).isTrue();
        assertThat(kp.access(160, 8, false).valid()).isTrue();
        assertThat(kp.access(168, 8, false).valid()).isFalse();
        assertThat(kp.access(0, 8, true).valid()).isFalse();
        ContextLayout tp = p.context(ProgramType.TRACEPOINT, null);
        assertThat(tp.access(0, 8, false).valid()).isFalse();
        assertThat(tp.access(8184, 8, false).valid()).isTrue();
        assertThat(tp.access(8192, 8, false).valid()).isFalse();
        ContextLayout sys = p.context(ProgramType.SYSCALL, null);
        assertThat(sys.access(32760, 8, true).valid()).isTrue();
        assertThat(p.context(ProgramType.RAW_TRACEPOINT, null).access(96, 8, false).valid()).isFalse();
        assertThat(p.context(ProgramType.PERF_EVENT, null).access(170, 2, false).valid()).as("narrow sample_period")
                .isTrue();
        assertThat(p.context(ProgramType.PERF_EVENT, null).access(4, 4, false).valid()).as("regs are whole words")
                .isFalse();
    }

    @Test
    void returnRanges() {
        assertThat(p.context(ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP).returnRange()).contains(ReturnRange.of(0, 1));
        assertThat(p.context(ProgramType.TRACING, AttachType.TRACE_FENTRY).returnRange()).contains(ReturnRange.of(0, 0));
        assertThat(p.context(ProgramType.TRACING, AttachType.TRACE_ITER).returnRange()).contains(ReturnRange.of(0, 1));
        assertThat(p.context(ProgramType.KPROBE, AttachType.TRACE_KPROBE_SESSION).returnRange())
                .contains(ReturnRange.of(0, 1));
        assertThat(p.context(ProgramType.KPROBE, null).returnRange()).isEmpty();
        assertThat(p.context(ProgramType.NETFILTER, AttachType.NETFILTER).returnRange()).contains(ReturnRange.of(0, 1));
    }

    @Test
    void everyDescribedTypeHasALayoutAndFieldsStayInside() {
        for (ProgramType t : Arrays.asList(ProgramType.values())) {
            ContextLayout l = p.context(t, null);
            for (ContextField f : l.fields()) {
                assertThat(f.end()).as(t + " " + f.name()).isLessThanOrEqualTo(l.size());
            }
        }
        assertThat(p.context(ProgramType.STRUCT_OPS, null).size()).as("not described").isZero();
    }
}
