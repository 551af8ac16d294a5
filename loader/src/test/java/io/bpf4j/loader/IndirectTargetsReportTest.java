package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.relocator.FunctionEntry;
import io.bpf4j.relocator.RelocatedProgram;
import io.bpf4j.testdata.TestData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every testdata program with a {@code callx}, a call table or a jump table, verified as
 * {@code bpf4j verify} reports it ({@link VerifyReport}): each accepted one lists a target set for
 * each of its reachable {@code callx}/{@code gotox}, and every target is one the relocator allows
 * on its own (a function start for {@code callx}, {@link RelocatedProgram#gotoxTargets} for
 * {@code gotox}); the rejected ones are exactly the programs whose C breaks a rule. The counts
 * go to standard output.
 */
class IndirectTargetsReportTest {
    /** Programs refused on purpose: the rule cases of indirect_*.bpf.c and the two known limits (docs/indirect-calls.md §9). */
    private static final Set<String> REFUSED = Set.of("table_test@funcptr", "fp_run@fptables", "fp_selftest@fptables");

    @Test
    void everyIndirectProgramIsVerifiedWithItsTargets() {
        int programs = 0;
        int accepted = 0;
        int targetSets = 0;
        int callx = 0;
        int gotox = 0;
        for (Path obj : TestData.objects()) {
            String file = obj.getFileName().toString();
            String source = file.substring(0, file.indexOf('.'));
            BpfObject opened;
            try {
                opened = BpfObject.open(obj);
            } catch (io.bpf4j.isa.BpfException refused) {
                // a writable table of function pointers is refused at open (docs/indirect-calls.md §3)
                assertThat(source).as(refused.getMessage()).isEqualTo("fptables_writable");
                continue;
            }
            try (BpfObject o = opened) {
                for (BpfProgram p : o.programs()) {
                    RelocatedProgram rp = p.relocated();
                    Set<Integer> indirect = indirectSlots(p.instructions());
                    if (indirect.isEmpty() && rp.indirect().tables().isEmpty()) {
                        continue;
                    }
                    programs++;
                    VerifyReport.Entry e = VerifyReport.verify(file, p, LoadOptions.defaults());
                    boolean ruleCase = source.startsWith("indirect_") && IndirectRulesTest.expectsRejection(p.name());
                    if (ruleCase || REFUSED.contains(p.name() + "@" + source)) {
                        assertThat(e.success()).as("%s %s", file, p.name()).isFalse();
                        continue;
                    }
                    assertThat(e.success()).as("%s %s: %s", file, p.name(), e.error()).isTrue();
                    accepted++;
                    assertThat(e.targets().keySet()).as("%s %s", file, p.name()).isNotEmpty().isSubsetOf(indirect);
                    Set<Integer> starts = rp.functions().stream().map(FunctionEntry::startSlot).collect(Collectors.toSet());
                    for (Map.Entry<Integer, List<Integer>> t : e.targets().entrySet()) {
                        targetSets++;
                        assertThat(t.getValue()).as("%s %s insn %d", file, p.name(), t.getKey()).isNotEmpty();
                        if (p.instructions().slotAt(t.getKey()).code() == Opcodes.CODE_CALLX) {
                            callx++;
                            assertThat(starts).containsAll(t.getValue());
                        } else {
                            gotox++;
                            assertThat(new TreeSet<>(rp.gotoxTargets(t.getKey()))).as("%s %s insn %d", file, p.name(), t.getKey())
                                    .containsAll(t.getValue());
                        }
                    }
                }
            }
        }
        System.out.printf("indirect programs verified: %d, accepted: %d, target sets: %d (callx %d, gotox %d)%n",
                programs, accepted, targetSets, callx, gotox);
        assertThat(accepted).isPositive();
    }

    private static Set<Integer> indirectSlots(Instructions insns) {
        Set<Integer> out = new TreeSet<>();
        for (int i = 0; i < insns.slotCount(); i++) {
            int code = insns.slotAt(i).code();
            if (code == Opcodes.CODE_CALLX || code == Opcodes.CODE_GOTOX) {
                out.add(i);
            }
        }
        return out;
    }
}
