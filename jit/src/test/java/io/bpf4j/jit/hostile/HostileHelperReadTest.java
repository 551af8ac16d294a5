package io.bpf4j.jit.hostile;

import static io.bpf4j.jit.TestPrograms.asm;
import static io.bpf4j.jit.TestPrograms.prepare;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.jit.Executable;
import io.bpf4j.jit.runtime.MemoryFault;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Helpers take lengths from the program: a length far past the region must fault before any
 * allocation (issue 20). Runs in the forked small-heap JVM (see the module's pom).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileHelperReadTest {

    @Test
    void tracePrintkWithHugeFormatSizeFaultsInsteadOfAllocating() {
        // bpf_trace_printk(fp-8, 0x7fffffff): 2 GiB would not fit a 256 MB heap
        Executable exe = prepare(asm("stdw [%r10-8], 0x6425", "mov %r1, %r10", "add %r1, -8", "mov %r2, 0x7fffffff",
                "call 6", "exit"));
        assertThatThrownBy(() -> exe.run(exe.newContext())).isInstanceOf(MemoryFault.class)
                .hasMessageContaining("invalid read of 2147483647 bytes").hasMessageContaining("stack");
    }

    @Test
    void strtolOfHugeLengthFaults() {
        // bpf_strtol(fp-16, 0x7fffffff, 0, fp-8)
        Executable exe = prepare(asm("stdw [%r10-16], 0x31", "mov %r1, %r10", "add %r1, -16", "mov %r2, 0x7fffffff",
                "mov %r3, 0", "mov %r4, %r10", "add %r4, -8", "call 105", "exit"));
        assertThatThrownBy(() -> exe.run(exe.newContext())).isInstanceOf(MemoryFault.class)
                .hasMessageContaining("2147483647 bytes");
    }
}
