package io.bpf4j.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.testdata.KernelVerifier.MapDef;
import io.bpf4j.testdata.KernelVerifier.ObjectVerdicts;
import io.bpf4j.testdata.KernelVerifier.Program;
import io.bpf4j.testdata.KernelVerifier.Verdict;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The oracle reports the running kernel's own verdicts: hand-assembled programs whose fate
 * the verifier's rules fix (messages as Linux 6.18 words them), and testdata objects through
 * libbpf.
 */
@Tag("kernel")
class KernelVerifierTest {
    private static final int SOCKET_FILTER = 1;
    private static final int ARRAY = 2;
    // r0 = 0; exit
    private static final String RETURN_0 = "b700000000000000 9500000000000000";
    // *(u64 *)(r10 - 8) = 0; r2 = r10; r2 += -8; r1 = <map ld_imm64, source filled in>; call bpf_map_lookup_elem
    private static final String LOOKUP = "7a0af8ff00000000 bfa2000000000000 07020000f8ffffff 18%s000000000000 0000000000000000 8500000001000000";

    private static byte[] insns(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static Program socket(String hex, MapDef... maps) {
        return Program.of(SOCKET_FILTER, insns(hex)).withMaps(List.of(maps));
    }

    @Test
    void acceptsTheSmallestProgramWithItsStatistics() {
        Verdict v = KernelVerifier.require().verify(socket(RETURN_0).withLogLevel(2));
        assertThat(v.accepted()).as(v.log()).isTrue();
        assertThat(v.errno()).isZero();
        assertThat(v.errorLine()).isNull();
        assertThat(v.processedInsns()).isEqualTo(2);
        assertThat(v.totalStates()).isZero();
        assertThat(v.log()).contains("0: (b7) r0 = 0").endsWith("mark_read 0\n");
    }

    @Test
    void rejectsAnUnsetReturnValue() {
        Verdict v = KernelVerifier.require().verify(socket("9500000000000000"));
        assertThat(v.accepted()).isFalse();
        assertThat(v.errno()).isEqualTo(13);
        assertThat(v.errorLine()).isEqualTo("R0 !read_ok");
        assertThat(v.processedInsns()).isEqualTo(1);
    }

    @Test
    void structuralErrorsStopBeforeAnyInstructionIsProcessed() {
        // r0 = 0; goto +5; exit
        Verdict v = KernelVerifier.require().verify(socket("b700000000000000 0500050000000000 9500000000000000"));
        assertThat(v.errno()).isEqualTo(22);
        assertThat(v.errorLine()).isEqualTo("jump out of range from insn 1 to 7");
        assertThat(v.processedInsns()).isZero();
    }

    @Test
    void mapsAreNamedByIndexInEitherLdImm64Form() {
        MapDef array = MapDef.of(ARRAY, 4, 8, 1);
        KernelVerifier k = KernelVerifier.require();
        for (String src : List.of("11" /* BPF_PSEUDO_MAP_FD, patched */, "51" /* BPF_PSEUDO_MAP_IDX, fd_array */)) {
            // r0 = *(u32 *)(r0 + 0) without a NULL check
            Verdict unchecked = k.verify(socket(LOOKUP.formatted(src) + "6100000000000000 9500000000000000", array));
            assertThat(unchecked.errorLine()).as(unchecked.log()).isEqualTo("R0 invalid mem access 'map_value_or_null'");
            // if r0 == 0 goto +1; r0 = *(u32 *)(r0 + 0); exit
            Verdict checked = k.verify(socket(LOOKUP.formatted(src) + "1500010000000000 6100000000000000 9500000000000000", array));
            assertThat(checked.accepted()).as(checked.log()).isTrue();
        }
    }

    @Test
    void frozenReadOnlyMapsRefuseWrites() {
        MapDef rodata = MapDef.of(ARRAY, 4, 8, 1).readOnly(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        // if r0 == 0 goto +1; *(u32 *)(r0 + 0) = 1; r0 = 0; exit
        Verdict v = KernelVerifier.require().verify(socket(LOOKUP.formatted("11")
                + "1500010000000000 6200000001000000 b700000000000000 9500000000000000", rodata));
        assertThat(v.accepted()).isFalse();
        assertThat(v.errorLine()).as(v.log()).isEqualTo("write into map forbidden, value_size=8 off=0 size=4");
    }

    @Test
    void objectModeJudgesEveryProgramOnItsOwn() {
        KernelVerifier k = KernelVerifier.require();
        ObjectVerdicts minimal = k.verifyObject(TestData.object("minimal.v3.el.o"), 1);
        assertThat(minimal.openError()).isNull();
        assertThat(minimal.programs()).extracting(p -> p.name() + " " + p.verdict().summary())
                .containsExactly("xdp_pass accepted", "xdp_drop accepted");
        assertThat(minimal.program("xdp_pass").programType()).isEqualTo(6);

        ObjectVerdicts funcptr = k.verifyObject(TestData.object("funcptr.v3.el.o"), 2, "simple_test");
        assertThat(funcptr.programs()).hasSize(1);
        assertThat(funcptr.programs().get(0).verdict().errorLine()).isEqualTo("unknown opcode 8d");

        ObjectVerdicts legacy = k.verifyObject(TestData.object("legacy_maps.v1.el.o"), 1);
        assertThat(legacy.openError()).contains("legacy map definitions");
        assertThat(legacy.programs()).isEmpty();
    }
}
