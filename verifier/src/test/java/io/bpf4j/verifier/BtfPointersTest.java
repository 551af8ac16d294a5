package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.AttachType;
import io.bpf4j.isa.abi.ProgramType;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * BTF-typed pointers on a small in-memory BTF, without a kernel: the verifier reads its
 * {@link BtfView} only, so a hand-made graph exercises the walk (nested unions, bitfields,
 * pointer members) and bad BTF. The same rules are compared with the running kernel on vmlinux
 * in loader's {@code BtfPointersParityTest}.
 */
class BtfPointersTest {
    /**
     * fn(struct node *p, int n); struct node { int val; int bits:3; struct node *next; union u { struct node *a; int b; } u; }
     * (24 bytes).
     */
    static final BtfView BTF = new BtfView() {
        final Map<Integer, BtfNode> types = Map.of(
                1, new BtfNode.Int("int", 4),
                2, new BtfNode.Composite("node", 24, false, List.of(
                        new BtfNode.Member("val", 1, 0, 0),
                        new BtfNode.Member("bits", 1, 32, 3),
                        new BtfNode.Member("next", 3, 64, 0),
                        new BtfNode.Member("u", 5, 128, 0))),
                3, new BtfNode.Ptr(2),
                4, new BtfNode.FuncProto(1, List.of(new BtfNode.Param("p", 3), new BtfNode.Param("n", 1))),
                5, new BtfNode.Composite("u", 8, true, List.of(new BtfNode.Member("a", 3, 0, 0),
                        new BtfNode.Member("b", 1, 0, 0))),
                6, new BtfNode.Func("fn", 4),
                7, new BtfNode.Modifier(BtfNode.ModifierKind.TYPEDEF, "loop", 7));

        @Override
        public BtfNode type(int id) {
            return types.getOrDefault(id, BtfNode.Void.INSTANCE);
        }

        @Override
        public OptionalInt findStruct(String name) {
            return name.equals("node") ? OptionalInt.of(2) : OptionalInt.empty();
        }

        @Override
        public OptionalInt findFunc(String name) {
            return name.equals("fn") ? OptionalInt.of(6) : OptionalInt.empty();
        }
    };

    private static VerifiedProgram fentry(Instruction... insns) {
        return Verifier.verify(VerifierInput.builder(List.of(insns), ProgramType.TRACING)
                .expectedAttachType(AttachType.TRACE_FENTRY).btf(BTF)
                .attachTarget(new AttachTarget("fn", 6, 4, false, false)).logLevel(2).build());
    }

    private static String rejection(Instruction... insns) {
        try {
            fentry(insns);
        } catch (VerifierException e) {
            return e.kernelMessage();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void membersWalkToScalarsAndPointers() {
        VerifiedProgram v = fentry(ldx(Size.DW, 2, 1, 0), ldx(Size.W, 0, 2, 0), ldx(Size.B, 0, 2, 4),
                ldx(Size.DW, 3, 2, 8), ldx(Size.W, 0, 3, 0), ldx(Size.DW, 4, 2, 16), mov(0, 0), exit());
        assertThat(v.log()).contains("func 'fn' arg0 has btf_id 2 type STRUCT 'node'")
                .contains("R2=ptr_node()").contains("R3=ptr_node()")
                // a union of more than one member makes what is read through it untrusted
                .contains("R4=untrusted_ptr_node()");
    }

    @Test
    void theKernelsRulesRejectWithItsMessages() {
        assertThat(rejection(ldx(Size.DW, 2, 1, 0), ldx(Size.DW, 0, 2, 24), exit()))
                .isEqualTo("access beyond struct node at off 24 size 8");
        assertThat(rejection(ldx(Size.DW, 2, 1, 0), ldx(Size.W, 0, 2, -4), exit()))
                .isEqualTo("R2 is ptr_node invalid negative access: off=-4");
        assertThat(rejection(ldx(Size.DW, 2, 1, 0), st(Size.W, 2, 0, 1), mov(0, 0), exit()))
                .isEqualTo("only read is supported");
        assertThat(rejection(ldx(Size.DW, 2, 1, 0), ldx(Size.W, 0, 2, 8), exit()))
                .isEqualTo("cannot access ptr member next with moff 8 in struct node with off 8 size 4");
        assertThat(rejection(ldx(Size.DW, 2, 1, 16), mov(0, 0), exit()))
                .isEqualTo("invalid bpf_context access off=16 size=8");
        assertThat(rejection(ldx(Size.W, 2, 1, 0), mov(0, 0), exit()))
                .isEqualTo("invalid bpf_context access off=0 size=4");
        assertThat(rejection(ldx(Size.DW, 2, 1, 8), ldx(Size.W, 0, 2, 0), exit()))
                .isEqualTo("R2 invalid mem access 'scalar'");
        assertThat(rejection(ldx(Size.DW, 2, 1, 0), mov(0, 1), exit()))
                .isEqualTo("At program exit the register R0 has smin=1 smax=1 should have been in [0, 0]");
    }

    @Test
    void withoutTheTargetsBtfTheProgramIsANamedGap() {
        assertThatThrownBy(() -> Verifier.verify(VerifierInput.builder(List.of(mov(0, 0), exit()), ProgramType.TRACING)
                .expectedAttachType(AttachType.TRACE_FENTRY).build()))
                .isInstanceOf(VerifierException.class).hasMessageContaining(
                        "bpf4j: not supported yet: tracing programs (BTF attach target) without the target's BTF");
        // a target that is not a prototype (here a typedef naming itself) is refused, not followed forever
        assertThatThrownBy(() -> Verifier.verify(VerifierInput.builder(List.of(mov(0, 0), exit()), ProgramType.TRACING)
                .expectedAttachType(AttachType.TRACE_FENTRY).btf(BTF)
                .attachTarget(new AttachTarget("fn", 6, 7, false, false)).build()))
                .isInstanceOf(VerifierException.class).hasMessageContaining("has no function prototype");
    }
}
