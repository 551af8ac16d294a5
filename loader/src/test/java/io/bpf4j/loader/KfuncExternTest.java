package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.testdata.KernelFacts;
import io.bpf4j.testdata.LibbpfCapture;
import io.bpf4j.testdata.TestData;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kfunc externs ({@code bpf_iter_num_new/next/destroy}, declared {@code __weak __ksym}) with no
 * target BTF in the open options: like libbpf, the loader resolves them against the running
 * kernel's vmlinux BTF, so each call becomes {@code call} with {@code src_reg} =
 * {@code BPF_PSEUDO_KFUNC_CALL} and the kfunc's BTF id. The ids are facts of this kernel build:
 * the expectation is libbpf's capture of the same object made in the same run.
 */
class KfuncExternTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    private static final HexFormat HEX = HexFormat.of();

    @Test
    @Tag("kernel")
    void kfuncCallsResolveAgainstTheRunningKernelLikeLibbpf() {
        KernelFacts.assume(Files.isReadable(VMLINUX) ? LibbpfCapture.unavailableReason() : "no kernel BTF at " + VMLINUX);
        List<Path> objects = TestData.objectsStartingWith("iters.");
        assertThat(objects).isNotEmpty();
        int programs = 0;
        int kfuncCalls = 0;
        for (Path object : objects) {
            if (!object.getFileName().toString().contains(".el.")) {
                continue;
            }
            JsonNode live = LibbpfCapture.live(object);
            try (BpfObject obj = BpfObject.open(object)) {
                for (JsonNode load : live.get("loads")) {
                    JsonNode pl = load.get("prog_load");
                    if (pl == null || pl.isNull()) {
                        continue;
                    }
                    String name = load.get("program").asText();
                    Instructions insns = obj.program(name).orElseThrow().instructions();
                    List<String> want = new ArrayList<>();
                    pl.get("insns").forEach(n -> want.add(n.asText()));
                    byte[] b = InstructionCodec.encode(insns, ByteOrder.LITTLE_ENDIAN);
                    List<String> got = new ArrayList<>();
                    for (int i = 0; i < b.length; i += 8) {
                        got.add(HEX.formatHex(b, i, i + 8));
                    }
                    assertThat(got).as("%s prog '%s'", object.getFileName(), name).hasSameSizeAs(want);
                    for (int i = 0; i < got.size(); i++) {
                        // a map load holds libbpf's fd where bpf4j keeps the map index (imm of the first slot)
                        boolean mapLoad = want.get(i).startsWith("18") && (want.get(i).charAt(2) == '1' || want.get(i).charAt(2) == '2');
                        assertThat(mapLoad ? got.get(i).substring(0, 8) : got.get(i))
                                .as("%s prog '%s' slot %d", object.getFileName(), name, i)
                                .isEqualTo(mapLoad ? want.get(i).substring(0, 8) : want.get(i));
                    }
                    int calls = 0;
                    for (Instruction insn : insns) {
                        if (insn.slot().code() == Opcodes.CODE_CALL && insn.slot().src() == Opcodes.PSEUDO_KFUNC_CALL) {
                            calls++;
                        }
                    }
                    assertThat(calls).as("%s prog '%s': kfunc calls", object.getFileName(), name).isPositive();
                    List<String> dump = obj.program(name).orElseThrow().disassemble();
                    assertThat(dump).as("%s prog '%s'", object.getFileName(), name).noneMatch(l -> l.contains("2002000"));
                    // as bpftool names a loaded kfunc call (bpf4j's number is the BTF id, bpftool's an address)
                    assertThat(dump).as("%s prog '%s'", object.getFileName(), name)
                            .anyMatch(l -> l.matches(".*\\(85\\) call bpf_iter_num_next#\\d+$"));
                    kfuncCalls += calls;
                    programs++;
                }
            }
        }
        System.out.printf("kfunc externs: %d programs of %d objects, %d kfunc calls equal to libbpf's%n",
                programs, objects.size(), kfuncCalls);
        assertThat(programs).isPositive();
    }
}
