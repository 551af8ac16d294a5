package io.bpf4j.isa.text;

import io.bpf4j.isa.Call;
import io.bpf4j.isa.CallX;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.abi.HelperId;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Instructions the way {@code bpftool prog dump xlated} prints them (bpftool 7.x with the
 * kernel's {@code disasm.c} of 2026: v4 instructions, {@code may_goto}, {@code addr_space_cast},
 * load-acquire/store-release, {@code gotox}): {@code    0: (bf) r6 = r1}, optionally followed by
 * the raw bytes ({@code opcodes}).
 *
 * <p>Where bpftool looks things up (helper names, map ids, JIT symbols of subprograms) the
 * printer asks a {@link Symbols}; its defaults print what bpftool prints for an xlated dump
 * without that information. One deliberate difference: {@code callx} (0x8d) prints as
 * {@code callx rN}, the form of the pending kernel series and its verifier log, where bpftool of
 * 2026-06 still reads it as {@code call bpf_unspec#0}.
 *
 * <p>Encodings bpftool has no text for keep bpftool's output, including its {@code BUG_..}
 * lines and the {@code (null)} glibc prints for a missing operator, so that a dump of odd bytes
 * compares equal too.
 */
public final class BpftoolSyntax {
    /** Where bpftool resolves names; every method has bpftool's answer without extra information. */
    public interface Symbols {
        /**
         * The name in {@code call NAME#imm} for a call at instruction {@code index} that is not
         * bpf-to-bpf. bpftool uses its helper table for src 0 and an imm below its helper count,
         * else the kernel symbol at the call address (an xlated helper call carries the helper's
         * address relative to {@code __bpf_call_base}, so it prints as
         * {@code call __htab_map_lookup_elem#123456}); without that this
         * gives the helper's C name ({@code bpf_map_lookup_elem}), {@code kernel-function} for a
         * kfunc and {@code unknown} for anything else.
         */
        default String callee(int index, Call call) {
            HelperId h = call.slot().src() == 0 ? HelperId.ofId(call.imm()) : null;
            if (h != null) {
                return h.helperName();
            }
            return call.slot().src() == Opcodes.PSEUDO_KFUNC_CALL ? "kernel-function" : "unknown";
        }

        /**
         * The JIT symbol bpftool appends to a bpf-to-bpf call at instruction {@code index}
         * ({@code call pc+2#bpf_prog_1a2b3c4d5e6f7a8b_helper}, or an address {@code 0xffff...}
         * when kallsyms has none); null for a program that was not JIT-compiled, which prints
         * {@code call pc+2}.
         */
        default String subprogram(int index, Call call) {
            return null;
        }

        /**
         * The value text of an {@code ld_imm64} that names a map ({@code src} 1, 2, 5 or 6), for
         * example {@code map[counts]}; null for bpftool's own: {@code map[id:5]},
         * {@code map[id:5][0]+4}, {@code map[idx:1]+4}, or the 64-bit value in hex for src 5.
         */
        default String mapReference(LoadImm64 insn) {
            return null;
        }

        /**
         * The name of the function a {@code BPF_PSEUDO_FUNC} load at instruction {@code index}
         * points to, printed after the offset as a call's target is
         * ({@code r2 = subprog[+10]#callback}); null prints bpftool's bare {@code subprog[+10]}.
         */
        default String function(int index, LoadImm64 insn) {
            return null;
        }

        /**
         * Lines bpftool prints before instruction {@code index}: a BTF function signature
         * ({@code int prog(struct __sk_buff * skb):}) and {@code ; source} lines from line_info.
         */
        default List<String> linesBefore(int index) {
            return List.of();
        }
    }

    /** The defaults: what bpftool prints without BTF, kallsyms or map names. */
    public static final Symbols NO_SYMBOLS = new Symbols() {};

    /**
     * Output options: {@code opcodes} adds bpftool's raw-bytes line under each instruction,
     * written in {@code order} (bpftool prints the kernel's memory: little-endian on x86).
     */
    public record Options(boolean opcodes, ByteOrder order) {
        public Options {
            Objects.requireNonNull(order, "order");
        }

        public static Options plain() {
            return new Options(false, ByteOrder.LITTLE_ENDIAN);
        }

        public static Options withOpcodes() {
            return new Options(true, ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static final String[] ALU = {"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian", "(null)", "(null)"};
    private static final String[] JMP = {"jmp", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=", "s<", "s<=", "(null)", "(null)"};
    private static final String[] LDST = {"u32", "u16", "u8", "u64"};
    private static final String[] LDSX = {"s32", "s16", "s8", "(null)"};
    private static final String[] ATOMIC_ALU = {"add", null, null, null, "or", "and", null, null, null, null, "xor"};

    private final Options options;
    private final Symbols symbols;

    private BpftoolSyntax(Options options, Symbols symbols) {
        this.options = Objects.requireNonNull(options, "options");
        this.symbols = Objects.requireNonNull(symbols, "symbols");
    }

    public static BpftoolSyntax of(Options options, Symbols symbols) {
        return new BpftoolSyntax(options, symbols);
    }

    /** Plain output, no opcodes, bpftool's defaults for names. */
    public static BpftoolSyntax defaults() {
        return new BpftoolSyntax(Options.plain(), NO_SYMBOLS);
    }

    /**
     * The dump of a program: for each instruction the {@link Symbols#linesBefore} lines, then
     * {@code %4d: (code) text} (the index counts slots), then with {@code opcodes} the raw bytes
     * indented by seven spaces (16 bytes for {@code ld_imm64}).
     */
    public List<String> format(Instructions insns) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < insns.size(); i++) {
            Instruction insn = insns.get(i);
            int index = insns.slotOf(i);
            out.addAll(symbols.linesBefore(index));
            out.add(String.format("%4d: %s", index, format(index, insn)));
            if (options.opcodes()) {
                StringBuilder hex = new StringBuilder("       ");
                byte[] bytes = InstructionCodec.encode(List.of(insn), options.order());
                for (int b = 0; b < bytes.length; b++) {
                    if (b > 0) {
                        hex.append(' ');
                    }
                    hex.append(Character.forDigit((bytes[b] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[b] & 0xf, 16));
                }
                out.add(hex.toString());
            }
        }
        return out;
    }

    /** One instruction's text without the index, for example {@code (85) call bpf_map_lookup_elem#1}. */
    public String format(int index, Instruction insn) {
        Slot s = insn.slot();
        return switch (s.instructionClass()) {
            case Opcodes.ALU, Opcodes.ALU64 -> alu(s);
            case Opcodes.STX -> stx(s);
            case Opcodes.ST -> st(s);
            case Opcodes.LDX -> ldx(s);
            case Opcodes.LD -> ld(index, insn);
            default -> jmp(index, insn);
        };
    }

    private static String p(Slot s) {
        return String.format("(%02x) ", s.code());
    }

    private static String off(int off) {
        return off < 0 ? Integer.toString(off) : "+" + off;
    }

    private static String alu(Slot s) {
        boolean wide = s.instructionClass() == Opcodes.ALU64;
        char reg = wide ? 'r' : 'w';
        int op = s.code() & Opcodes.OP_MASK;
        boolean x = (s.code() & Opcodes.SOURCE_MASK) == Opcodes.X;
        if (op == Opcodes.END) {
            String kind = wide ? "bswap" : x ? "be" : "le";
            return p(s) + "r" + s.dst() + " = " + kind + s.imm() + " r" + s.dst();
        }
        if (op == Opcodes.NEG) {
            return p(s) + reg + s.dst() + " = -" + reg + s.dst();
        }
        if (s.code() == (Opcodes.ALU64 | Opcodes.MOV | Opcodes.X) && s.off() == 1) {
            return p(s) + "r" + s.dst() + " = addr_space_cast(r" + s.src() + ", " + (s.imm() >>> 16) + ", " + (s.imm() & 0xffff) + ")";
        }
        if (s.code() == (Opcodes.ALU64 | Opcodes.MOV | Opcodes.X) && s.off() == -1) {
            return p(s) + "r" + s.dst() + " = &(void __percpu *)(r" + s.src() + ")";
        }
        boolean signedDiv = (op == Opcodes.DIV || op == Opcodes.MOD) && s.off() == 1;
        String sym = signedDiv ? (op == Opcodes.DIV ? "s/=" : "s%=") : ALU[op >> 4];
        if (x) {
            String movsx = "";
            if (op == Opcodes.MOV && (s.off() == 8 || s.off() == 16 || s.off() == 32)) {
                movsx = "(s" + s.off() + ")";
            }
            return p(s) + reg + s.dst() + " " + sym + " " + movsx + reg + s.src();
        }
        return p(s) + reg + s.dst() + " " + sym + " " + s.imm();
    }

    private static String size(Slot s) {
        return LDST[(s.code() & Opcodes.SIZE_MASK) >> 3];
    }

    private static String stx(Slot s) {
        int mode = s.code() & Opcodes.MODE_MASK;
        String addr = "(r" + s.dst() + " " + off(s.off()) + ")";
        if (mode == Opcodes.MEM) {
            return p(s) + "*(" + size(s) + " *)" + addr + " = r" + s.src();
        }
        if (mode == Opcodes.ATOMIC) {
            int imm = s.imm();
            String w64 = (s.code() & Opcodes.SIZE_MASK) == Opcodes.DW ? "64" : "";
            if (imm == Opcodes.ADD || imm == Opcodes.AND || imm == Opcodes.OR || imm == Opcodes.XOR) {
                return p(s) + "lock *(" + size(s) + " *)" + addr + " " + ALU[imm >> 4] + " r" + s.src();
            }
            if (imm == (Opcodes.ADD | Opcodes.ATOMIC_FETCH) || imm == (Opcodes.AND | Opcodes.ATOMIC_FETCH)
                    || imm == (Opcodes.OR | Opcodes.ATOMIC_FETCH) || imm == (Opcodes.XOR | Opcodes.ATOMIC_FETCH)) {
                return p(s) + "r" + s.src() + " = atomic" + w64 + "_fetch_" + ATOMIC_ALU[imm >> 4] + "((" + size(s) + " *)" + addr + ", r" + s.src() + ")";
            }
            if (imm == Opcodes.ATOMIC_CMPXCHG) {
                return p(s) + "r0 = atomic" + w64 + "_cmpxchg((" + size(s) + " *)" + addr + ", r0, r" + s.src() + ")";
            }
            if (imm == Opcodes.ATOMIC_XCHG) {
                return p(s) + "r" + s.src() + " = atomic" + w64 + "_xchg((" + size(s) + " *)" + addr + ", r" + s.src() + ")";
            }
            if (imm == Opcodes.ATOMIC_LOAD_ACQ) {
                return p(s) + "r" + s.dst() + " = load_acquire((" + size(s) + " *)(r" + s.src() + " " + off(s.off()) + "))";
            }
            if (imm == Opcodes.ATOMIC_STORE_REL) {
                return p(s) + "store_release((" + size(s) + " *)" + addr + ", r" + s.src() + ")";
            }
        }
        return String.format("BUG_%02x", s.code());
    }

    private static String st(Slot s) {
        int mode = s.code() & Opcodes.MODE_MASK;
        if (mode == Opcodes.MEM) {
            return p(s) + "*(" + size(s) + " *)(r" + s.dst() + " " + off(s.off()) + ") = " + s.imm();
        }
        if (mode == 0xc0) { // BPF_NOSPEC, inserted by the verifier
            return p(s) + "nospec";
        }
        return String.format("BUG_st_%02x", s.code());
    }

    private static String ldx(Slot s) {
        int mode = s.code() & Opcodes.MODE_MASK;
        if (mode != Opcodes.MEM && mode != Opcodes.MEMSX) {
            return String.format("BUG_ldx_%02x", s.code());
        }
        String type = mode == Opcodes.MEM ? size(s) : LDSX[(s.code() & Opcodes.SIZE_MASK) >> 3];
        return p(s) + "r" + s.dst() + " = *(" + type + " *)(r" + s.src() + " " + off(s.off()) + ")";
    }

    private String ld(int index, Instruction insn) {
        Slot s = insn.slot();
        int mode = s.code() & Opcodes.MODE_MASK;
        if (mode == Opcodes.ABS) {
            return p(s) + "r0 = *(" + size(s) + " *)skb[" + s.imm() + "]";
        }
        if (mode == Opcodes.IND) {
            return p(s) + "r0 = *(" + size(s) + " *)skb[r" + s.src() + " + " + s.imm() + "]";
        }
        if (insn instanceof LoadImm64) {
            LoadImm64 ld = (LoadImm64) insn;
            return p(s) + "r" + s.dst() + " = " + imm64(index, ld);
        }
        return String.format("BUG_ld_%02x", s.code());
    }

    private String imm64(int index, LoadImm64 ld) {
        int src = ld.slot().src();
        if (src == Opcodes.PSEUDO_MAP_FD || src == Opcodes.PSEUDO_MAP_VALUE || src == Opcodes.PSEUDO_MAP_IDX
                || src == Opcodes.PSEUDO_MAP_IDX_VALUE) {
            String named = symbols.mapReference(ld);
            if (named != null) {
                return named;
            }
        }
        return switch (src) {
            case Opcodes.PSEUDO_MAP_FD -> "map[id:" + ld.slot().imm() + "]";
            case Opcodes.PSEUDO_MAP_VALUE -> "map[id:" + ld.slot().imm() + "][0]+" + ld.second().imm();
            case Opcodes.PSEUDO_MAP_IDX_VALUE -> "map[idx:" + ld.slot().imm() + "]+" + ld.second().imm();
            case Opcodes.PSEUDO_FUNC -> "subprog[" + off(ld.slot().imm()) + "]" + named(symbols.function(index, ld));
            default -> "0x" + Long.toHexString(ld.value());
        };
    }

    private static String named(String name) {
        return name == null ? "" : "#" + name;
    }

    private String jmp(int index, Instruction insn) {
        Slot s = insn.slot();
        boolean jmp32 = s.instructionClass() == Opcodes.JMP32;
        char reg = jmp32 ? 'w' : 'r';
        int op = s.code() & Opcodes.OP_MASK;
        if (s.code() == Opcodes.CODE_CALLX) {
            return p(s) + "callx r" + (insn instanceof CallX ? ((CallX) insn).targetRegister() : s.dst());
        }
        if (op == Opcodes.CALL) {
            Call call = insn instanceof Call ? (Call) insn : new Call(s.withCode(Opcodes.CODE_CALL));
            if (s.src() == Opcodes.PSEUDO_CALL) {
                String sym = symbols.subprogram(index, call);
                // A JIT-compiled program's xlated dump keeps the distance in off (imm then holds
                // the subprogram's number); before JIT, as libbpf hands it over, it is in imm.
                int distance = s.off() != 0 ? s.off() : s.imm();
                return p(s) + "call pc" + off(distance) + (sym == null ? "" : "#" + sym);
            }
            return p(s) + "call " + symbols.callee(index, call) + "#" + s.imm();
        }
        if (s.code() == Opcodes.CODE_JA) {
            return p(s) + "goto pc" + off(s.off());
        }
        if (s.code() == Opcodes.CODE_GOTOX) {
            return p(s) + "gotox r" + s.dst();
        }
        if (s.code() == Opcodes.CODE_MAY_GOTO && s.src() == 0) {
            return p(s) + "may_goto pc" + off(s.off());
        }
        if (s.code() == Opcodes.CODE_GOTOL) {
            return p(s) + "gotol pc" + off(s.imm());
        }
        if (s.code() == Opcodes.CODE_EXIT) {
            return p(s) + "exit";
        }
        String sym = JMP[op >> 4];
        if ((s.code() & Opcodes.SOURCE_MASK) == Opcodes.X) {
            return p(s) + "if " + reg + s.dst() + " " + sym + " " + reg + s.src() + " goto pc" + off(s.off());
        }
        return p(s) + "if " + reg + s.dst() + " " + sym + " 0x" + Integer.toHexString(s.imm()) + " goto pc" + off(s.off());
    }
}
