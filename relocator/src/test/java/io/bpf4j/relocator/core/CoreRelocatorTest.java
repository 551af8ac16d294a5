package io.bpf4j.relocator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.CoreRelo;
import io.bpf4j.elf.btf.CoreReloKind;
import io.bpf4j.isa.Call;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.Slot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Relocations built by hand for the cases the compiled corpus cannot show: module split BTF,
 * offsets past what an instruction holds, instructions that do not hold what the local BTF
 * says, forms libbpf cannot patch, malformed access strings. Messages are libbpf's.
 */
class CoreRelocatorTest {
    /** Local BTF: [1] int, [2] struct mod_thing {int a@0; int b@32}, [3] anonymous struct {int q}, [4] struct big {int near; int far}. */
    private static final Btf LOCAL;
    /** vmlinux: [1] int, [2] struct task_struct {int pid}, [3] struct big {int near@0; int far@40000 bytes}. */
    private static final Btf VMLINUX;
    /** A module on top of vmlinux: struct mod_thing {int x@0; int b@64}. */
    private static final Btf MODULE;

    static {
        TestBtf l = TestBtf.base();
        int lint = l.intType("int", 4, true);
        l.struct("mod_thing", 8, "a", lint, 0, "b", lint, 32);
        l.struct("", 4, "q", lint, 0);
        l.struct("big", 8, "near", lint, 0, "far", lint, 32);
        LOCAL = Btf.parse(l.bytes());

        TestBtf v = TestBtf.base();
        int vint = v.intType("int", 4, true);
        v.struct("task_struct", 4, "pid", vint, 0);
        v.struct("big", 40004, "near", vint, 0, "far", vint, 40000L * 8);
        VMLINUX = Btf.parse(v.bytes());

        TestBtf m = TestBtf.splitOn(VMLINUX, v.stringLength());
        m.struct("mod_thing", 12, "x", vint, 0, "b", vint, 64);
        MODULE = Btf.parseSplit(m.bytes(), VMLINUX);
    }

    private static Instructions insns(Instruction... list) {
        return Instructions.of(list);
    }

    private static Instruction slot(int code, int dst, int src, int off, int imm) {
        return Instruction.of(Slot.of(code, dst, src, off, imm));
    }

    private static final Instruction EXIT = slot(0x95, 0, 0, 0, 0);

    private static CoreRelo relo(int slot, int typeId, String access, CoreReloKind kind) {
        return new CoreRelo(slot * 8L, typeId, 0, access, kind);
    }

    @Test
    void moduleBtfIsSearchedWhenVmlinuxHasNoCandidate() {
        CoreTarget kernel = CoreTarget.kernel(VMLINUX, Map.of("mod_a", MODULE));
        Instructions prog = insns(slot(0xb7, 1, 0, 0, 4), EXIT); // r1 = 4 (offset of mod_thing.b)

        CoreRelocation r = new CoreRelocator(LOCAL, kernel).relocate("p", prog, List.of(relo(0, 2, "0:1", CoreReloKind.FIELD_BYTE_OFFSET)));

        CoreReloResult res = r.results().get(0);
        assertThat(res.targetBtf()).isEqualTo("mod_a");
        assertThat(res.targetTypeId()).isEqualTo(VMLINUX.typeCount());
        assertThat(res.newValue()).isEqualTo(8);
        assertThat(r.instructions().get(0).imm()).isEqualTo(8);
        assertThat(r.log()).containsExactly(
                "CO-RE relocating [2] struct mod_thing: found target candidate [4] struct mod_thing in [mod_a]",
                "prog 'p': relo #0: <byte_off> [2] struct mod_thing.b (0:1 @ offset 4)",
                "prog 'p': relo #0: matching candidate #0 <byte_off> [4] struct mod_thing.b (0:1 @ offset 8)",
                "prog 'p': relo #0: patched insn #0 (ALU/ALU64) imm 4 -> 8");
    }

