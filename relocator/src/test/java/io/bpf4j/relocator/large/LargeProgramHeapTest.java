package io.bpf4j.relocator.large;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.isa.Alu;
import io.bpf4j.isa.Exit;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.relocator.ObjectSpec;
import io.bpf4j.relocator.RelocatedProgram;
import io.bpf4j.relocator.Relocator;
import io.bpf4j.relocator.RelocatorOptions;
import io.bpf4j.testdata.CraftedElf;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 52 MB object of 6.5 million instructions opens and relocates within a 512 MB heap (issue 20:
 * the decoded and relocated forms cost a small constant per instruction). Runs in its own
 * {@code -Xmx512m} JVM (see the module's pom), so an unbounded form fails with OutOfMemoryError.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LargeProgramHeapTest {
    static final int SLOTS = 6_500_000;

    /** {@code r0 = 0}, then {@code r0 += 1} with an {@code r1 = imm64} every 1000 slots, then {@code exit}. */
    static byte[] hugeProgram() {
        ByteBuffer code = ByteBuffer.allocate(SLOTS * 8).order(ByteOrder.LITTLE_ENDIAN);
        code.put((byte) 0xb7).put((byte) 0).putShort((short) 0).putInt(0);
        int s = 1;
        while (s < SLOTS - 1) {
            if (s % 1000 == 0 && s + 2 < SLOTS) {
                code.put((byte) 0x18).put((byte) 1).putShort((short) 0).putInt(s);
                code.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(-s);
                s += 2;
            } else {
                code.put((byte) 0x07).put((byte) 0).putShort((short) 0).putInt(1);
                s++;
            }
        }
        code.put((byte) 0x95).put((byte) 0).putShort((short) 0).putInt(0);
        CraftedElf w = new CraftedElf();
        w.add("xdp", CraftedElf.PROGBITS, CraftedElf.ALLOC | CraftedElf.EXEC, code.array(), 0, 0, 0);
        w.add(".strtab", CraftedElf.STRTAB, 0, CraftedElf.strings("huge"), 0, 0, 0);
        byte[] syms = CraftedElf.concat(CraftedElf.symbol(0, 0, 0, 0, 0), CraftedElf.symbol(1, 0x12, 1, 0, SLOTS * 8L));
        w.add(".symtab", CraftedElf.SYMTAB, 0, syms, 2, 1, 24);
        w.add("license", CraftedElf.PROGBITS, CraftedElf.ALLOC | CraftedElf.WRITE, CraftedElf.strings("GPL"), 0, 0, 0);
        return w.bytes();
    }

    @Test
    void sixAndAHalfMillionInstructionsOpenAndRelocateInA512MegabyteHeap() {
        long maxHeap = Runtime.getRuntime().maxMemory();
        // Only the pom's -Xmx512m execution proves the bound; a -Dtest run in the default JVM skips here.
        assumeTrue(maxHeap <= 560L << 20, "runs in the large-program-heap execution (-Xmx512m), not in a " + (maxHeap >> 20) + " MB heap");
        byte[] file = hugeProgram();
        long before = usedAfterGc();
        ElfObject elf = ElfObject.read(file);
        file = null;
        ObjectSpec spec = Relocator.open(elf, "huge", RelocatorOptions.defaults());
        RelocatedProgram p = Relocator.relocate(spec, "huge");
        long after = usedAfterGc();

        Instructions insns = p.instructions();
        assertThat(insns.slotCount()).isEqualTo(SLOTS);
        assertThat(insns.get(0)).isInstanceOf(Alu.class);
        assertThat(insns.get(insns.size() - 1)).isInstanceOf(Exit.class);
        int wide = insns.indexAtSlot(5000);
        assertThat(insns.get(wide)).isInstanceOfSatisfying(LoadImm64.class, l -> assertThat(l.value()).isEqualTo(
                (long) -5000 << 32 | 5000));
        double perInsn = (double) (after - before) / SLOTS;
        System.out.printf("LargeProgramHeapTest: %d slots, ELF bytes + open + relocated: %.1f bytes of heap per slot"
                + " (the raw bytes alone are 8)%n", SLOTS, perInsn);
        // ELF bytes (8) + the opened program (12) + the relocated program (12) and some slack.
        assertThat(perInsn).isLessThan(40);
        assertThat(spec).isNotNull();
        assertThat(elf).isNotNull();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
