package io.bpf4j.isa.text;

import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import java.util.Objects;

/**
 * Instruction text exactly as {@code llvm-objdump-19 -d} prints it after the raw bytes
 * ({@code r1 = *(u32 *)(r2 + 0x10)}, {@code if w1 s> -0x1 goto +0x3}, {@code <unknown>}).
 *
 * <p>LLVM's BPF disassembler is a table decoder: every instruction definition fixes some bits
 * and ignores the rest, so a reserved field may be ignored (a stray src_reg on {@code r1 += 0x1}
 * still prints) or make the slot {@code <unknown>} (a non-zero offset on the same instruction).
 * Registers 0..11 decode ({@code r11} is LLVM's internal register), 12..15 make the slot
 * unknown. This class reproduces those rules, checked against llvm-objdump-19 for every opcode
 * byte in both byte orders (see {@code isa/tools/gen_llvm_corpus.sh}).
 *
 * <p>The {@link Cpu} matters only where LLVM switches decoder tables: with ALU32 (v3 and v4)
 * narrow loads, stores and atomics name 32-bit {@code wN} registers, and 32-bit atomics beyond
 * {@code lock +=} decode; with v1 and v2 they print with {@code rN}. Newer instructions (movsx,
 * sdiv, gotol, bswap, sign-extending loads) decode whatever the cpu, as llvm-objdump does.
 *
 * <p>Two {@link Version}s: {@link Version#LLVM19} prints what LLVM 19 does not know as LLVM 19
 * prints it: {@code gotox} (0x0d) is {@code <unknown>}; load-acquire (imm 0x100) reads as
 * {@code lock ... +=} because LLVM 19 only looks at imm bits 0..7 of an atomic; store-release
 * (imm 0x110) is {@code <unknown>}. {@link Version#LLVM22} (llvm-objdump-22, checked the same way)
 * decodes {@code gotox rN} and {@code load_acquire}/{@code store_release}, and its plain
 * {@code llvm-objdump -d} decodes for cpu v3 (LLVM 20 made v3 the default), so narrow loads and
 * stores name {@code wN} registers unless {@code --mcpu=v1} or {@code v2} is given.
 */
public final class LlvmSyntax {
    /** The {@code --mcpu} llvm-objdump decodes for; the default of llvm-objdump-19 is v1. */
    public enum Cpu {
        V1, V2, V3, V4;

        /** True when LLVM enables its ALU32 feature (32-bit sub-registers in loads, stores, atomics). */
        public boolean alu32() {
            return this == V3 || this == V4;
        }
    }

    /** Which llvm-objdump's output to reproduce. */
    public enum Version {
        /** llvm-objdump-19: no {@code gotox}, no load-acquire/store-release, default cpu v1. */
        LLVM19(Cpu.V1),
        /** llvm-objdump-22: {@code gotox}, {@code load_acquire}, {@code store_release}, default cpu v3. */
        LLVM22(Cpu.V3);

        private final Cpu defaultCpu;

        Version(Cpu defaultCpu) {
            this.defaultCpu = defaultCpu;
        }

        /** The cpu plain {@code llvm-objdump -d} (no {@code --mcpu}) of this version decodes for. */
        public Cpu defaultCpu() {
            return defaultCpu;
        }

        /** The newest version this class reproduces. */
        public static Version newest() {
            return LLVM22;
        }

