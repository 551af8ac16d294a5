package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.testdata.TestData;
import org.junit.jupiter.api.Test;

/**
 * {@link BpfObject#load()} verifies every autoloaded program first: what it records, what it
 * refuses and how the refusal reads (libbpf's "prog 'x': BPF program load failed: ..." with the
 * kernel-format log). The kernel's own verdicts on these programs are compared in
 * {@link KernelVerifierParityTest}.
 */
class LoadVerificationTest {

    @Test
    void acceptedProgramsCarryTheirVerification() {
        try (BpfObject obj = BpfObject.open(TestData.object("minimal.v3.el.o"))) {
            obj.load();
            ProgramVerification v = obj.program("xdp_pass").orElseThrow().verification().orElseThrow();
            assertThat(v.status()).isEqualTo(ProgramVerification.Status.ACCEPTED);
            assertThat(v.stats().processedInsns()).isEqualTo(2);
        }
    }

    @Test
    void aRejectionReadsLikeLibbpfAndLoadsNothing() {
        // table_test calls through a stack array indexed at run time: the loaded pointer is a scalar
        try (BpfObject obj = BpfObject.open(TestData.object("funcptr.v3.el.o"))) {
            obj.programs().forEach(p -> p.setAutoload(p.name().equals("table_test")));
            assertThatThrownBy(obj::load)
                    .isInstanceOfSatisfying(ProgramRejectedException.class, e -> {
                        assertThat(e.program()).isEqualTo("table_test");
                        assertThat(e.errno()).isEqualTo(13);
                        assertThat(e.kernelMessage()).isEqualTo("R2 has type scalar, expected func");
                        assertThat(e.verifierException()).isSameAs(e.getCause());
                    })
                    .hasMessageStartingWith("prog 'table_test': BPF program load failed: Permission denied\n"
                            + "prog 'table_test': -- BEGIN PROG LOAD LOG --\n")
                    .hasMessageContaining("R2 has type scalar, expected func\n")
                    .hasMessageContaining("-- END PROG LOAD LOG --");
            assertThat(obj.state()).isEqualTo(ObjectState.OPENED);
        }
    }

    @Test
    void callxIsVerifiedWithItsTargets() {
        // beyond this kernel ("unknown opcode 8d"): simple_test picks foo_1 or foo_2 and calls it with callx
        try (BpfObject obj = BpfObject.open(TestData.object("funcptr.v3.el.o"))) {
            BpfProgram p = obj.program("simple_test").orElseThrow();
            ProgramVerification v = p.verify(LoadOptions.defaults());
            assertThat(v.status()).as(v.log()).isEqualTo(ProgramVerification.Status.ACCEPTED);
            java.util.Map<String, Integer> starts = new java.util.HashMap<>();
            p.relocated().functions().forEach(f -> starts.put(f.name(), f.startSlot()));
            assertThat(v.indirectTargets()).hasSize(1);
            assertThat(v.indirectTargets().values().iterator().next())
                    .containsExactlyInAnyOrder(starts.get("foo_1"), starts.get("foo_2"));
            int callx = v.indirectTargets().firstKey();
            assertThat(p.instructions().slotAt(callx).code()).isEqualTo(io.bpf4j.isa.Opcodes.CODE_CALLX);
        }
    }

    @Test
    void verificationOffLoadsWhatTheVerifierWouldRefuse() {
        try (BpfObject obj = BpfObject.open(TestData.object("funcptr.v3.el.o"))) {
            obj.load(LoadOptions.builder().verify(false).build());
            assertThat(obj.state()).isEqualTo(ObjectState.LOADED);
            assertThat(obj.program("simple_test").orElseThrow().verification().orElseThrow().status())
                    .isEqualTo(ProgramVerification.Status.OFF);
        }
    }

    @Test
    void aProgramCanBeVerifiedWithoutLoading() {
        try (BpfObject obj = BpfObject.open(TestData.object("funcptr.v3.el.o"))) {
            ProgramVerification v = obj.program("table_test").orElseThrow()
                    .verify(LoadOptions.builder().logLevel(2).build());
            assertThat(v.status()).isEqualTo(ProgramVerification.Status.REJECTED);
            assertThat(v.errorLine()).contains("R2 has type scalar, expected func");
            assertThat(v.log()).endsWith("R2 has type scalar, expected func\n" + v.stats().processedLine() + "\n");
            assertThat(obj.state()).isEqualTo(ObjectState.OPENED);
        }
    }

    @Test
    void loadOptionsRefuseUnknownLogBits() {
        assertThatThrownBy(() -> LoadOptions.builder().logLevel(8).build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(LoadOptions.defaults().verify()).isTrue();
    }
}
