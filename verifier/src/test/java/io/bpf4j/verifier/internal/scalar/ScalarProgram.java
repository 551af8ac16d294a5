package io.bpf4j.verifier.internal.scalar;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A straight-line socket-filter program over scalars in r6..r9 whose conditional jumps all go to
 * the final {@code r0 = 0; exit}, together with the Java model's expectation of every register
 * state the kernel's level-2 log prints for it: after each instruction on the fall-through path
 * and, per undecided jump, the full state of the taken edge ({@code from A to B:}).
 */
final class ScalarProgram {
    /** One instruction; {@code src} < 0 means the K form with {@code imm}. */
    record Insn(Kind kind, AluOp alu, JumpOp jmp, boolean wide, int dst, int src, int off, int imm, String text) {
    }

    enum Kind { ALU, NEG, END, MOV, JMP, SPILL, FILL, CALL, EXIT }

    private final List<Insn> insns = new ArrayList<>();

    static ScalarProgram withPrologue() {
        ScalarProgram p = new ScalarProgram();
        for (int r = 6; r <= 9; r++) {
            p.add(new Insn(Kind.CALL, null, null, true, 0, -1, 0, 7, "call"));
            p.add(new Insn(Kind.MOV, AluOp.MOV, null, true, r, 0, 0, 0, "r" + r + " = r0"));
        }
        return p;
    }

    ScalarProgram add(Insn i) {
        insns.add(i);
        return this;
    }

    ScalarProgram alu(AluOp op, boolean wide, int dst, int src, int imm, int off) {
        return add(new Insn(Kind.ALU, op, null, wide, dst, src, off, imm, (wide ? "r" : "w") + dst + " " + op + " "
                + (src < 0 ? Integer.toString(imm) : (wide ? "r" : "w") + src) + (off != 0 ? " off=" + off : "")));
    }

    List<Insn> insns() {
        return insns;
    }

    /** The encoded program: the instructions, then {@code r0 = 0; exit} (the target of every jump). */
    List<byte[]> encode() {
        List<byte[]> out = new ArrayList<>();
        int exit = insns.size();
        for (int i = 0; i < insns.size(); i++) {
            Insn n = insns.get(i);
            int cls = n.wide ? 0x07 : 0x04;
            switch (n.kind) {
                case CALL -> out.add(enc(0x85, 0, 0, 0, n.imm));
                case ALU -> out.add(enc(cls | n.alu.bits() | (n.src < 0 ? 0 : 0x08), n.dst, Math.max(n.src, 0), n.off,
                        n.src < 0 ? n.imm : 0));
                case NEG -> out.add(enc(cls | 0x80, n.dst, 0, 0, 0));
                case END -> out.add(enc(cls | 0xd0 | (n.src == 1 ? 0x08 : 0), n.dst, 0, 0, n.imm));
                case MOV -> out.add(enc(cls | 0xb0 | (n.src < 0 ? 0 : 0x08), n.dst, Math.max(n.src, 0), n.off, n.imm));
                case JMP -> out.add(enc((n.wide ? 0x05 : 0x06) | n.jmp.bits() | (n.src < 0 ? 0 : 0x08), n.dst,
                        Math.max(n.src, 0), exit - i - 1, n.src < 0 ? n.imm : 0));
                case SPILL -> out.add(enc(0x7b, 10, n.src, -8, 0));
                case FILL -> out.add(enc(0x01 | (n.off != 0 ? 0x80 : 0x60) | sizeBits(n.imm), n.dst, 10, -8, 0));
                default -> throw new IllegalStateException(n.toString());
            }
        }
        out.add(enc(0xb7, 0, 0, 0, 0));
        out.add(enc(0x95, 0, 0, 0, 0));
        return out;
    }

    /** LDX (0x61 | size) or, with {@code off != 0} in the Insn, LDSX (mode 0x80). */
    private static int sizeBits(int bytes) {
        return switch (bytes) {
            case 1 -> 0x10;
            case 2 -> 0x08;
            case 4 -> 0x00;
            default -> 0x18;
        };
    }