        /** {@code "19"} or {@code "22"} (also {@code "llvm22"}, {@code "llvm-22"}) to a version. */
        public static Version parse(String text) {
            String digits = text.replaceAll("(?i)^llvm-?", "");
            for (Version v : values()) {
                if (v.name().substring(4).equals(digits)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not an llvm-objdump version this syntax knows (19, 22)");
        }
    }

    /**
     * One decoded instruction: its text, how many 8-byte slots llvm-objdump consumed (2 for a
     * decoded {@code ld_imm64}, else 1) and, for a branch, the displacement in slots from the next
     * instruction that llvm-objdump resolves into a {@code <symbol+0x..>} annotation.
     */
    public record Decoded(String text, int slots, boolean branch, long displacement) {
        public Decoded {
            Objects.requireNonNull(text, "text");
        }

        static Decoded of(String text) {
            return new Decoded(text, 1, false, 0);
        }

        /** True when llvm-objdump could not decode the slot. */
        public boolean unknown() {
            return UNKNOWN.equals(text);
        }
    }

    /** What llvm-objdump prints for a slot it cannot decode. */
    public static final String UNKNOWN = "<unknown>";

    private static final Decoded UNKNOWN_SLOT = Decoded.of(UNKNOWN);
    private static final String[] JUMP_OPS = {null, "==", ">", ">=", "&", "!=", "s>", "s>=", null, null, "<", "<=", "s<", "s<="};
    private static final String[] ALU_OPS = {"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", null, "%=", "^=", "=", "s>>="};

    private final Version version;
    private final Cpu cpu;

    private LlvmSyntax(Version version, Cpu cpu) {
        this.version = Objects.requireNonNull(version, "version");
        this.cpu = Objects.requireNonNull(cpu, "cpu");
    }

    /** The syntax of {@code llvm-objdump-19 -d --mcpu=<cpu>}. */
    public static LlvmSyntax of(Cpu cpu) {
        return new LlvmSyntax(Version.LLVM19, cpu);
    }

    /** The syntax of {@code llvm-objdump-<version> -d --mcpu=<cpu>}. */
    public static LlvmSyntax of(Version version, Cpu cpu) {
        return new LlvmSyntax(version, cpu);
    }

    /** The syntax of plain {@code llvm-objdump-<version> -d} (no {@code --mcpu}). */
    public static LlvmSyntax of(Version version) {
        return new LlvmSyntax(version, version.defaultCpu());
    }

    /** The syntax of plain {@code llvm-objdump-19 -d} (cpu v1). */
    public static LlvmSyntax defaults() {
        return new LlvmSyntax(Version.LLVM19, Cpu.V1);
    }

    public Version version() {
        return version;
    }

    public Cpu cpu() {
        return cpu;
    }

    private boolean llvm22() {
        return version == Version.LLVM22;
    }

    /**
     * The text for one instruction. An {@code ld_imm64} that LLVM rejects (reserved offset,
     * register 12..15) gives {@code <unknown>}; llvm-objdump would then decode its second slot on
     * its own, which {@link #decode(Slot, Slot)} exposes.
     */
    public String format(Instruction insn) {
        Slot second = insn.raw().size() > 1 ? insn.raw().get(1) : null;
        return decode(insn.slot(), second).text();
    }

    /**
     * Decodes one slot as llvm-objdump does; {@code next} is the following slot, or null at the
     * end of the section (an {@code ld_imm64} without it is {@code <unknown>}).
     */
    public Decoded decode(Slot slot, Slot next) {
        Decoded d = switch (slot.instructionClass()) {
            case Opcodes.ALU, Opcodes.ALU64 -> arithmetic(slot);
            case Opcodes.JMP, Opcodes.JMP32 -> jump(slot);
            case Opcodes.LD -> ld(slot, next);
            case Opcodes.LDX -> ldx(slot);
            case Opcodes.ST -> st(slot);
            default -> stx(slot);
        };
        return d == null ? UNKNOWN_SLOT : d;
    }

    private static boolean valid(int reg) {
        return reg <= 11;
    }

    private static String r(int reg) {
        return "r" + reg;
    }

    private static String w(int reg) {
        return "w" + reg;
    }

    /** A signed 32- or 64-bit value the way LLVM's instruction printer writes immediates. */
    static String hex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }

    private static String signedHex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "+0x" + Long.toHexString(v);
    }

    private static String mem(int base, int off) {
        return "(" + r(base) + (off < 0 ? " - 0x" + Integer.toHexString(-off) : " + 0x" + Integer.toHexString(off)) + ")";
    }

    private Decoded arithmetic(Slot s) {
        int code = s.code();
        boolean wide = s.instructionClass() == Opcodes.ALU64;
        boolean x = (code & Opcodes.SOURCE_MASK) == Opcodes.X;
        int op = (code & Opcodes.OP_MASK) >> 4;
        int dst = s.dst();
        int src = s.src();
        int off = s.off();
        if (!valid(dst)) {
            return null;
        }
        String d = wide ? r(dst) : w(dst);
        String sr = wide ? r(src) : w(src);
        switch (code & Opcodes.OP_MASK) {
            case Opcodes.NEG:
                return x ? null : Decoded.of(d + " = -" + d);
            case Opcodes.END: {
                if (wide && x || s.imm() != 16 && s.imm() != 32 && s.imm() != 64) {
                    return null;
                }
                String kind = wide ? "bswap" : x ? "be" : "le";
                return Decoded.of(r(dst) + " = " + kind + s.imm() + " " + r(dst));
            }
            case Opcodes.MOV: {
                if (!x) {
                    return off == 0 ? Decoded.of(d + " = " + hex(s.imm())) : null;
                }
                if (!valid(src)) {
                    return null;
                }
                if (off == 0) {
                    return Decoded.of(d + " = " + sr);
                }
                if (off == 8 || off == 16 || wide && off == 32) {
                    return Decoded.of(d + " = (s" + off + ")" + sr);
                }
                if (wide && off == 1) {
                    return Decoded.of(d + " = addr_space_cast(" + sr + ", " + hex(s.imm() >>> 16) + ", " + hex(s.imm() & 0xffff) + ")");
                }
                return null;
            }
            case Opcodes.DIV, Opcodes.MOD:
                if (off != 0 && off != 1) {
                    return null;
                }
                break;
            case 0xe0, 0xf0:
                return null;
            default:
                if (off != 0) {
                    return null;
                }
        }
        String sym = ALU_OPS[op];
        if (off == 1) {
            sym = "s" + sym;
        }
        if (!x) {
            return Decoded.of(d + " " + sym + " " + hex(s.imm()));
        }
        return valid(src) ? Decoded.of(d + " " + sym + " " + sr) : null;
    }

