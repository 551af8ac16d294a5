package io.bpf4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmarked programs compute what the kernel computes: the return values below are the
 * ones BPF_PROG_TEST_RUN gave on Linux 6.18 for the same objects and inputs
 * (bench/run-interp-vs-kernel.sh, 2026-11-23; the syscall programs are self-checking, 0 means
 * every CHECK in their C source passed, anything else is the failing line).
 */
class WorkloadTest {
    private static final Map<Workload, Long> KERNEL_RETVAL = new EnumMap<>(Map.of(
            Workload.LOOPS_CHECK, 0L,
            Workload.LOOPS_XDP, 1L, // XDP_DROP: the frame's 64 bytes do not xor to zero
            Workload.PACKET_XDP_UDP, 2L, // XDP_PASS: UDP to port 53, not 9
            Workload.MAPS_HASH_CHECK, 0L,
            Workload.MAPS_COUNT_XDP, 2L,
            Workload.SUBPROGS_STATIC, 0L,
            Workload.SUBPROGS_XDP, 2L, // 64 * 64 > 100: XDP_PASS, clamped to [ABORTED, REDIRECT]
            Workload.CALCULON_SELFTEST, 0L,
            Workload.CALCULON_RODATA, 0L));

    @Test
    void everyWorkloadReturnsWhatTheKernelReturnedRunAfterRun() {
        assertThat(KERNEL_RETVAL).containsOnlyKeys(Workload.values());
        for (Workload w : Workload.values()) {
            Workload.Prepared p = w.prepare();
            try {
                for (int run = 0; run < 3; run++) {
                    assertThat(p.run()).as(w + " run " + run).isEqualTo(KERNEL_RETVAL.get(w));
                }
            } finally {
                p.object().close();
            }
        }
    }

    @Test
    void theFrameIsEthernetIpv4UdpWithAValidHeaderChecksum() {
        byte[] f = Workload.udpFrame();
        assertThat(f).hasSize(64);
        assertThat(f[12] & 0xff).isEqualTo(0x08);
        assertThat(f[13] & 0xff).isZero();
        assertThat(f[14 + 9] & 0xff).isEqualTo(17);
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        assertThat(sum).isEqualTo(0xffff);
        assertThat(((f[36] & 0xff) << 8) | (f[37] & 0xff)).isEqualTo(53);
    }

}