    static byte[] enc(int code, int dst, int src, int off, int imm) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) code).put((byte) ((src << 4) | dst)).putShort((short) off).putInt(imm);
        return b.array();
    }

    /** The model's expectations. */
    record Expectation(Map<Integer, Scalar[]> after, Map<Integer, Scalar[]> takenAt, int lastInsn,
            List<String> violations) {
    }

    Expectation model() {
        Scalar[] regs = new Scalar[11];
        Scalar spill = null;
        Map<Integer, Scalar[]> after = new HashMap<>();
        Map<Integer, Scalar[]> taken = new HashMap<>();
        List<String> violations = new ArrayList<>();
        int last = insns.size() - 1;
        for (int i = 0; i < insns.size(); i++) {
            Insn n = insns.get(i);
            Scalar src = n.src < 0 ? Scalar.constant(n.imm) : regs[n.src];
            switch (n.kind) {
                case CALL -> {
                    for (int r = 0; r <= 5; r++) {
                        regs[r] = null;
                    }
                    regs[0] = Scalar.unknown();
                }
                case ALU -> {
                    Scalar before = regs[n.dst];
                    Scalar raw = before.aluUnchecked(n.alu, n.wide, src, n.off);
                    if (raw.invariantViolation() != null) {
                        violations.add(i + ": alu " + raw.invariantViolation());
                    }
                    regs[n.dst] = before.alu(n.alu, n.wide, src, n.off);
                }
                case NEG -> regs[n.dst] = regs[n.dst].neg(n.wide);
                case END -> regs[n.dst] = n.wide ? regs[n.dst].bswap(n.imm) : regs[n.dst].endian(n.src == 1, n.imm);
                case MOV -> {
                    if (n.src < 0) {
                        regs[n.dst] = n.wide ? Scalar.constant(n.imm) : Scalar.constant32(n.imm);
                    } else if (n.off != 0) {
                        regs[n.dst] = regs[n.src].movsx(n.off, n.wide);
                    } else {
                        regs[n.dst] = n.wide ? regs[n.src] : regs[n.src].zext32();
                    }
                }
                case SPILL -> spill = regs[n.src];
                case FILL -> regs[n.dst] = n.off != 0 ? spill.signExtendFrom(n.imm) : spill.coerceToSize(n.imm);
                case JMP -> {
                    Scalar dst = regs[n.dst];
                    int pred = n.src == n.dst ? dst.isBranchTakenSelf(n.jmp, !n.wide) : dst.isBranchTaken(n.jmp, !n.wide, src);
                    if (pred == 1) {
                        after.put(i, regs.clone());
                        return new Expectation(after, taken, i, violations);
                    }
                    if (pred < 0) {
                        BranchRefinement br = n.src == n.dst ? dst.refineSelf(n.jmp, !n.wide)
                                : dst.refine(n.jmp, !n.wide, src);
                        for (BranchRefinement.Violation v : br.violations()) {
                            violations.add(i + ": " + v.message());
                        }
                        Scalar[] t = regs.clone();
                        t[n.dst] = br.dstIfTaken();
                        if (n.src >= 0) {
                            t[n.src] = n.src == n.dst ? br.dstIfTaken() : br.srcIfTaken();
                        }
                        taken.put(i, t);
                        regs[n.dst] = br.dstIfNotTaken();
                        if (n.src >= 0) {
                            regs[n.src] = n.src == n.dst ? br.dstIfNotTaken() : br.srcIfNotTaken();
                        }
                    }
                }
                default -> throw new IllegalStateException();
            }
            after.put(i, regs.clone());
        }
        return new Expectation(after, taken, last, violations);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < insns.size(); i++) {
            sb.append(i).append(": ").append(insns.get(i).text()).append('\n');
        }
        return sb.toString();
    }
}
