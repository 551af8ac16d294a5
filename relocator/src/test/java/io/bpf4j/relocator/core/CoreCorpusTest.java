package io.bpf4j.relocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.CoreReloKind;
import io.bpf4j.isa.Alu;
import io.bpf4j.isa.Call;
import io.bpf4j.isa.Load;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Store;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the compiled CO-RE corpus exercises, so that the libbpf comparison cannot quietly
 * lose a kind or an instruction form; and the big-endian builds of the same sources, which
 * libbpf 1.1 cannot open, relocated to the same values.
 */
class CoreCorpusTest {
    private static List<CoreReloResult> all(String object, String target) {
        ElfObject obj = CoreFixtures.object(object);
        CoreFixtures.ObjectResult r = CoreFixtures.relocateObject(obj, CoreTarget.of(CoreFixtures.target(target)));
        assertThat(r.failure()).isNull();
        List<CoreReloResult> out = new ArrayList<>();
        r.programs().values().forEach(p -> out.addAll(p.results()));
        return out;
    }

    private static List<CoreReloResult> corpus() {
        List<CoreReloResult> out = new ArrayList<>();
        out.addAll(all("core_kernel.el.o", "vmlinux"));
        out.addAll(all("core_kernel.el.o", "core_target.btf"));
        out.addAll(all("core_kernel.v4.el.o", "vmlinux"));
        out.addAll(all("core_kernel.v4.el.o", "core_target.btf"));
        out.addAll(all("core_flavors.el.o", "core_flavors_target.btf"));
        out.addAll(all("core_versions.el.o", "core_target.btf"));
        return out;
    }

    @Test
    void everyKindAndInstructionFormIsCovered() {
        List<CoreReloResult> results = corpus();

        Set<CoreReloKind> kinds = results.stream().map(CoreReloResult::kind).collect(Collectors.toCollection(() -> EnumSet.noneOf(CoreReloKind.class)));
        assertThat(kinds).containsExactlyInAnyOrder(CoreReloKind.values());
        assertThat(results).anySatisfy(r -> assertThat(r.before()).isInstanceOf(Alu.class));
        assertThat(results).anySatisfy(r -> assertThat(r.before()).isInstanceOf(Load.class));
        assertThat(results).anySatisfy(r -> assertThat(r.before() instanceof Store && (r.before().code() & 0x07) == 0x03).isTrue()); // STX
        assertThat(results).anySatisfy(r -> assertThat(r.before() instanceof Store && (r.before().code() & 0x07) == 0x02).isTrue()); // ST
        assertThat(results).anySatisfy(r -> assertThat(r.before()).isInstanceOf(LoadImm64.class));
        // poisoned: an ALU, a load whose size cannot follow, a store of a missing field, an ld_imm64
        assertThat(results).anySatisfy(r -> assertThat(r.poisoned() && r.before() instanceof Alu).isTrue());
        assertThat(results).anySatisfy(r -> assertThat(r.poisoned() && r.before() instanceof Load && r.poisonReason().startsWith("field size changed")).isTrue());
        assertThat(results).anySatisfy(r -> assertThat(r.poisoned() && r.before() instanceof Store).isTrue());
        assertThat(results).anySatisfy(r -> assertThat(r.poisoned() && r.before() instanceof LoadImm64).isTrue());
        for (CoreReloResult r : results) {
            if (r.poisoned()) assertThat(r.after()).isEqualTo(Call.helper(CoreReloResult.POISON_IMM));
        }
        // a load narrowed to the target's field size (unsigned long → unsigned int / short)
        assertThat(results).anySatisfy(r -> assertThat(!r.poisoned() && r.before() instanceof Load
                && ((Load) r.after()).slot().code() != ((Load) r.before()).slot().code()).isTrue());
    }

    @Test
    void kernelFactsOfThisMachine() {
        List<CoreReloResult> results = all("core_kernel.el.o", "vmlinux");
        Btf vmlinux = CoreFixtures.target("vmlinux");
        int taskStruct = vmlinux.findByName("task_struct").get(0);

        CoreReloResult size = results.stream().filter(r -> r.kind() == CoreReloKind.TYPE_SIZE && r.localType().equals("struct task_struct"))
                .findFirst().orElseThrow();
        assertThat(size.newValue()).isEqualTo(vmlinux.sizeOf(taskStruct));
        assertThat(size.targetTypeId()).isEqualTo(taskStruct);
        assertThat(size.targetBtf()).isEqualTo("vmlinux");
        CoreReloResult sid = results.stream().filter(r -> r.kind() == CoreReloKind.ENUMVAL_VALUE && r.localSpec().contains("PIDTYPE_SID___loc"))
                .findFirst().orElseThrow();
        assertThat(sid.newValue()).isEqualTo(3);
        assertThat(sid.targetType()).isEqualTo("enum pid_type");
        CoreReloResult gone = results.stream().filter(r -> r.kind() == CoreReloKind.ENUMVAL_VALUE && r.localSpec().contains("PIDTYPE_GONE___loc"))
                .findFirst().orElseThrow();
        assertThat(gone.poisoned()).isTrue();
        assertThat(gone.poisonReason()).isEqualTo("enumerator not found in target BTF");
    }

    @Test
    void bigEndianBuildsRelocateToTheSameValues() {
        // clang lays out some bitfield reads differently per byte order, so the relocation lists
        // differ in length; every (kind, local spec) they share must resolve the same way.
        for (String[] pair : new String[][] {{"core_kernel", "vmlinux"}, {"core_kernel", "core_target.btf"}, {"core_flavors", "core_flavors_target.btf"}}) {
            Map<String, Set<String>> el = outcomes(all(pair[0] + ".el.o", pair[1]));
            Map<String, Set<String>> eb = outcomes(all(pair[0] + ".eb.o", pair[1]));
            Set<String> shared = new TreeSet<>(el.keySet());
            shared.retainAll(eb.keySet());
            assertThat(shared.size()).as("%s: shared relocation sites", pair[0]).isGreaterThanOrEqualTo(el.size() * 9 / 10);
            for (String key : shared) {
                assertThat(eb.get(key)).as("%s against %s: %s", pair[0], pair[1], key).isEqualTo(el.get(key));
            }
        }
    }

    /** (kind, local spec) → the set of (target spec, poisoned, new value) it resolved to; LSHIFT values depend on byte order. */
    private static Map<String, Set<String>> outcomes(List<CoreReloResult> results) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (CoreReloResult r : results) {
            String value = r.kind() == CoreReloKind.FIELD_LSHIFT_U64 ? "" : Long.toUnsignedString(r.newValue());
            out.computeIfAbsent(r.kind() + " " + r.localSpec(), k -> new TreeSet<>()).add(r.targetSpec() + " " + r.poisoned() + " " + value);
        }
        return out;
    }
}
