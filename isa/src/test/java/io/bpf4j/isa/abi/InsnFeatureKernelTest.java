package io.bpf4j.isa.abi;

import static io.bpf4j.isa.abi.LiveBpf.concat;
import static io.bpf4j.isa.abi.LiveBpf.insn;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link KernelProfile#supports(InsnFeature)} against the running kernel: one small valid program per form. */
@Tag("kernel")
class InsnFeatureKernelTest {

    /** {@code *(u64 *)(r10 -8) = 0; r1 = 1; r2 = 2} then the form, then {@code r0 = 0; exit}. */
    static byte[] with(byte[]... form) {
        byte[] prologue = concat(insn(0x7a, 10, 0, -8, 0), insn(0xb7, 1, 0, 0, 1), insn(0xb7, 2, 0, 0, 2));
        return concat(prologue, concat(form), LiveBpf.exitWith(0));
    }

    static Map<InsnFeature, byte[]> programs() {
        Map<InsnFeature, byte[]> m = new EnumMap<>(InsnFeature.class);
        m.put(InsnFeature.LDSX, with(insn(0x91, 3, 10, -8, 0)));                 // r3 = *(s8 *)(r10 -8)
        m.put(InsnFeature.MOVSX, with(insn(0xbf, 3, 2, 8, 0)));                  // r3 = (s8) r2
        m.put(InsnFeature.SDIV_SMOD, with(insn(0x3f, 1, 2, 1, 0)));              // r1 s/= r2
        m.put(InsnFeature.BSWAP, with(insn(0xd7, 1, 0, 0, 16)));                 // r1 = bswap16 r1
        m.put(InsnFeature.GOTOL, with(insn(0x06, 0, 0, 0, 0)));                  // gotol +0
        m.put(InsnFeature.MAY_GOTO, with(insn(0xe5, 0, 0, 0, 0)));               // may_goto +0
        m.put(InsnFeature.LOAD_ACQUIRE, with(insn(0xdb, 3, 10, -8, 0x100)));     // r3 = load_acquire((u64 *)(r10 -8))
        m.put(InsnFeature.STORE_RELEASE, with(insn(0xdb, 10, 1, -8, 0x110)));    // store_release((u64 *)(r10 -8), r1)
        m.put(InsnFeature.CALLX, with(insn(0x8d, 1, 0, 0, 0)));                  // callx r1
        m.put(InsnFeature.GOTOX, with(insn(0x0d, 1, 0, 0, 0)));                  // gotox r1
        return m;
    }

    @Test
    void instructionFormsAreTheKernels() {
        KernelProfile p = KernelProfile.linux618();
        List<String> wrong = new ArrayList<>();
        try (LiveBpf live = LiveBpf.startOrSkip()) {
            for (Map.Entry<InsnFeature, byte[]> e : programs().entrySet()) {
                LiveBpf.Verdict v = live.load(ProgramType.SOCKET_FILTER, null, 0, 0, 1, e.getValue());
                if (v.ok() != p.supports(e.getKey())) {
                    wrong.add(e.getKey() + ": kernel " + (v.ok() ? "accepts" : "refuses (" + v.errorLine() + ")"));
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}
