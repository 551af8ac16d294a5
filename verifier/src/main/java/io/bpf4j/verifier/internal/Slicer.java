package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backward slice over a {@link FailingPath}: starting from the registers and stack slots a
 * rejection is about, it walks the path backwards and keeps every instruction that wrote one of
 * them (then asks for what that instruction read), compared one of them, or clobbered one of
 * them (a call scratching R1-R5). Frames follow the calls on the path: a return moves R0's
 * demand into the callee, a call entry moves the callee's R1-R5 demands to the caller's
 * arguments. Registers are the kernel's (def/use per instruction, as backtracking sees them);
 * memory other than the stack is not followed (the pointer used for a load is).
 */
final class Slicer {
    /** What an instruction of the slice did to the values followed. */
    enum Kind { REJECTED, SET, ADD_REG, LOAD, STORE, CHECK, CALL_RESULT, CLOBBER, ARGS, RETURN, LD_IMM64 }

    /** One kept instruction: its position on the path (0 = the rejected one), slot, kind and role text. */
    record Hit(int pos, int idx, Kind kind, int reg, int src, String role) {
    }

    private static final int MAX_FRAMES = 8;
    private static final int ARGS_MASK = 0x3e;

    private final Program prog;
    private final int[] regs = new int[MAX_FRAMES];
    private final long[] stack = new long[MAX_FRAMES];
    private final int startFrame;
    private int frame;
    private final List<Hit> hits = new ArrayList<>();
    /** For each register of the starting frame whose demand a call dropped: the clobbering call's slot. */
    final Map<Integer, Integer> clobberedBy = new LinkedHashMap<>();
    /** Whether the walk went back past the entry of the rejected instruction's function through its call. */
    boolean reachedFrameEntry;
    /** Whether the walk reached the first instruction of the path with something still demanded. */
    boolean reachedPathStart;

    /** The name of the function starting at an insn, for {@code ld_imm64} of a function (null: none shown). */
    java.util.function.IntFunction<String> funcNames;

    Slicer(Program prog, int frame) {
        this.prog = prog;
        this.startFrame = frame;
        this.frame = frame;
    }

    void demandReg(int r) {
        if (r >= 0 && r < 10) {
            regs[frame] |= 1 << r;
        }
    }

    /** The stack bytes [off, off+size) of frame {@code fr} (offsets from its frame pointer, negative). */
    void demandStack(int fr, int off, int size) {
        for (int b = off; b < off + size; b++) {
            if (b < 0 && b >= -512 && fr >= 0 && fr < MAX_FRAMES) {
                int spi = (-b - 1) / 8;
                if (spi < 64) {
                    stack[fr] |= 1L << spi;
                }
            }
        }
    }

    /** Conditional jumps (path positions) kept whatever their operands: checks on a copy of a kept value. */
    private java.util.BitSet forced = new java.util.BitSet();

    /**
     * Walks {@code path} (latest first; its first step is the rejected instruction); the jumps at
     * {@code checks} are kept and their operands followed as if one of them was demanded.
     */
    List<Hit> run(List<FailingPath.Step> path, String rejectedRole, java.util.BitSet checks) {
        this.forced = checks;
        if (!path.isEmpty()) {
            hits.add(new Hit(0, path.get(0).idx(), Kind.REJECTED, -1, -1, rejectedRole));
        }
        for (int p = 1; p < path.size(); p++) {
            if (frame < 0 || frame >= MAX_FRAMES || nothingDemanded()) {
                return hits;
            }
            step(p, path.get(p), path.get(p - 1).idx());
        }
        reachedPathStart = true;
        return hits;
    }

