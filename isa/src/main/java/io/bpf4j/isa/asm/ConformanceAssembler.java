package io.bpf4j.isa.asm;

import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The assembler of the eBPF conformance suite's {@code -- asm} sections (the syntax of
 * Alan-Jowett/bpf_conformance's {@code bpf_assembler}): {@code %r0..%r10}, {@code [%rN+off]},
 * decimal or {@code 0x} numbers, labels ({@code name:}; the first {@code exit} is also the label
 * {@code exit}), jump targets {@code +N}/{@code -N} or a label, counted in slots.
 *
 * <p>Mnemonics: ALU {@code add sub mul div sdiv mod smod or and lsh rsh arsh xor mov neg} (and
 * {@code ...32}), {@code movsx{8,16,32}{32,64}}, {@code be/le/bswap/swap{16,32,64}}, loads
 * {@code ldx{b,h,w,dw}}, {@code ldxs{b,h,w}}, stores {@code st{b,h,w,dw}}, {@code stx{b,h,w,dw}},
 * {@code lddw}, atomics {@code lock [fetch] add|or|and|xor|xchg|cmpxchg[32]}, jumps {@code ja},
 * {@code ja32}, {@code j<cond>[32]}, {@code call N}, {@code call local label},
 * {@code call %rN} (callx), {@code exit}. Output is little endian, as the suite's runner emits.
 */
public final class ConformanceAssembler {
    private ConformanceAssembler() {}

    private static final Map<String, Integer> ALU = Map.ofEntries(
            Map.entry("add", Opcodes.ADD), Map.entry("sub", Opcodes.SUB), Map.entry("mul", Opcodes.MUL),
            Map.entry("div", Opcodes.DIV), Map.entry("sdiv", Opcodes.DIV), Map.entry("or", Opcodes.OR),
            Map.entry("and", Opcodes.AND), Map.entry("lsh", Opcodes.LSH), Map.entry("rsh", Opcodes.RSH),
            Map.entry("neg", Opcodes.NEG), Map.entry("mod", Opcodes.MOD), Map.entry("smod", Opcodes.MOD),
            Map.entry("xor", Opcodes.XOR), Map.entry("mov", Opcodes.MOV), Map.entry("arsh", Opcodes.ARSH));

    private static final Map<String, Integer> JUMPS = Map.ofEntries(
            Map.entry("jeq", Opcodes.JEQ), Map.entry("jgt", Opcodes.JGT), Map.entry("jge", Opcodes.JGE),
            Map.entry("jset", Opcodes.JSET), Map.entry("jne", Opcodes.JNE), Map.entry("jsgt", Opcodes.JSGT),
            Map.entry("jsge", Opcodes.JSGE), Map.entry("jlt", Opcodes.JLT), Map.entry("jle", Opcodes.JLE),
            Map.entry("jslt", Opcodes.JSLT), Map.entry("jsle", Opcodes.JSLE));

    private static final Map<String, Integer> SIZES = Map.of("b", Opcodes.B, "h", Opcodes.H, "w", Opcodes.W, "dw", Opcodes.DW);

    private static final Map<String, Integer> ATOMICS = Map.of("add", Opcodes.ADD, "or", Opcodes.OR, "and", Opcodes.AND,
            "xor", Opcodes.XOR, "xchg", Opcodes.ATOMIC_XCHG, "cmpxchg", Opcodes.ATOMIC_CMPXCHG);

    /** Assembles {@code source} (one instruction or label per line, {@code #} comments) into instructions. */
    public static Instructions assemble(String source) {
        return InstructionCodec.decode(assembleBytes(source), ByteOrder.LITTLE_ENDIAN);
    }

