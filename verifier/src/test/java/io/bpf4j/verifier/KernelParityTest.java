package io.bpf4j.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.Alu;
import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Call;
import io.bpf4j.isa.Exit;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Jump;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Load;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.Store;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kit itself: programs whose kernel verdict is fixed by a rule bpf4j models from its first
 * version, and the comparison's report when the two sides differ.
 */
@Tag("kernel")
class KernelParityTest {
    private static final int PSEUDO_MAP_FD = 1;
    private static final int PSEUDO_MAP_IDX = 5;
    private static final MapShape ARRAY = MapShape.builder(MapType.ARRAY).keySize(4).valueSize(8).maxEntries(1).build();

    private static Alu mov(Register dst, int imm) {
        return Alu.imm(AluOp.MOV, true, dst, imm);
    }

    /** key 0 on the stack, r1 = map 0 (in the ld_imm64 form {@code src}), bpf_map_lookup_elem. */
    private static List<Instruction> lookup(int src, Instruction... then) {
        List<Instruction> p = new ArrayList<>(List.of(
                Store.imm(Size.DW, Register.R10, -8, 0),
                Alu.reg(AluOp.MOV, true, Register.R2, Register.R10),
                Alu.imm(AluOp.ADD, true, Register.R2, -8),
                LoadImm64.of(Register.R1, src, 0, 0),
                Call.helper(1)));
        p.addAll(List.of(then));
        return p;
    }

    @Test
    void acceptedOnBothSides() {
        KernelParity.Comparison c = KernelParity.assertSameVerdict(ProgramType.SOCKET_FILTER,
                List.of(mov(Register.R0, 0), Exit.INSTANCE));
        assertThat(c.kernel().accepted()).isTrue();
    }

    @Test
    void unsetReturnValue() {
        KernelParity.Comparison c = KernelParity.assertSameVerdict(ProgramType.SOCKET_FILTER, List.of(Exit.INSTANCE));
        assertThat(c.kernel().errorLine()).isEqualTo("R0 !read_ok");
    }

    @Test
    void jumpOutOfRange() {
        KernelParity.Comparison c = KernelParity.assertSameVerdict(ProgramType.XDP,
                List.of(mov(Register.R0, 0), Jump.ja(5), Exit.INSTANCE));
        assertThat(c.kernel().errorLine()).isEqualTo("jump out of range from insn 1 to 7");
    }

    @Test
    void mapValueOrNullInBothLdImm64Forms() {
        for (int src : new int[] {PSEUDO_MAP_FD, PSEUDO_MAP_IDX}) {
            KernelParity.assertSameVerdict(ProgramType.SOCKET_FILTER,
                    lookup(src, Load.of(Size.W, Register.R0, Register.R0, 0), Exit.INSTANCE), ARRAY);
            KernelParity.assertSameVerdict(ProgramType.SOCKET_FILTER,
                    lookup(src, Jump.imm(JumpOp.JEQ, false, Register.R0, 0, 1),
                            Load.of(Size.W, Register.R0, Register.R0, 0), Exit.INSTANCE), ARRAY);
        }
    }

    @Test
    void theReportShowsBothLogs() {
        KernelParity.Comparison c = KernelParity.of(ProgramType.SOCKET_FILTER, List.of(Exit.INSTANCE)).compare();
        assertThat(c.report()).contains("kernel: rejected: R0 !read_ok", "--- kernel log ---", "0: (95) exit",
                "--- bpf4j log ---");
    }
}
