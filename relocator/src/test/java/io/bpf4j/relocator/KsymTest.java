package io.bpf4j.relocator;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpf4j.elf.ElfObject;
import io.bpf4j.elf.btf.Btf;
import io.bpf4j.isa.InstructionCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code __ksym} externs: resolved against a target BTF, or refused clearly without one. */
class KsymTest {
    private static final Path OBJECT = Path.of("src/test/resources/objects/reloc_ksym.el.o");
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

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
     * Against this machine's kernel BTF (the one libbpf used for the golden): the same BTF ids
     * libbpf 1.1 put in. One documented difference: libbpf 1.1 leaves an unresolved weak kfunc
     * call as {@code call kfunc 0}; newer libbpf (1.7, see the reference doc) poisons it to {@code call 2002000000 + extern
     * index}, and bpf4j follows the newest libbpf.
     */
    @Test
    @Tag("kernel")
    void resolvedAgainstTheKernelBtfLikeLibbpf() throws IOException {
        boolean require = Boolean.getBoolean("bpf4j.requireKernel");
        assumeTrue(require || Files.isReadable(VMLINUX), "no kernel BTF at " + VMLINUX);
        ObjectSpec obj = open(Btf.parse(Files.readAllBytes(VMLINUX)));
        RelocatedProgram p = Relocator.relocate(obj, "ksyms");
        JsonNode golden = LibbpfGolden.MAPPER.readTree(Path.of("src/test/resources/goldens/libbpf/reloc_ksym.el.json").toFile());
        JsonNode insns = golden.get("loads").get(0).get("prog_load").get("insns");
        byte[] ours = InstructionCodec.encode(p.instructions(), ByteOrder.LITTLE_ENDIAN);
        HexFormat hex = HexFormat.of();
        int poisoned = 0;
        for (int i = 0; i < insns.size(); i++) {
            String want = insns.get(i).asText();
            String got = hex.formatHex(ours, i * 8, i * 8 + 8);
            if (want.equals("8520000000000000")) {
                assertThat(got).as("slot %d: the unresolved weak kfunc call, poisoned", i)
                        .isEqualTo("85000000" + hex.formatHex(java.nio.ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                                .putInt(ProgramLinker.POISON_CALL_KFUNC_BASE + 0).array()));
                poisoned++;
            } else {
                assertThat(got).as("slot %d", i).isEqualTo(want);
            }
        }
        assertThat(poisoned).isEqualTo(1);
    }
}
