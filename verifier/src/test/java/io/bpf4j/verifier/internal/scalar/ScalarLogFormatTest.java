package io.bpf4j.verifier.internal.scalar;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import org.junit.jupiter.api.Test;

/**
 * Log text without a kernel at hand: every expected string below is what the Linux 6.18.44
 * verifier printed (log_level 2) for the same instruction sequence on the oracle machine; the
 * kernel-tagged tests re-check such strings live.
 */
class ScalarLogFormatTest {
    private static final Scalar U = Scalar.unknown();

    private static Scalar k(long v) {
        return Scalar.constant(v);
    }

    @Test
    void constantsPrintBare() {
        assertThat(k(0)).hasToString("0");
        assertThat(k(-1)).hasToString("-1");
        assertThat(k(255)).hasToString("255");
        assertThat(k(671007)).hasToString("0xa3d1f");
        assertThat(k(-32768)).hasToString("-32768");
        assertThat(k(0xffff_ffffL)).hasToString("0xffffffff");
        assertThat(U).hasToString("scalar()");
    }

    @Test
    void mergedNamesAndDefaultsOmitted() {
        Scalar m = U.alu(AluOp.AND, true, k(4080));
        assertThat(m).hasToString("scalar(smin=smin32=0,smax=umax=smax32=umax32=4080,var_off=(0x0; 0xff0))");
        assertThat(m.endian(true, 16)).hasToString("scalar(smin=smin32=0,smax=umax=smax32=umax32=0xf00f,var_off=(0x0; 0xf00f))");
        assertThat(m.bswap(32))
                .hasToString("scalar(smin=0,smax=umax=umax32=0xf00f0000,smax32=0x700f0000,var_off=(0x0; 0xf00f0000))");
        assertThat(m.neg(false))
                .hasToString("scalar(smin=0,smax=umax=umax32=0xfffffff0,smin32=-4080,smax32=0,var_off=(0x0; 0xfffffff0))");
        assertThat(m.endian(false, 16)).isEqualTo(m);
    }

    @Test
    void thirtyTwoBitResults() {
        assertThat(U.alu(AluOp.AND, false, U)).hasToString("scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))");
        assertThat(U.alu(AluOp.ARSH, false, k(31)))
                .hasToString("scalar(smin=0,smax=umax=0xffffffff,smin32=-1,smax32=0,var_off=(0x0; 0xffffffff))");
        assertThat(U.alu(AluOp.DIV, false, k(3))).hasToString("scalar()");
        assertThat(U.alu(AluOp.RSH, false, k(28)).neg(true)).hasToString("scalar(smin=smin32=-15,smax=smax32=0)");
    }

    @Test
    void signedPatternsInHex() {
        assertThat(U.alu(AluOp.OR, true, k(3840))).hasToString(
                "scalar(smin=0x8000000000000f00,umin=umin32=3840,smin32=0x80000f00,var_off=(0xf00; 0xfffffffffffff0ff))");
        Scalar s = U.alu(AluOp.AND, true, k(0x70)).alu(AluOp.OR, true, k(-128)).movsx(8, true);
        assertThat(s).hasToString("scalar(smin=smin32=-128,smax=smax32=-16,umin=0xffffffffffffff80,"
                + "umax=0xfffffffffffffff0,umin32=0xffffff80,umax32=0xfffffff0,var_off=(0xffffffffffffff80; 0x7f))");
    }

    @Test
    void branchRefinements() {
        // "if r9 >= 0xfffffffc": the immediate -4 is sign-extended
        BranchRefinement r = U.refine(JumpOp.JGE, false, k(-4));
        assertThat(r.dstIfNotTaken()).hasToString("scalar(umax=0xfffffffffffffffb)");
        // a tnum with two members, one excluded by the range: the single survivor is the value
        Scalar bit = U.alu(AluOp.AND, true, k(16));
        assertThat(bit.refine(JumpOp.JLT, true, k(1)).dstIfNotTaken()).hasToString("16");
        assertThat(bit.refine(JumpOp.JLT, true, k(1)).dstIfTaken()).hasToString("0");
    }

    @Test
    @SuppressWarnings("deprecation") // the run-time deadness is what is checked here
    void contradictionIsReportedAndReset() {
        Scalar bit = U.alu(AluOp.AND, true, k(1));
        BranchRefinement r = bit.refineSelf(JumpOp.JGE, true);
        assertThat(r.violations()).hasSize(1);
        assertThat(r.violations().get(0).message()).isEqualTo("REG INVARIANTS VIOLATION (false_reg1): range bounds "
                + "violation u64=[0x0, 0x1] s64=[0x0, 0x1] u32=[0x1, 0x0] s32=[0x0, 0x1] var_off=(0x0, 0x1)");
        assertThat(r.dstIfNotTaken()).hasToString("scalar(var_off=(0x0; 0x1))");
        assertThat(r.notTakenPossible()).isFalse();
        assertThat(r.dstIfTaken()).hasToString("scalar(smin=smin32=0,smax=umax=smax32=umax32=1,var_off=(0x0; 0x1))");
    }

    @Test
    void forkOfMinusOneOrZero() {
        Scalar mask = U.alu(AluOp.ARSH, false, k(31));
        ScalarFork f = mask.forkBeforeBitwise(AluOp.AND, k(-134));
        assertThat(f).isNotNull();
        assertThat(f.continued().alu(AluOp.AND, false, k(-134))).hasToString("0xffffff7a");
        assertThat(f.pushed().alu(AluOp.AND, false, k(-134))).hasToString("0");
        assertThat(mask.forkBeforeBitwise(AluOp.XOR, k(1))).isNull();
        assertThat(mask.forkBeforeBitwise(AluOp.AND, U)).isNull();
    }

    @Test
    void leadingFieldsGoFirst() {
        StringBuilder sb = new StringBuilder();
        U.appendTo(sb, "id=2");
        assertThat(sb).hasToString("scalar(id=2)");
        sb.setLength(0);
        U.alu(AluOp.AND, true, k(1)).appendTo(sb, "id=3+4");
        assertThat(sb).hasToString("scalar(id=3+4,smin=smin32=0,smax=umax=smax32=umax32=1,var_off=(0x0; 0x1))");
    }
}
