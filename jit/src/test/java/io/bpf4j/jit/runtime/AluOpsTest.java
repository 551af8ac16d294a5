package io.bpf4j.jit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The edge cases of RFC 9669 §4 that {@link AluOps} owns for both engines. */
class AluOpsTest {

    @Test
    void divisionByZeroGivesZeroAndModuloByZeroKeepsTheDividend() {
        assertThat(AluOps.div64(-1, 0)).isZero();
        assertThat(AluOps.mod64(-1, 0)).isEqualTo(-1);
        assertThat(AluOps.div32(0x1_0000_0007L, 0x1_0000_0000L)).isZero(); // the divisor's low 32 bits are 0
        assertThat(AluOps.mod32(0xffff_ffff_0000_0007L, 0)).isEqualTo(7); // dst unchanged, zero-extended
        assertThat(AluOps.sdiv64(5, 0)).isZero();
        assertThat(AluOps.smod64(-5, 0)).isEqualTo(-5);
        assertThat(AluOps.smod32(-5, 0)).isEqualTo(0xffff_fffbL);
    }

    @Test
    void unsignedAndSignedDivision() {
        assertThat(AluOps.div64(-2, 2)).isEqualTo(Long.MAX_VALUE);
        assertThat(AluOps.mod64(-1, 10)).isEqualTo(5); // 18446744073709551615 % 10
        assertThat(AluOps.sdiv64(-7, 2)).isEqualTo(-3);
        assertThat(AluOps.smod64(-7, 2)).isEqualTo(-1);
        assertThat(AluOps.smod64(7, -2)).isEqualTo(1);
        assertThat(AluOps.sdiv64(Long.MIN_VALUE, -1)).isEqualTo(Long.MIN_VALUE);
        assertThat(AluOps.smod64(Long.MIN_VALUE, -1)).isZero();
        assertThat(AluOps.sdiv32(Integer.MIN_VALUE, -1)).isEqualTo(0x8000_0000L);
        assertThat(AluOps.smod32(Integer.MIN_VALUE, -1)).isZero();
        assertThat(AluOps.sdiv32(-7, 2)).isEqualTo(0xffff_fffdL);
    }

    @Test
    void shiftCountsAreMaskedToTheWidth() {
        assertThat(AluOps.lsh64(1, 64)).isEqualTo(1);
        assertThat(AluOps.lsh64(1, 65)).isEqualTo(2);
        assertThat(AluOps.rsh64(-1, 63)).isEqualTo(1);
        assertThat(AluOps.arsh64(Long.MIN_VALUE, 127)).isEqualTo(-1);
        assertThat(AluOps.lsh32(1, 32)).isEqualTo(1);
        assertThat(AluOps.rsh32(0xffff_ffff_8000_0000L, 31)).isEqualTo(1);
        assertThat(AluOps.arsh32(0x8000_0000L, 4)).isEqualTo(0xf800_0000L);
    }

    @Test
    void signExtensionAndByteOrder() {
        assertThat(AluOps.signExtend(0x80, 8)).isEqualTo(-128);
        assertThat(AluOps.signExtend(0x1_7fff, 16)).isEqualTo(0x7fff);
        assertThat(AluOps.signExtend(0xffff_ffffL, 32)).isEqualTo(-1);
        assertThat(AluOps.signExtend32(0xff, 8)).isEqualTo(0xffff_ffffL);
        assertThat(AluOps.byteSwap(0x1122_3344_5566_7788L, 16)).isEqualTo(0x8877);
        assertThat(AluOps.byteSwap(0x1122_3344_5566_7788L, 32)).isEqualTo(0x8877_6655L);
        assertThat(AluOps.byteSwap(0x1122_3344_5566_7788L, 64)).isEqualTo(0x8877_6655_4433_2211L);
        assertThat(AluOps.toLittleEndian(0x1122_3344_5566_7788L, 16)).isEqualTo(0x7788);
        assertThat(AluOps.toLittleEndian(0x1122_3344_5566_7788L, 64)).isEqualTo(0x1122_3344_5566_7788L);
    }

    @Test
    void comparisons() {
        assertThat(AluOps.compare64(0x20, -1, 1)).isTrue(); // jgt is unsigned
        assertThat(AluOps.compare64(0x60, -1, 1)).isFalse(); // jsgt is signed
        assertThat(AluOps.compare32(0x10, 0x1_0000_0005L, 5)).isTrue(); // jeq32 ignores the high half
        assertThat(AluOps.compare32(0xc0, 0xffff_ffffL, 0)).isTrue(); // jslt32: -1 < 0
        assertThat(AluOps.compare64(0x40, 6, 1)).isFalse();
    }
}
