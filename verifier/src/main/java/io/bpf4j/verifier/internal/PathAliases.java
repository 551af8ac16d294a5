package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which registers hold copies of one value along a {@link FailingPath}: a forward pass that
 * names every value by the path position that made it and lets a register copy
 * ({@code rX = rY}) or a constant offset ({@code rX += K}) keep the name, as the kernel's ids
 * link a pointer and its constant-offset copies. A check on a copy refines the original (the
 * kernel's {@code find_good_pkt_pointers}, the null check of a copied lookup result), so the
 * slice keeps the conditional jumps on any copy of a value it kept.
 */
final class PathAliases {
    private static final int NONE = Integer.MIN_VALUE;

    /** Per path position (latest first, as the path): the name of the value the insn defined, or NONE. */
    private final int[] defined;
    /** Per path position of a conditional jump: the names of its two operands (NONE for an immediate). */
    private final int[] jumpDst;
    private final int[] jumpSrc;

    PathAliases(Program prog, List<FailingPath.Step> path) {
        int n = path.size();
        defined = new int[n];
        jumpDst = new int[n];
        jumpSrc = new int[n];
        java.util.Arrays.fill(defined, NONE);
        java.util.Arrays.fill(jumpDst, NONE);
        java.util.Arrays.fill(jumpSrc, NONE);
        int[] names = fresh(-1);
        ArrayDeque<int[]> callers = new ArrayDeque<>();
        for (int p = n - 1; p >= 0; p--) {
            int i = path.get(p).idx();
            if (prog.isSecondHalf(i)) {
                continue;
            }
            int next = p > 0 ? path.get(p - 1).idx() : -1;
            Slot s = prog.insns[i].slot();
            int cls = s.instructionClass();
            int op = s.code() & Opcodes.OP_MASK;
            boolean x = (s.code() & Opcodes.SOURCE_MASK) == Opcodes.X;
            int d = s.dst();
            int name = n - p; // unique per position, positive
            if (cls == Opcodes.ALU || cls == Opcodes.ALU64) {
                if (d > 9) {
                    continue;
                }
                if (op == Opcodes.MOV && x && s.src() <= 10 && s.off() == 0) {
                    names[d] = names[s.src()];
                } else if (!(cls == Opcodes.ALU64 && !x && (op == Opcodes.ADD || op == Opcodes.SUB))) {
                    names[d] = name;
                }
                defined[p] = names[d];
            } else if (cls == Opcodes.LDX || cls == Opcodes.LD && (s.code() & Opcodes.MODE_MASK) == Opcodes.IMM) {
                if (d <= 9) {
                    names[d] = name;
                    defined[p] = name;
                }
            } else if (cls == Opcodes.LD) {
                names[0] = name;
                defined[p] = name;
                scratch(names, name);
            } else if (cls == Opcodes.JMP || cls == Opcodes.JMP32) {
                if (op == Opcodes.CALL) {
                    boolean entered = next >= 0 && next != i + 1
                            && (s.src() == Opcodes.PSEUDO_CALL || s.code() == Opcodes.CODE_CALLX || prog.callsCallback[i]);
                    if (entered) {
                        callers.push(names);
                        int[] callee = fresh(name);
                        if (!prog.callsCallback[i] || s.src() == Opcodes.PSEUDO_CALL) {
                            System.arraycopy(names, 1, callee, 1, 5);
                        }
                        names = callee;
                    } else {
                        names[0] = name;
                        defined[p] = name;
                        scratch(names, name);
                    }
                } else if (op == Opcodes.EXIT) {
                    if (next >= 0 && !callers.isEmpty()) {
                        int r0 = names[0];
                        names = callers.pop();
                        boolean callback = prog.callsCallback[next];
                        scratch(names, name);
                        if (!callback) {
                            names[0] = r0;
                        }
                    }
                } else if (op != Opcodes.JA && s.code() != Opcodes.CODE_MAY_GOTO && d <= 10) {
                    jumpDst[p] = names[d];
                    jumpSrc[p] = x && s.src() <= 10 ? names[s.src()] : NONE;
                }
            }
        }
    }

    private static int[] fresh(int base) {
        int[] names = new int[11];
        for (int r = 0; r <= 10; r++) {
            names[r] = base * 16 - r - 1;
        }
        return names;
    }

    private static void scratch(int[] names, int name) {
        for (int r = 1; r <= 5; r++) {
            // a distinct dead value per register
            names[r] = -(name * 16 + r);
        }
    }

    /** The conditional jumps (path positions) on a copy of a value one of {@code hits} defined. */
    BitSet checksOn(List<Slicer.Hit> hits) {
        Set<Integer> values = new HashSet<>();
        for (Slicer.Hit h : hits) {
            if (h.pos() < defined.length && defined[h.pos()] != NONE && h.kind() != Slicer.Kind.REJECTED) {
                values.add(defined[h.pos()]);
            }
        }
        BitSet out = new BitSet();
        for (int p = 0; p < jumpDst.length; p++) {
            if (jumpDst[p] != NONE && values.contains(jumpDst[p]) || jumpSrc[p] != NONE && values.contains(jumpSrc[p])) {
                out.set(p);
            }
        }
        return out;
    }
}