    /** Assembles {@code source} into little-endian instruction bytes. */
    public static byte[] assembleBytes(String source) {
        List<Slot> slots = new ArrayList<>();
        List<String> pendingLabel = new ArrayList<>();
        List<Integer> pendingLine = new ArrayList<>();
        Map<String, Integer> labels = new HashMap<>();
        String[] lines = source.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] tokens = line.split("\\s+");
            String mnemonic = tokens[0];
            List<String> ops = new ArrayList<>();
            for (int i = 1; i < tokens.length; i++) {
                String t = tokens[i].endsWith(",") ? tokens[i].substring(0, tokens[i].length() - 1) : tokens[i];
                if (!t.isEmpty()) {
                    ops.add(t);
                }
            }
            int lineNo = n + 1;
            if (mnemonic.endsWith(":")) {
                String label = mnemonic.substring(0, mnemonic.length() - 1);
                if (labels.putIfAbsent(label, slots.size()) != null) {
                    throw new AssemblerException(lineNo, "duplicate label '" + label + "'");
                }
                continue;
            }
            if (mnemonic.equals("exit")) {
                labels.putIfAbsent("exit", slots.size());
            }
            Line l = new Line(lineNo, mnemonic, ops);
            int before = slots.size();
            String label = encode(l, slots);
            for (int i = before; i < slots.size(); i++) {
                pendingLabel.add(i == before ? label : null);
                pendingLine.add(lineNo);
            }
        }
        for (int i = 0; i < slots.size(); i++) {
            String label = pendingLabel.get(i);
            if (label == null) {
                continue;
            }
            Integer at = labels.get(label);
            if (at == null) {
                throw new AssemblerException(pendingLine.get(i), "undefined label '" + label + "'");
            }
            int rel = at - i - 1;
            Slot s = slots.get(i);
            boolean inImm = s.code() == Opcodes.CODE_CALL || s.code() == Opcodes.CODE_GOTOL;
            slots.set(i, inImm ? s.withImm(rel) : s.withOff(rel));
        }
        byte[] out = new byte[slots.size() * InstructionCodec.SLOT_SIZE];
        for (int i = 0; i < slots.size(); i++) {
            InstructionCodec.writeSlot(slots.get(i), out, i * InstructionCodec.SLOT_SIZE, ByteOrder.LITTLE_ENDIAN);
        }
        return out;
    }

    private record Line(int number, String mnemonic, List<String> ops) {
        String op(int i) {
            if (i >= ops.size()) {
                throw new AssemblerException(number, "'" + mnemonic + "' needs more operands");
            }
            return ops.get(i);
        }

        void expect(int count) {
            if (ops.size() != count) {
                throw new AssemblerException(number, "'" + mnemonic + "' takes " + count + " operands, got " + ops.size());
            }
        }

        AssemblerException error(String message) {
            return new AssemblerException(number, message);
        }
    }

    /** Encodes one line into {@code out}; returns the label its jump target names, or null. */
    private static String encode(Line l, List<Slot> out) {
        String m = l.mnemonic();
        if (m.equals("exit")) {
            l.expect(0);
            out.add(Slot.of(Opcodes.CODE_EXIT, 0, 0, 0, 0));
            return null;
        }
        if (m.equals("lddw")) {
            l.expect(2);
            long v = number(l, l.op(1));
            out.add(Slot.of(Opcodes.CODE_LD_IMM64, reg(l, l.op(0)), 0, 0, (int) v));
            out.add(Slot.of(0, 0, 0, 0, (int) (v >>> 32)));
            return null;
        }
        if (m.equals("call")) {
            return encodeCall(l, out);
        }
        if (m.equals("lock")) {
            encodeAtomic(l, out);
            return null;
        }
        if (m.equals("ja") || m.equals("ja32")) {
            l.expect(1);
            boolean wide = m.equals("ja32");
            String t = l.op(0);
            int code = wide ? Opcodes.CODE_GOTOL : Opcodes.CODE_JA;
            if (isRelative(t)) {
                int rel = (int) number(l, t);
                out.add(wide ? Slot.of(code, 0, 0, 0, rel) : Slot.of(code, 0, 0, rel, 0));
                return null;
            }
            out.add(Slot.of(code, 0, 0, 0, 0));
            return t;
        }
        String base = m.endsWith("32") ? m.substring(0, m.length() - 2) : m;
        if (JUMPS.containsKey(base)) {
            l.expect(3);
            int cls = m.endsWith("32") ? Opcodes.JMP32 : Opcodes.JMP;
            int code = cls | JUMPS.get(base);
            int dst = reg(l, l.op(0));
            int src = 0;
            int imm = 0;
            if (l.op(1).startsWith("%")) {
                code |= Opcodes.X;
                src = reg(l, l.op(1));
            } else {
                imm = (int) number(l, l.op(1));
            }
            String t = l.op(2);
            if (isRelative(t)) {
                out.add(Slot.of(code, dst, src, (int) number(l, t), imm));
                return null;
            }
            out.add(Slot.of(code, dst, src, 0, imm));
            return t;
        }
        if (m.startsWith("ldx")) {
            l.expect(2);
            boolean signed = m.startsWith("ldxs");
            Integer size = SIZES.get(m.substring(signed ? 4 : 3));
            if (size == null || signed && size == Opcodes.DW) {
                throw l.error("unknown mnemonic '" + m + "'");
            }
            int[] mem = memory(l, l.op(1));
            out.add(Slot.of(Opcodes.LDX | (signed ? Opcodes.MEMSX : Opcodes.MEM) | size, reg(l, l.op(0)), mem[0], mem[1], 0));
            return null;
        }
        if (m.startsWith("stx") && SIZES.containsKey(m.substring(3))) {
            l.expect(2);
            int[] mem = memory(l, l.op(0));
            out.add(Slot.of(Opcodes.STX | Opcodes.MEM | SIZES.get(m.substring(3)), mem[0], reg(l, l.op(1)), mem[1], 0));
            return null;
        }
        if (m.startsWith("st") && SIZES.containsKey(m.substring(2))) {
            l.expect(2);
            int[] mem = memory(l, l.op(0));
            out.add(Slot.of(Opcodes.ST | Opcodes.MEM | SIZES.get(m.substring(2)), mem[0], 0, mem[1], (int) number(l, l.op(1))));
            return null;
        }
        if (encodeByteSwap(l, out)) {
            return null;
        }
        encodeAlu(l, out);
        return null;
    }

    private static String encodeCall(Line l, List<Slot> out) {
        if (l.ops().size() == 1) {
            String t = l.op(0);
            if (t.startsWith("%")) {
                out.add(Slot.of(Opcodes.CODE_CALLX, reg(l, t), 0, 0, 0));
            } else {
                out.add(Slot.of(Opcodes.CODE_CALL, 0, 0, 0, (int) number(l, t)));
            }
            return null;
        }
        l.expect(2);
        String t = l.op(1);
        switch (l.op(0)) {
            case "helper" -> out.add(Slot.of(Opcodes.CODE_CALL, 0, 0, 0, (int) number(l, t)));
            case "runtime" -> out.add(Slot.of(Opcodes.CODE_CALL, 0, Opcodes.PSEUDO_KFUNC_CALL, 0, (int) number(l, t)));
            case "local" -> {
                if (isRelative(t)) {
                    out.add(Slot.of(Opcodes.CODE_CALL, 0, Opcodes.PSEUDO_CALL, 0, (int) number(l, t)));
                    return null;
                }
                out.add(Slot.of(Opcodes.CODE_CALL, 0, Opcodes.PSEUDO_CALL, 0, 0));
                return t;
            }
            default -> throw l.error("invalid call mode '" + l.op(0) + "'");
        }
        return null;
    }

    private static void encodeAtomic(Line l, List<Slot> out) {
        List<String> ops = new ArrayList<>(l.ops());
        boolean fetch = !ops.isEmpty() && ops.get(0).equals("fetch");
        if (fetch) {
            ops.remove(0);
        }
        if (ops.size() != 3) {
            throw l.error("lock takes [fetch] op [reg+off], reg");
        }
        String op = ops.get(0);
        boolean narrow = op.endsWith("32");
        Integer imm = ATOMICS.get(narrow ? op.substring(0, op.length() - 2) : op);
        if (imm == null) {
            throw l.error("unknown atomic operation '" + op + "'");
        }
        if (fetch) {
            imm |= Opcodes.ATOMIC_FETCH;
        }
        int[] mem = memory(l, ops.get(1));
        out.add(Slot.of(Opcodes.STX | Opcodes.ATOMIC | (narrow ? Opcodes.W : Opcodes.DW), mem[0], reg(l, ops.get(2)), mem[1], imm));
    }

    private static boolean encodeByteSwap(Line l, List<Slot> out) {
        String m = l.mnemonic();
        int code;
        String width;
        if (m.startsWith("be")) {
            code = Opcodes.ALU | Opcodes.END | Opcodes.X;
            width = m.substring(2);
        } else if (m.startsWith("le")) {
            code = Opcodes.ALU | Opcodes.END | Opcodes.K;
            width = m.substring(2);
        } else if (m.startsWith("bswap")) {
            code = Opcodes.ALU64 | Opcodes.END | Opcodes.K;
            width = m.substring(5);
        } else if (m.startsWith("swap")) {
            code = Opcodes.ALU64 | Opcodes.END | Opcodes.K;
            width = m.substring(4);
        } else {
            return false;
        }
        if (!width.equals("16") && !width.equals("32") && !width.equals("64")) {
            return false;
        }
        l.expect(1);
        out.add(Slot.of(code, reg(l, l.op(0)), 0, 0, Integer.parseInt(width)));
        return true;
    }

    private static void encodeAlu(Line l, List<Slot> out) {
        String m = l.mnemonic();
        if (m.startsWith("movsx") && m.length() > 5) {
            String bits = m.substring(5);
            int from;
            int cls;
            switch (bits) {
                case "832" -> { from = 8; cls = Opcodes.ALU; }
                case "864" -> { from = 8; cls = Opcodes.ALU64; }
                case "1632" -> { from = 16; cls = Opcodes.ALU; }
                case "1664" -> { from = 16; cls = Opcodes.ALU64; }
                case "3264" -> { from = 32; cls = Opcodes.ALU64; }
                default -> throw l.error("unknown mnemonic '" + m + "'");
            }
            l.expect(2);
            out.add(Slot.of(cls | Opcodes.MOV | Opcodes.X, reg(l, l.op(0)), reg(l, l.op(1)), from, 0));
            return;
        }
        boolean narrow = m.endsWith("32");
        String base = narrow ? m.substring(0, m.length() - 2) : m;
        Integer op = ALU.get(base);
        if (op == null) {
            throw l.error("unknown mnemonic '" + m + "'");
        }
        int code = (narrow ? Opcodes.ALU : Opcodes.ALU64) | op;
        int off = base.equals("sdiv") || base.equals("smod") ? 1 : 0;
        if (base.equals("neg")) {
            l.expect(1);
            out.add(Slot.of(code, reg(l, l.op(0)), 0, off, 0));
            return;
        }
        l.expect(2);
        int dst = reg(l, l.op(0));
        if (l.op(1).startsWith("%")) {
            out.add(Slot.of(code | Opcodes.X, dst, reg(l, l.op(1)), off, 0));
        } else {
            out.add(Slot.of(code, dst, 0, off, (int) number(l, l.op(1))));
        }
    }

    private static boolean isRelative(String t) {
        return t.startsWith("+") || t.startsWith("-");
    }

    private static int reg(Line l, String token) {
        if (token.startsWith("%r")) {
            try {
                int n = Integer.parseInt(token.substring(2));
                if (n >= 0 && n <= 15) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw l.error("invalid register '" + token + "'");
    }

    /** {@code [%rN]}, {@code [%rN+off]} or {@code [%rN-off]}: register and offset. */
    private static int[] memory(Line l, String token) {
        if (!token.startsWith("[") || !token.endsWith("]")) {
            throw l.error("invalid memory operand '" + token + "'");
        }
        String inner = token.substring(1, token.length() - 1);
        int sign = Math.max(inner.indexOf('+'), inner.indexOf('-'));
        if (sign < 0) {
            return new int[] {reg(l, inner), 0};
        }
        return new int[] {reg(l, inner.substring(0, sign)), (int) number(l, inner.substring(sign))};
    }

    /** A decimal or {@code 0x} number with an optional sign, wrapping to 64 bits as the suite's parser does. */
    static long number(Line l, String token) {
        String t = token;
        boolean negative = false;
        if (t.startsWith("+") || t.startsWith("-")) {
            negative = t.startsWith("-");
            t = t.substring(1);
        }
        try {
            long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw l.error("invalid number '" + token + "'");
        }
    }
}