    private Decoded jump(Slot s) {
        int code = s.code();
        boolean jmp32 = s.instructionClass() == Opcodes.JMP32;
        boolean x = (code & Opcodes.SOURCE_MASK) == Opcodes.X;
        switch (code & Opcodes.OP_MASK) {
            case Opcodes.JA:
                if (x) {
                    // gotox keeps its register in dst_reg; LLVM 22 ignores every other field
                    return llvm22() && !jmp32 && valid(s.dst()) ? Decoded.of("gotox " + r(s.dst())) : null;
                }
                return jmp32
                        ? new Decoded("gotol " + signedHex(s.imm()), 1, true, s.imm())
                        : new Decoded("goto " + signedHex(s.off()), 1, true, s.off());
            case Opcodes.CALL:
                if (jmp32) {
                    return null;
                }
                if (x) {
                    return valid(s.dst()) ? Decoded.of("callx " + r(s.dst())) : null;
                }
                return Decoded.of("call " + hex(s.imm()));
            case Opcodes.EXIT:
                return !jmp32 && !x && s.imm() == 0 ? Decoded.of("exit") : null;
            case Opcodes.JCOND:
                return !jmp32 && !x ? new Decoded("may_goto " + signedHex(s.off()), 1, true, s.off()) : null;
            case 0xf0:
                return null;
            default: {
                String sym = JUMP_OPS[(code & Opcodes.OP_MASK) >> 4];
                if (!valid(s.dst()) || x && !valid(s.src())) {
                    return null;
                }
                String d = jmp32 ? w(s.dst()) : r(s.dst());
                String rhs = x ? (jmp32 ? w(s.src()) : r(s.src())) : hex(s.imm());
                return new Decoded("if " + d + " " + sym + " " + rhs + " goto " + signedHex(s.off()), 1, true, s.off());
            }
        }
    }

    private Decoded ld(Slot s, Slot next) {
        int code = s.code();
        int mode = code & Opcodes.MODE_MASK;
        int size = code & Opcodes.SIZE_MASK;
        if (code == Opcodes.CODE_LD_IMM64) {
            if (next == null || s.off() != 0 || !valid(s.dst())) {
                return null;
            }
            if (s.src() == 0) {
                long value = ((long) next.imm() << 32) | (s.imm() & 0xffffffffL);
                return new Decoded(r(s.dst()) + " = " + hex(value) + " ll", 2, false, 0);
            }
            return new Decoded("ld_pseudo\t" + r(s.dst()) + ", " + hex(s.src()) + ", " + hex(s.imm() & 0xffffffffL), 2, false, 0);
        }
        if (size == Opcodes.DW) {
            return null;
        }
        String type = switch (size) {
            case Opcodes.W -> "u32";
            case Opcodes.H -> "u16";
            default -> "u8";
        };
        if (mode == Opcodes.ABS) {
            return Decoded.of("r0 = *(" + type + " *)skb[" + hex(s.imm()) + "]");
        }
        if (mode == Opcodes.IND) {
            return valid(s.src()) ? Decoded.of("r0 = *(" + type + " *)skb[" + r(s.src()) + "]") : null;
        }
        return null;
    }

    private static String sizeName(int code, boolean signed) {
        return (signed ? "s" : "u") + Opcodes.sizeBytes(code) * 8;
    }

    private Decoded ldx(Slot s) {
        int code = s.code();
        int mode = code & Opcodes.MODE_MASK;
        boolean dw = (code & Opcodes.SIZE_MASK) == Opcodes.DW;
        if (!valid(s.dst()) || !valid(s.src())) {
            return null;
        }
        if (mode == Opcodes.MEM) {
            String d = !dw && cpu.alu32() ? w(s.dst()) : r(s.dst());
            return Decoded.of(d + " = *(" + sizeName(code, false) + " *)" + mem(s.src(), s.off()));
        }
        if (mode == Opcodes.MEMSX && !dw) {
            return Decoded.of(r(s.dst()) + " = *(" + sizeName(code, true) + " *)" + mem(s.src(), s.off()));
        }
        return null;
    }

