package io.bpf4j.relocator.hostile;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.elf.ElfObject;
import io.bpf4j.relocator.RelocationException;
import io.bpf4j.relocator.Relocator;
import io.bpf4j.relocator.RelocatorOptions;
import io.bpf4j.testdata.CraftedElf;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Crafted relocations end in a {@link RelocationException}, never a JDK exception (issue 20). */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileRelocationTest {

    /** {@code r0 = 0; exit;} then the first half of an {@code ld_imm64} with a data relocation on it. */
    static byte[] cutOffLdImm64() {
        CraftedElf w = new CraftedElf();
        byte[] code = CraftedElf.le(24)
                .put((byte) 0xb7).put((byte) 0).putShort((short) 0).putInt(0)
                .put((byte) 0x95).put((byte) 0).putShort((short) 0).putInt(0)
                .put((byte) 0x18).put((byte) 1).putShort((short) 0).putInt(0).array();
        w.add("xdp", CraftedElf.PROGBITS, CraftedElf.ALLOC | CraftedElf.EXEC, code, 0, 0, 0);
        w.add(".data", CraftedElf.PROGBITS, CraftedElf.ALLOC | CraftedElf.WRITE, new byte[8], 0, 0, 0);
        w.add(".strtab", CraftedElf.STRTAB, 0, CraftedElf.strings("prog"), 0, 0, 0);
        byte[] syms = CraftedElf.concat(
                CraftedElf.symbol(0, 0, 0, 0, 0),
                CraftedElf.symbol(0, 0x03, 2, 0, 0),     // 1: .data section symbol
                CraftedElf.symbol(1, 0x12, 1, 0, 24));   // 2: prog, GLOBAL FUNC
        w.add(".symtab", CraftedElf.SYMTAB, 0, syms, 3, 2, 24);
        w.add(".relxdp", CraftedElf.REL, 0, CraftedElf.rel(16, 1, 1), 4, 1, 16);
        return w.bytes();
    }

    @Test
    void dataRelocationOnACutOffLdImm64IsARelocationError() {
        byte[] file = cutOffLdImm64();
        assertThatThrownBy(() -> Relocator.relocate(Relocator.open(ElfObject.read(file), "hostile", RelocatorOptions.defaults()),
                "prog")).isInstanceOf(RelocationException.class)
                .hasMessage("prog 'prog': invalid relo against '.data' for insns[2]: ld_imm64 is cut off at the end of the"
                        + " program in section 'xdp' (3 instructions)");
    }
}
