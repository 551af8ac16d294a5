package io.bpf4j.relocator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LibbpfCapture;
import io.bpf4j.testdata.ShiftedBtf;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code __ksym} externs: resolved against a target BTF exactly as libbpf resolves them against
 * the same BTF, or refused clearly without one. The BTF ids are facts of one kernel build, so
 * the expectation is libbpf's capture made against the same BTF: live against the running
 * kernel (the committed golden is only diffed, to report which ids changed), or against the
 * committed copy of the BTF the golden was captured with.
 */
class KsymTest {
    private static final Path OBJECT = Path.of("src/test/resources/objects/reloc_ksym.el.o");
    private static final Path GOLDEN = Path.of("src/test/resources/goldens/libbpf/reloc_ksym.el.json");
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    /** The kernel BTF reloc_ksym.el.json was captured against (6.18.44-fc-v657; see core/targets). */
    private static final Path GOLDEN_VMLINUX = Path.of("src/test/resources/core/targets/vmlinux.btf.gz");
    private static final HexFormat HEX = HexFormat.of();

    static ObjectSpec open(Btf target) throws IOException {
        RelocatorOptions.Builder b = RelocatorOptions.builder().kernelVersion(0x06122c);
        if (target != null) {
            b.targetBtf(target);
        }
        return Relocator.open(ElfObject.read(Files.readAllBytes(OBJECT)), "reloc_ksym", b.build());
    }

    @Test
    void withoutATargetBtfAStrongKsymIsReportedClearly() throws IOException {
        ObjectSpec obj = open(null);
        assertThat(obj.externs()).extracting(e -> e.name())
                .containsExactly("bpf4j_no_such_kfunc", "bpf_cast_to_kern_ctx", "bpf_prog_active");
        assertThatThrownBy(() -> Relocator.relocate(obj, "ksyms")).isInstanceOf(RelocationException.class)
                .hasMessage("extern (func ksym) 'bpf_cast_to_kern_ctx': no target BTF to resolve it against (give one in the open options)");
    }

    /**
     * Against the running kernel's BTF, the BTF ids libbpf puts in when it loads the object into
     * the running kernel, captured now. One documented difference: libbpf 1.1 leaves an
     * unresolved weak kfunc call as {@code call kfunc 0}; newer libbpf (1.7, see the reference
     * doc) poisons it to {@code call 2002000000 + extern index}, and bpf4j follows the newest libbpf.
     */
    @Test
    @Tag("kernel")
    void resolvedAgainstTheKernelBtfLikeLibbpf() throws IOException {
        KernelFacts.assume(Files.isReadable(VMLINUX) ? LibbpfCapture.unavailableReason() : "no kernel BTF at " + VMLINUX);
        JsonNode live = LibbpfCapture.liveComparedWith(GOLDEN, OBJECT);
        assertSameAsLibbpf(Btf.parse(Files.readAllBytes(VMLINUX)), live);
    }

    /** The committed golden against the committed BTF of the kernel it was captured on: no kernel needed. */
    @Test
    void resolvedAgainstTheGoldensOwnKernelBtfLikeLibbpf() throws IOException {
        assertSameAsLibbpf(goldenVmlinux(), LibbpfGolden.MAPPER.readTree(GOLDEN.toFile()));
    }

    /**
     * A simulated other build of the kernel: its BTF with every type id moved up by 1000, and
     * libbpf's capture as that kernel would give it (the committed one with the BTF ids in its
     * instructions moved by as much). The comparison follows the kernel it is given, and the
     * report names exactly the instruction slots whose ids changed; against the committed
     * golden the same relocation would fail, which is what a golden trusted across builds did.
     */
    @Test
    void aKernelBuildWithOtherBtfIdsIsComparedWithItsOwnCapture() throws IOException {
        int shift = 1000;
        Btf shifted = Btf.parse(ShiftedBtf.shift(gunzip(GOLDEN_VMLINUX), shift));
        JsonNode golden = LibbpfGolden.MAPPER.readTree(GOLDEN.toFile());
        JsonNode otherKernel = withBtfIdsShifted(golden, shift);

        assertSameAsLibbpf(shifted, otherKernel);
        List<KernelFacts.Change> changes = KernelFacts.report("reloc_ksym.el.json (simulated build)", KernelFacts.diff(golden, otherKernel));
        assertThat(changes).extracting(KernelFacts.Change::fact)
                .containsExactly("loads[ksyms].prog_load.insns[1]", "loads[ksyms].prog_load.insns[6]");
        assertThatThrownBy(() -> assertSameAsLibbpf(shifted, golden)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("slot 1");
    }

    /** bpf4j's relocation of program {@code ksyms} against {@code target} equals the BPF_PROG_LOAD of {@code capture}. */
    static void assertSameAsLibbpf(Btf target, JsonNode capture) throws IOException {
        ObjectSpec obj = open(target);
        RelocatedProgram p = Relocator.relocate(obj, "ksyms");
        JsonNode insns = capture.get("loads").get(0).get("prog_load").get("insns");
        byte[] ours = InstructionCodec.encode(p.instructions(), ByteOrder.LITTLE_ENDIAN);
        assertThat(ours.length / 8).as("slots").isEqualTo(insns.size());
        int poisoned = 0;
        for (int i = 0; i < insns.size(); i++) {
            String want = insns.get(i).asText();
            String got = HEX.formatHex(ours, i * 8, i * 8 + 8);
            if (want.equals("8520000000000000")) {
                assertThat(got).as("slot %d: the unresolved weak kfunc call, poisoned", i)
                        .isEqualTo("85000000" + HEX.formatHex(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                                .putInt(ProgramLinker.POISON_CALL_KFUNC_BASE + 0).array()));
                poisoned++;
            } else {
                assertThat(got).as("slot %d", i).isEqualTo(want);
            }
        }
        assertThat(poisoned).isEqualTo(1);
    }

    /** {@code capture} with the BTF id of every kfunc call and {@code ld_imm64} of a typed ksym moved up by {@code shift}. */
    static JsonNode withBtfIdsShifted(JsonNode capture, int shift) {
        ObjectNode copy = capture.deepCopy();
        for (JsonNode load : copy.get("loads")) {
            ArrayNode insns = (ArrayNode) load.get("prog_load").get("insns");
            for (int i = 0; i < insns.size(); i++) {
                byte[] slot = HEX.parseHex(insns.get(i).asText());
                ByteBuffer b = ByteBuffer.wrap(slot).order(ByteOrder.LITTLE_ENDIAN);
                int src = (slot[1] & 0xff) >> 4;
                boolean kfunc = (slot[0] & 0xff) == 0x85 && src == 2;
                boolean typedKsym = (slot[0] & 0xff) == 0x18 && src == 3;
                if ((kfunc || typedKsym) && b.getInt(4) != 0) {
                    b.putInt(4, b.getInt(4) + shift);
                    insns.set(i, HEX.formatHex(slot));
                }
                if ((slot[0] & 0xff) == 0x18) {
                    i++;
                }
            }
        }
        return copy;
    }

    private static Btf goldenVmlinux() throws IOException {
        return Btf.parse(gunzip(GOLDEN_VMLINUX));
    }

    private static byte[] gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }
}