    @Test
    void modulesAreReadOnlyWhenVmlinuxLacksACandidate() {
        int[] reads = {0};
        CoreTarget kernel = CoreTarget.kernel(VMLINUX, () -> {
            reads[0]++;
            return Map.of("mod_a", MODULE);
        });
        Instructions prog = insns(slot(0xb7, 1, 0, 0, 4), EXIT);
        CoreRelocator session = new CoreRelocator(LOCAL, kernel);

        session.relocate("p", insns(slot(0xb7, 1, 0, 0, 1), EXIT), List.of(relo(0, 4, "0:0", CoreReloKind.FIELD_EXISTS)));
        assertThat(reads[0]).isZero(); // struct big is in vmlinux
        session.relocate("p", prog, List.of(relo(0, 2, "0:1", CoreReloKind.FIELD_BYTE_OFFSET)));
        session.relocate("p", prog, List.of(relo(0, 2, "0:1", CoreReloKind.FIELD_BYTE_OFFSET)));
        assertThat(reads[0]).isEqualTo(1);
    }

    @Test
    void aModuleMustBeSplitOnTheVmlinuxItIsSearchedWith() {
        CoreTarget mismatched = CoreTarget.kernel(LOCAL, Map.of("mod_a", MODULE));

        assertThatThrownBy(mismatched::modules).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("module 'mod_a': BTF is not split on this vmlinux BTF");
    }

    @Test
    void anOverrideIsNeverCompletedFromModules() {
        Instructions prog = insns(slot(0xb7, 1, 0, 0, 4), EXIT);

        CoreRelocation r = new CoreRelocator(LOCAL, CoreTarget.of(VMLINUX)).relocate("p", prog, List.of(relo(0, 2, "0:1", CoreReloKind.FIELD_BYTE_OFFSET)));

        CoreReloResult res = r.results().get(0);
        assertThat(res.poisoned()).isTrue();
        assertThat(res.targetType()).isEqualTo("not found");
        assertThat(r.instructions().get(0)).isEqualTo(Call.helper(0xbad2310));
        assertThat(res.explain("p")).isEqualTo("prog 'p': relo #0: <byte_off> [2] struct mod_thing.b (0:1 @ offset 4) => not found: "
                + "insn #0 poisoned (field not found in target BTF)");
    }