    private Decoded st(Slot s) {
        if ((s.code() & Opcodes.MODE_MASK) != Opcodes.MEM || !valid(s.dst())) {
            return null;
        }
        return Decoded.of("*(" + sizeName(s.code(), false) + " *)" + mem(s.dst(), s.off()) + " = " + hex(s.imm()));
    }

    private Decoded stx(Slot s) {
        int code = s.code();
        int mode = code & Opcodes.MODE_MASK;
        int size = code & Opcodes.SIZE_MASK;
        boolean dw = size == Opcodes.DW;
        if (!valid(s.dst()) || !valid(s.src())) {
            return null;
        }
        boolean narrow32 = !dw && cpu.alu32();
        String val = narrow32 ? w(s.src()) : r(s.src());
        String type = sizeName(code, false);
        String addr = mem(s.dst(), s.off());
        if (mode == Opcodes.MEM) {
            return Decoded.of("*(" + type + " *)" + addr + " = " + val);
        }
        if (mode != Opcodes.ATOMIC) {
            return null;
        }
        if (llvm22()) {
            Decoded ordered = loadAcquireStoreRelease(s, dw, size, type, addr, val);
            if (ordered != null) {
                return ordered;
            }
        }
        if (!dw && size != Opcodes.W) {
            return null;
        }
        // LLVM's atomic definitions fix imm bits 7..4 (the operation) and, for the fetch and
        // exchange forms, bits 3..0 (BPF_FETCH); the rest of imm is never looked at.
        int op = (s.imm() >> 4) & 0xf;
        boolean fetch = (s.imm() & 0xf) == Opcodes.ATOMIC_FETCH;
        if (!dw && !cpu.alu32()) {
            // Without ALU32 only the old 32-bit xadd decodes, whatever the fetch bits.
            return op == 0 ? Decoded.of("lock *(" + type + " *)" + addr + " += " + val) : null;
        }
        String opName;
        String opSym;
        switch (op) {
            case 0x0 -> { opName = "add"; opSym = "+"; }
            case 0x4 -> { opName = "or"; opSym = "|"; }
            case 0x5 -> { opName = "and"; opSym = "&"; }
            case 0xa -> { opName = "xor"; opSym = "^"; }
            case 0xe -> {
                return fetch ? Decoded.of(val + " = xchg" + (dw ? "_64(" : "32_32(") + inner(addr) + ", " + val + ")") : null;
            }
            case 0xf -> {
                String r0 = dw ? "r0" : "w0";
                return fetch ? Decoded.of(r0 + " = cmpxchg" + (dw ? "_64(" : "32_32(") + inner(addr) + ", " + r0 + ", " + val + ")") : null;
            }
            default -> {
                return null;
            }
        }
        if (fetch) {
            return Decoded.of(val + " = atomic_fetch_" + opName + "((" + type + " *)" + addr + ", " + val + ")");
        }
        return Decoded.of("lock *(" + type + " *)" + addr + " " + opSym + "= " + val);
    }

    /**
     * LLVM 22's load-acquire (imm bits 11..4 = 0x10) and store-release (0x11); bits 3..0 are not
     * looked at, except that a 32- or 64-bit {@code 0x101} stays {@code atomic_fetch_add}, which
     * LLVM's decoder tries first. 8- and 16-bit forms need ALU32, the 32-bit ones too (without it
     * only {@code lock +=} decodes), the 64-bit ones decode at every cpu.
     */
    private Decoded loadAcquireStoreRelease(Slot s, boolean dw, int size, String type, String addr, String val) {
        int kind = (s.imm() >> 4) & 0xff;
        if (kind != 0x10 && kind != 0x11 || !dw && !cpu.alu32()) {
            return null;
        }
        boolean fetchAdd = (s.imm() & 0xf) == Opcodes.ATOMIC_FETCH;
        if (kind == 0x10 && fetchAdd && (dw || size == Opcodes.W)) {
            return null;
        }
        if (kind == 0x10) {
            String d = dw ? r(s.dst()) : w(s.dst());
            return Decoded.of(d + " = load_acquire((" + type + " *)" + mem(s.src(), s.off()) + ")");
        }
        return Decoded.of("store_release((" + type + " *)" + addr + ", " + val + ")");
    }

    private static String inner(String parenthesized) {
        return parenthesized.substring(1, parenthesized.length() - 1);
    }
}
