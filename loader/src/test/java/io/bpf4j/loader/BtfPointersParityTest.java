package io.bpf4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.abi.KernelProfile;
import io.bpf4j.testdata.KernelVerifier;
import io.bpf4j.testdata.TestData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * BTF-typed pointers and BTF-attached programs (tp_btf, LSM, fentry, struct_ops), judged by the
 * running kernel through libbpf and by bpf4j in the same run ({@link VerifierParity}): verdicts
 * and error lines must be equal. {@code btf_pointers.bpf.c} has one program per rule, accept and
 * reject sides (its names say which, the kernel decides); fentry and LSM programs this kernel
 * refuses with EPERM and an empty log are counted as not judged, and bpf4j still judges them.
 */
@Tag("kernel")
class BtfPointersParityTest {

    private static List<VerifierParity.Program> compare(int logLevel, String... objects) {
        KernelVerifier k = KernelVerifier.require();
        KernelProfile profile = KernelProfiles.probe();
        List<VerifierParity.Program> all = new ArrayList<>();
        for (String o : objects) {
            all.addAll(VerifierParity.compare(k, TestData.object(o), logLevel, profile));
        }
        return all;
    }

    private static String report(List<VerifierParity.Program> all) {
        StringBuilder sb = new StringBuilder();
        for (VerifierParity.Program p : all) {
            sb.append(p.outcome()).append(' ').append(p.file()).append(' ').append(p.name()).append("\n    kernel: ")
                    .append(p.kernel()).append("\n    bpf4j:  ").append(p.bpf4j()).append(' ').append(p.note()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void btfPointerRulesAgreeWithTheKernel() {
        List<VerifierParity.Program> all = compare(2, "btf_pointers.v3.el.o");
        String text = report(all);
        System.out.println(text);
        List<VerifierParity.Program> judged = all.stream()
                .filter(p -> p.outcome() != VerifierParity.Outcome.NOT_JUDGED).toList();
        assertThat(judged).as(text).allMatch(p -> p.outcome() == VerifierParity.Outcome.AGREE);
        // the tp_btf and kprobe programs are judged on any kernel with BTF: 5 accepted, 10 rejected
        assertThat(judged).as(text).hasSizeGreaterThanOrEqualTo(15);
        assertThat(judged).as(text).filteredOn(p -> p.kernel().startsWith("rejected")).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void notJudgedProgramsAreStillJudgedByBpf4j() throws Exception {
        // fentry and LSM may be refused by this kernel before its verifier runs; bpf4j verifies them anyway
        try (BpfObject obj = BpfObject.open(TestData.object("btf_pointers.v3.el.o"))) {
            LoadOptions opts = LoadOptions.builder().logLevel(1).build();
            for (String name : new String[] {"accept_fentry_args", "accept_lsm_zero"}) {
                ProgramVerification v = obj.program(name).orElseThrow().verify(opts);
                assertThat(v.status()).as(name + ": " + v.log()).isEqualTo(ProgramVerification.Status.ACCEPTED);
            }
            ProgramVerification positive = obj.program("reject_lsm_positive").orElseThrow().verify(opts);
            assertThat(positive.status()).isEqualTo(ProgramVerification.Status.REJECTED);
            assertThat(positive.rejection().kernelMessage())
                    .isEqualTo("At program exit the register R0 has smin=1 smax=1 should have been in [-4095, 0]");
        }
    }

    @Test
    void structOpsAndTpBtfTestdataAgreeWithTheKernel() {
        // level 1: libbpf 1.1 fails struct_ops loads at level 2 (the log holds only "func#0 @0")
        List<VerifierParity.Program> all = compare(1, "struct_ops_tcp.v3.el.o", "struct_ops_optional.v3.el.o",
                "sections.v1.el.o", "sections.v3.el.o");
        String text = report(all);
        System.out.println(text);
        List<VerifierParity.Program> btf = all.stream()
                .filter(p -> p.file().startsWith("struct_ops") || p.name().equals("sec_tp_btf")).toList();
        // struct_ops objects need libbpf 1.5 on the kernel side (-Dbpf4j.kernelVerifier.libbpf=DIR):
        // libbpf 1.1 refuses them before the kernel (NOT_JUDGED)
        assertThat(btf).as(text).filteredOn(p -> p.outcome() != VerifierParity.Outcome.NOT_JUDGED)
                .allMatch(p -> p.outcome() == VerifierParity.Outcome.AGREE);
        assertThat(btf).as(text).filteredOn(p -> p.name().equals("sec_tp_btf"))
                .hasSize(2).allMatch(p -> p.outcome() == VerifierParity.Outcome.AGREE);
    }

    @Test
    void congestionControlStoresAgreeWithTheKernel() {
        // the kernel's tcp_sock write rules (bpf_tcp_ca); needs libbpf 1.5 on the kernel side
        List<VerifierParity.Program> all = compare(1, "struct_ops_writes.v3.el.o", "struct_ops_write_reject.v3.el.o");
        String text = report(all);
        System.out.println(text);
        assertThat(all).as(text).filteredOn(p -> p.outcome() != VerifierParity.Outcome.NOT_JUDGED)
                .allMatch(p -> p.outcome() == VerifierParity.Outcome.AGREE);
        try (BpfObject obj = BpfObject.open(TestData.object("struct_ops_write_reject.v3.el.o"))) {
            ProgramVerification v = obj.program("reject_write_readonly_field").orElseThrow()
                    .verify(LoadOptions.builder().build());
            assertThat(v.status()).isEqualTo(ProgramVerification.Status.REJECTED);
            assertThat(v.rejection().kernelMessage()).startsWith("no write support to tcp_sock at off ");
        }
    }

    @Test
    void structOpsObjectsLoadWithDefaultVerification() throws Exception {
        KernelVerifier.require(); // needs the running kernel's BTF for the struct_ops targets
        for (String o : new String[] {"struct_ops_tcp.v3.el.o", "struct_ops_optional.v3.el.o", "struct_ops_writes.v3.el.o"}) {
            try (BpfObject obj = BpfObject.open(TestData.object(o))) {
                obj.load();
                for (BpfProgram p : obj.programs()) {
                    if (p.verification().isPresent()) {
                        assertThat(p.verification().get().status()).as(o + " " + p.name())
                                .isEqualTo(ProgramVerification.Status.ACCEPTED);
                    }
                }
                assertThat(obj.programs()).as(o).anyMatch(p -> p.verification().isPresent());
            }
        }
    }
}
