package io.bpf4j.relocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.CoreRelo;
import io.bpf4j.elf.btf.CoreReloKind;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Records and instructions mangled at random (type ids, access strings, kinds, the patched
 * instruction): every outcome is a result or a {@link CoreRelocationException}, never an
 * index, cast or null-pointer failure.
 */
class CoreRobustnessTest {
    private static final String[] ACCESS = {"0", "1", "0:0", "0:1", "0:99", "0:4:3", "0:4:99", "0:11:2:0", "0:11:9", "", ":", "0:",
        "::", "a", "-1", "0:-1", "+0", " 0", "4294967296", "0:0:0:0:0:0", "0:2:0:1", "3:1", "0:7"};

    @Test
    void mangledRecordsNeverEscapeAsUncheckedFailures() {
        ElfObject obj = CoreFixtures.object("core_kernel.el.o");
        Btf local = obj.btf().orElseThrow();
        CoreTarget target = CoreTarget.of(CoreFixtures.target("vmlinux"));
        List<CoreFixtures.Program> programs = CoreFixtures.programs(obj);
        Random rnd = new Random(20261123);
        int results = 0;
        int refused = 0;
        StringBuilder deep = new StringBuilder("0");
        for (int i = 0; i < 70; i++) deep.append(":0");
        for (int round = 0; round < 6000; round++) {
            CoreFixtures.Program p = programs.get(rnd.nextInt(programs.size()));
            int slot = rnd.nextInt(p.insns().slotCount());
            int typeId = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextInt(local.typeCount());
                case 1 -> local.typeCount() + rnd.nextInt(10);
                case 2 -> -rnd.nextInt(5);
                default -> rnd.nextInt(40);
            };
            String access = rnd.nextInt(20) == 0 ? deep.toString() : ACCESS[rnd.nextInt(ACCESS.length)];
            CoreReloKind kind = CoreReloKind.values()[rnd.nextInt(CoreReloKind.values().length)];
            Instructions insns = p.insns();
            if (rnd.nextInt(4) == 0) {
                int at = insns.indexAtSlot(slot);
                if (at >= 0 && insns.get(at).slots() == 1) {
                    insns = insns.with(at, Instruction.of(Slot.of(rnd.nextInt(256), rnd.nextInt(16), rnd.nextInt(16), rnd.nextInt(65536) - 32768, rnd.nextInt())));
                }
            }
            long offset = slot * 8L + (rnd.nextInt(30) == 0 ? 3 : 0);
            List<CoreRelo> relos = new ArrayList<>();
            relos.add(new CoreRelo(offset, typeId, 0, access, kind));
            try {
                CoreRelocation r = new CoreRelocator(local, target).relocate(p.name(), insns, relos);
                results += r.results().size();
                assertThat(r.instructions().slotCount()).isEqualTo(insns.slotCount());
            } catch (CoreRelocationException e) {
                refused++;
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        assertThat(results).isPositive();
        assertThat(refused).isPositive();
    }
}
