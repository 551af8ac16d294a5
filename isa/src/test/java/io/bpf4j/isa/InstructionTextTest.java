package io.bpf4j.isa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * {@code Instruction.toString()} is the line {@code bpftool prog dump xlated} prints for the
 * instruction (bpftool's {@code print_bpf_insn} wording), without its index and opcode.
 */
class InstructionTextTest {
    private static Instruction decode(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return InstructionCodec.decode(b, ByteOrder.LITTLE_ENDIAN).get(0);
    }

    @Test
    void toStringIsBpftoolsXlatedLine() {
        assertThat(decode(0xbf, 0x20, 0, 0, 0, 0, 0, 0)).hasToString("r0 = r2");
        assertThat(decode(0x79, 0x10, 0xe8, 0x03, 0, 0, 0, 0)).hasToString("r0 = *(u64 *)(r1 +1000)");
        assertThat(decode(0x95, 0, 0, 0, 0, 0, 0, 0)).hasToString("exit");
        assertThat(decode(0x85, 0, 0, 0, 1, 0, 0, 0)).hasToString("call bpf_map_lookup_elem#1");
        assertThat(decode(0x05, 0, 0xff, 0xff, 0, 0, 0, 0)).hasToString("goto pc-1");
        assertThat(decode(0xb4, 0x01, 0, 0, 0xff, 0xff, 0xff, 0xff)).hasToString("w1 = -1");
    }
}