    private boolean nothingDemanded() {
        for (int i = 0; i < MAX_FRAMES; i++) {
            if (regs[i] != 0 || stack[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean reg(int r) {
        return r >= 0 && r < 10 && (regs[frame] & 1 << r) != 0;
    }

    private void set(int r) {
        if (r >= 0 && r < 10) {
            regs[frame] |= 1 << r;
        }
    }

    private void clear(int r) {
        regs[frame] &= ~(1 << r);
    }

    private void hit(int p, int idx, Kind kind, int reg, int src, String role) {
        hits.add(new Hit(p, idx, kind, reg, src, role));
    }

    private boolean isCallish(int i) {
        Slot s = prog.insns[i].slot();
        return s.code() == Opcodes.CODE_CALL || s.code() == Opcodes.CODE_CALLX;
    }

    private void step(int p, FailingPath.Step st, int later) {
        int i = st.idx();
        if (prog.isSecondHalf(i)) {
            return;
        }
        Slot s = prog.insns[i].slot();
        int cls = s.instructionClass();
        int op = s.code() & Opcodes.OP_MASK;
        int mode = s.code() & Opcodes.MODE_MASK;
        boolean x = (s.code() & Opcodes.SOURCE_MASK) == Opcodes.X;
        int d = s.dst();
        int src = s.src();
        VState.Hist h = st.hist();
        boolean histStack = h != null && (h.flags() & VState.STACK_ACCESS) != 0;
        int hspi = h == null ? 0 : h.flags() >> 3 & 63;
        int hfr = h == null ? 0 : h.flags() & 7;
        if (cls == Opcodes.ALU || cls == Opcodes.ALU64) {
            if (!reg(d) || op == Opcodes.END || op == Opcodes.NEG) {
                return;
            }
            if (op == Opcodes.MOV) {
                clear(d);
                if (x && src != 10) {
                    set(src);
                }
                hit(p, i, Kind.SET, d, x ? src : -1, "sets R" + d + (x ? " from R" + src : ""));
            } else if (x && src != 10) {
                set(src);
                hit(p, i, op == Opcodes.ADD ? Kind.ADD_REG : Kind.SET, d, src,
                        (op == Opcodes.ADD ? "adds R" + src + " to R" : "changes R") + d);
            } else {
                hit(p, i, Kind.SET, d, -1, "changes R" + d);
            }
        } else if (cls == Opcodes.LDX) {
            if (!reg(d)) {
                return;
            }
            clear(d);
            if (histStack) {
                stack[hfr] |= 1L << hspi;
                hit(p, i, Kind.LOAD, d, src, "loads R" + d + " from fp" + (-(hspi + 1) * 8) + (hfr != frame ? " of frame " + hfr : ""));
            } else if (src == 10) {
                demandStack(frame, s.off(), size(s));
                hit(p, i, Kind.LOAD, d, src, "loads R" + d + " from fp" + s.off());
            } else {
                // the loaded value is what matters; where the pointer came from is shown by the insn itself
                hit(p, i, Kind.LOAD, d, src, "loads R" + d + " through R" + src);
            }
        } else if (cls == Opcodes.STX || cls == Opcodes.ST) {
            int fr;
            int spi;
            if (histStack) {
                fr = hfr;
                spi = hspi;
            } else if (d == 10 && s.off() < 0) {
                fr = frame;
                spi = (-s.off() - 1) / 8;
            } else {
                return;
            }
            if (spi >= 64 || fr >= MAX_FRAMES || (stack[fr] & 1L << spi) == 0) {
                return;
            }
            boolean atomic = cls == Opcodes.STX && mode == Opcodes.ATOMIC;
            if (size(s) == 8 && !atomic) {
                stack[fr] &= ~(1L << spi);
            }
            String slot = "fp" + (-(spi + 1) * 8) + (fr != frame ? " of frame " + fr : "");
            if (cls == Opcodes.STX) {
                if (src != 10) {
                    set(src);
                }
                hit(p, i, Kind.STORE, -1, src, (atomic ? "updates " : "stores R" + src + " to ") + slot);
            } else {
                hit(p, i, Kind.STORE, -1, -1, "stores " + s.imm() + " to " + slot);
            }
        } else if (cls == Opcodes.JMP || cls == Opcodes.JMP32) {
            jump(p, i, s, later, op, x, d, src, h);
        } else if (cls == Opcodes.LD) {
            if (mode == Opcodes.IMM) {
                if (!reg(d)) {
                    return;
                }
                clear(d);
                MapRef m = prog.ldMap[i];
                String what = m == null ? "" : (s.src() == Opcodes.PSEUDO_MAP_VALUE || s.src() == Opcodes.PSEUDO_MAP_IDX_VALUE
                        ? " to a value of map '" : " to map '") + m.name() + "'";
                if (s.src() == Opcodes.PSEUDO_FUNC && funcNames != null) {
                    what = " to &" + funcNames.apply(i + s.imm() + 1);
                }
                hit(p, i, Kind.LD_IMM64, d, -1, "sets R" + d + what);
            } else {
                // LD_ABS/IND: R0 is the loaded value, R1-R5 are scratched
                if (reg(0)) {
                    clear(0);
                    hit(p, i, Kind.CALL_RESULT, 0, -1, "sets R0 (packet load)");
                }
                clobber(p, i);
            }
        }
    }

    private void jump(int p, int i, Slot s, int later, int op, boolean x, int d, int src, VState.Hist h) {
        if (op == Opcodes.EXIT) {
            // a return to the caller: walk back into the callee
            if (frame + 1 >= MAX_FRAMES) {
                frame = MAX_FRAMES;
                return;
            }
            boolean callback = prog.callsCallback[later];
            int callInsn = callback ? later : later - 1;
            boolean r0 = !callback && reg(0);
            if (r0) {
                clear(0);
            }
            if (callInsn >= 0) {
                clobberArgs(p, callInsn);
            }
            frame++;
            regs[frame] = 0;
            stack[frame] = 0;
            if (r0) {
                set(0);
                hit(p, i, Kind.RETURN, 0, -1, "returns R0 to the caller");
            }
            return;
        }
        if (op == Opcodes.CALL) {
            int size = 1;
            boolean entered = later != i + size && (s.src() == Opcodes.PSEUDO_CALL || s.code() == Opcodes.CODE_CALLX
                    || prog.callsCallback[i]);
            if (entered) {
                // back from the callee's first insn to its call: arguments become the caller's registers
                int args = regs[frame] & ARGS_MASK;
                boolean callback = prog.callsCallback[i] && s.src() != Opcodes.PSEUDO_CALL;
                regs[frame] = 0;
                stack[frame] = 0;
                if (frame == startFrame) {
                    reachedFrameEntry = true;
                }
                frame--;
                if (frame < 0) {
                    return;
                }
                if (!callback && args != 0) {
                    regs[frame] |= args;
                    hit(p, i, Kind.ARGS, -1, -1, "passes " + Precision.regMask(args).toUpperCase() + " to the callee");
                }
                return;
            }
            if (reg(0)) {
                clear(0);
                hit(p, i, Kind.CALL_RESULT, 0, -1, "sets R0 to what the call returns");
            }
            clobber(p, i);
            return;
        }
        if (op == Opcodes.JA || s.code() == Opcodes.CODE_GOTOX || s.code() == Opcodes.CODE_MAY_GOTO) {
            return;
        }
        boolean check = forced.get(p);
        if (x) {
            if (check || reg(d) || reg(src)) {
                hit(p, i, Kind.CHECK, d, src, "compares R" + d + " with R" + src);
                if (d != 10 && (h == null || (h.flags() & VState.DST_REG_STACK) == 0)) {
                    set(d);
                }
                if (src != 10 && (h == null || (h.flags() & VState.SRC_REG_STACK) == 0)) {
                    set(src);
                }
            }
        } else if (check || reg(d)) {
            set(d);
            hit(p, i, Kind.CHECK, d, -1, "compares R" + d + " with " + s.imm());
        }
    }

    /** A call on the path scratches R1-R5 of the current frame. */
    private void clobber(int p, int callInsn) {
        int lost = regs[frame] & ARGS_MASK;
        if (lost == 0) {
            return;
        }
        regs[frame] &= ~ARGS_MASK;
        if (frame == startFrame) {
            for (int r = 1; r <= 5; r++) {
                if ((lost & 1 << r) != 0) {
                    clobberedBy.putIfAbsent(r, callInsn);
                }
            }
        }
        hit(p, callInsn, Kind.CLOBBER, -1, -1, "scratches " + Precision.regMask(lost).toUpperCase() + " (a call keeps only R6-R9)");
    }

    /** At a return: the caller's R1-R5 were scratched by the call. */
    private void clobberArgs(int p, int callInsn) {
        if (isCallish(callInsn)) {
            clobber(p, callInsn);
        }
    }

    private static int size(Slot s) {
        return switch (s.code() & Opcodes.SIZE_MASK) {
            case Opcodes.B -> 1;
            case Opcodes.H -> 2;
            case Opcodes.W -> 4;
            default -> 8;
        };
    }
}
