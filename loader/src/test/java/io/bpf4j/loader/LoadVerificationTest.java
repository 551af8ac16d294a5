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
        // callx (0x8d): "unknown opcode 8d" is what this kernel answers (kernel-oracle-notes)
        try (BpfObject obj = BpfObject.open(TestData.object("funcptr.v3.el.o"))) {
            obj.programs().forEach(p -> p.setAutoload(p.name().equals("simple_test")));
            assertThatThrownBy(obj::load)
                    .isInstanceOfSatisfying(ProgramRejectedException.class, e -> {
                        assertThat(e.program()).isEqualTo("simple_test");
                        assertThat(e.errno()).isEqualTo(22);
                        assertThat(e.kernelMessage()).isEqualTo("unknown opcode 8d");
                        assertThat(e.verifierException()).isSameAs(e.getCause());
                    })
                    .hasMessageStartingWith("prog 'simple_test': BPF program load failed: Invalid argument\n"
                            + "prog 'simple_test': -- BEGIN PROG LOAD LOG --\n")
                    .hasMessageContaining("unknown opcode 8d\n")
                    .hasMessageContaining("-- END PROG LOAD LOG --");
            assertThat(obj.state()).isEqualTo(ObjectState.OPENED);
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
            ProgramVerification v = obj.program("simple_test").orElseThrow()
                    .verify(LoadOptions.builder().logLevel(2).build());
            assertThat(v.status()).isEqualTo(ProgramVerification.Status.REJECTED);
            assertThat(v.errorLine()).contains("unknown opcode 8d");
            assertThat(v.log()).endsWith("unknown opcode 8d\n" + v.stats().processedLine() + "\n");
            assertThat(obj.state()).isEqualTo(ObjectState.OPENED);
        }
    }

    @Test
    void loadOptionsRefuseUnknownLogBits() {
        assertThatThrownBy(() -> LoadOptions.builder().logLevel(8).build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(LoadOptions.defaults().verify()).isTrue();
    }
}