    @Test
    void anOffsetPastWhatAnInstructionHoldsIsERANGE() {
        Instructions prog = insns(slot(0x61, 0, 1, 4, 0), EXIT); // r0 = *(u32 *)(r1 + 4)

        assertThatThrownBy(() -> CoreRelocator.relocate(LOCAL, List.of(relo(0, 4, "0:1", CoreReloKind.FIELD_BYTE_OFFSET)), VMLINUX, prog, "p"))
                .isInstanceOfSatisfying(CoreRelocationException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("prog 'p': relo #0: insn #0 (LDX/ST/STX) value too big: 40000");
                    assertThat(e.errno()).isEqualTo("ERANGE");
                    assertThat(e.reloIndex()).isZero();
                    assertThat(e.insnIndex()).isZero();
                });
    }

    @Test
    void anInstructionNotHoldingTheLocalValueIsRefused() {
        Instructions prog = insns(slot(0xb7, 1, 0, 0, 9), EXIT);

        assertThatThrownBy(() -> CoreRelocator.relocate(LOCAL, List.of(relo(0, 4, "0:0", CoreReloKind.FIELD_BYTE_OFFSET)), VMLINUX, prog, "p"))
                .hasMessage("prog 'p': relo #0: unexpected insn #0 (ALU/ALU64) value: got 9, exp 0 -> 0");
        Instructions ldx = insns(slot(0x61, 0, 1, 2, 0), EXIT);
        assertThatThrownBy(() -> CoreRelocator.relocate(LOCAL, List.of(relo(0, 4, "0:1", CoreReloKind.FIELD_BYTE_OFFSET)), VMLINUX, ldx, "p"))
                .hasMessage("prog 'p': relo #0: unexpected insn #0 (LDX/ST/STX) value: got 2, exp 4 -> 40000");
    }

    @Test
    void formsLibbpfCannotPatch() {
        CoreRelo offset = relo(0, 4, "0:0", CoreReloKind.FIELD_BYTE_OFFSET);
        assertThatThrownBy(() -> CoreRelocator.relocate(LOCAL, List.of(offset), VMLINUX, insns(slot(0x05, 0, 0, 0, 0), EXIT), "p"))
                .hasMessage("prog 'p': relo #0: trying to relocate unrecognized insn #0, code:0x5, src:0x0, dst:0x0, off:0x0, imm:0x0");
        assertThatThrownBy(() -> CoreRelocator.relocate(LOCAL, List.of(offset), VMLINUX, insns(slot(0xbf, 1, 2, 0, 0), EXIT), "p"))
                .hasMessage("prog 'p': relo #0: failed to patch insn #0: -EINVAL");
        Instructions mapLoad = insns(LoadImm64.of(Register.R1, 1, 0, 0), EXIT);
        assertThatThrownBy(() -> CoreRelocator.relocate(LOCAL, List.of(offset), VMLINUX, mapLoad, "p"))
                .hasMessage("prog 'p': relo #0: insn #0 (LDIMM64) has unexpected form");
    }

    @Test
    void malformedAccessStringsAndAnonymousRoots() {
        Instructions prog = insns(slot(0xb7, 1, 0, 0, 0), EXIT);
        assertThatThrownBy(() -> CoreRelocator.relocate(LOCAL, List.of(relo(0, 2, "0:7", CoreReloKind.FIELD_BYTE_OFFSET)), VMLINUX, prog, "p"))
                .hasMessage("prog 'p': relo #0: parsing [2] struct mod_thing + 0:7 failed: -22");
        assertThatThrownBy(() -> CoreRelocator.relocate(LOCAL, List.of(relo(0, 2, "1", CoreReloKind.TYPE_EXISTS)), VMLINUX, prog, "p"))
                .hasMessage("prog 'p': relo #0: parsing [2] struct mod_thing + 1 failed: -22");
        assertThatThrownBy(() -> CoreRelocator.relocate(LOCAL, List.of(relo(0, 2, "0:0:1", CoreReloKind.FIELD_BYTE_OFFSET)), VMLINUX, prog, "p"))
                .isInstanceOfSatisfying(CoreRelocationException.class, e -> assertThat(e.log()).contains(
                        "prog 'p': relo for [2]  (at idx 2) captures type [1] of unexpected kind int",
                        "prog 'p': relo #0: parsing [2] struct mod_thing + 0:0:1 failed: -22"));
        assertThatThrownBy(() -> CoreRelocator.relocate(LOCAL, List.of(relo(0, 3, "0:0", CoreReloKind.FIELD_BYTE_OFFSET)), VMLINUX, prog, "p"))
                .hasMessage("prog 'p': relo #0: target candidate search failed for [3] struct : -22");
    }

    @Test
    void typeIdLocalNeedsNoTarget() {
        Instructions prog = insns(LoadImm64.constant(Register.R1, 3), EXIT);

        CoreRelocation r = CoreRelocator.relocate(LOCAL, List.of(relo(0, 3, "0", CoreReloKind.TYPE_ID_LOCAL)), VMLINUX, prog, "p");

        CoreReloResult res = r.results().get(0);
        assertThat(res.targetBtf()).isEqualTo("local");
        assertThat(res.newValue()).isEqualTo(3);
        assertThat(r.log()).containsExactly("prog 'p': relo #0: <local_type_id> [3] struct <anon>",
                "prog 'p': relo #0: patched insn #0 (LDIMM64) imm64 3 -> 3");
    }

    @Test
    void onlyTheProgramsOwnRecordsApplyAndKeepTheirSectionNumbers() {
        // a section of two programs: slots 0-1 and 2-3; relo #1 is the second program's
        List<CoreRelo> section = List.of(relo(0, 2, "0:1", CoreReloKind.FIELD_EXISTS), relo(2, 2, "0:0", CoreReloKind.FIELD_EXISTS));
        Instructions second = insns(slot(0xb7, 1, 0, 0, 1), EXIT);

        CoreRelocation r = new CoreRelocator(LOCAL, CoreTarget.kernel(VMLINUX, Map.of("mod_a", MODULE))).relocate("second", second, section, 2);

        assertThat(r.results()).singleElement().satisfies(res -> {
            assertThat(res.reloIndex()).isEqualTo(1);
            assertThat(res.insnIndex()).isZero();
            assertThat(res.newValue()).isZero(); // module mod_thing has no 'a'
        });
    }
}
