package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.alu;
import static io.bpf4j.verifier.Asm.exit;
import static io.bpf4j.verifier.Asm.mov;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.testdata.KernelVerifier;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A program over the kernel's instruction limit is refused before verification, as bpf_prog_load does (issue 20). */
@Tag("kernel")
class ProgramSizeTest {
    @Test
    void oneInstructionOverTheLimitIsE2bigWithAnEmptyLogOnBothSides() {
        List<Instruction> insns = new ArrayList<>();
        insns.add(mov(0, 0));
        Instruction add = alu(AluOp.ADD, 0, 1);
        while (insns.size() < 1_000_000) {
            insns.add(add);
        }
        insns.add(exit());

        KernelVerifier.Verdict kernel = KernelVerifier.require().verify(KernelVerifier.Program.of(ProgramType.SOCKET_FILTER.id(),
                InstructionCodec.encode(insns, ByteOrder.LITTLE_ENDIAN)).withLogLevel(1));
        VerifierException bpf4j = catchThrowableOfType(VerifierException.class,
                () -> Verifier.verify(VerifierInput.builder(insns, ProgramType.SOCKET_FILTER).logLevel(1).build()));

        assertThat(kernel.accepted()).isFalse();
        assertThat(kernel.errno()).as("E2BIG").isEqualTo(7);
        assertThat(kernel.log()).isEmpty();
        assertThat(bpf4j.log()).isEqualTo(kernel.log());
        assertThat(bpf4j.kernelMessage()).isEqualTo(
                "bpf4j: program of 1000001 insns exceeds the kernel's limit of 1000000 (BPF_PROG_LOAD fails with E2BIG)");
        assertThat(bpf4j.insnIndex()).isEqualTo(-1);
    }
}
