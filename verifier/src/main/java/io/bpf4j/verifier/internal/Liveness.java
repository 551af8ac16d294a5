package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.abi.ArgKind;
import io.bpf4j.isa.abi.HelperProto;
import io.bpf4j.isa.abi.KernelProfile;
import java.util.Optional;

/**
 * The static passes 6.18 runs before simulation: {@code compute_scc} (which instructions sit on
 * a cycle) and {@code compute_live_registers} (R0-R9 live before each instruction, a backward
 * dataflow). Pruning compares only live registers, and level 2 prints the table.
 */
final class Liveness {
    private Liveness() {}

    /** Successors as insn_successors gives them: fall-through first, then the jump target. */
    static int[] successors(Program prog, int i) {
        Slot s = prog.insns[i].slot();
        int cls = s.instructionClass();
        int size = prog.isLdImm64(i) ? 2 : 1;
        if (cls != Opcodes.JMP && cls != Opcodes.JMP32) {
            return i + size < prog.len ? new int[] {i + size} : new int[0];
        }
        int op = s.code() & Opcodes.OP_MASK;
        if (op == Opcodes.EXIT) {
            return new int[0];
        }
        if (op == Opcodes.CALL) {
            return i + 1 < prog.len ? new int[] {i + 1} : new int[0];
        }
        if (s.code() == Opcodes.CODE_GOTOX) {
            int[] jt = prog.gotoxTargets[i];
            return jt == null ? new int[0] : jt.clone();
        }
        if (op == Opcodes.JA) {
            return new int[] {i + (cls == Opcodes.JMP ? s.off() : s.imm()) + 1};
        }
        return new int[] {i + 1, i + s.off() + 1};
    }

    private static int bit(int r) {
        return r < 16 ? 1 << r : 0;
    }

    /** compute_insn_live_regs: {use, def} masks of one instruction. */
    static int[] useDef(Program prog, int i, KernelProfile profile, io.bpf4j.isa.abi.ProgramType type,
                        io.bpf4j.isa.abi.AttachType attach) {
        Slot s = prog.insns[i].slot();
        int cls = s.instructionClass();
        int op = s.code() & Opcodes.OP_MASK;
        int mode = s.code() & Opcodes.MODE_MASK;
        int src = bit(s.src());
        int dst = bit(s.dst());
        int def = 0;
        int use = 0xffff;
        boolean x = (s.code() & Opcodes.SOURCE_MASK) == Opcodes.X;
        switch (cls) {
            case Opcodes.LD -> {
                if (mode == Opcodes.IMM && (s.code() & Opcodes.SIZE_MASK) == Opcodes.DW) {
                    def = dst;
                    use = 0;
                }
            }
            case Opcodes.LDX -> {
                if (mode == Opcodes.MEM || mode == Opcodes.MEMSX) {
                    def = dst;
                    use = src;
                }
            }
            case Opcodes.ST -> {
                if (mode == Opcodes.MEM) {
                    use = dst;
                }
            }
            case Opcodes.STX -> {
                if (mode == Opcodes.MEM) {
                    use = dst | src;
                } else if (mode == Opcodes.ATOMIC) {
                    int imm = s.imm();
                    if (imm == Opcodes.ATOMIC_CMPXCHG) {
                        use = 1 | dst | src;
                        def = 1;
                    } else if (imm == Opcodes.ATOMIC_LOAD_ACQ) {
                        def = dst;
                        use = src;
                    } else if (imm == Opcodes.ATOMIC_STORE_REL) {
                        use = dst | src;
                    } else {
                        use = dst | src;
                        def = (imm & Opcodes.ATOMIC_FETCH) != 0 ? src : 0;
                    }
                }
            }
            case Opcodes.ALU, Opcodes.ALU64 -> {
                if (op == Opcodes.END) {
                    use = dst;
                    def = dst;
                } else if (op == Opcodes.MOV) {
                    def = dst;
                    use = x ? src : 0;
                } else {
                    def = dst;
                    use = x ? dst | src : dst;
                }
            }
            default -> { // JMP, JMP32
                if (op == Opcodes.JA) {
                    use = x ? dst : 0;
                } else if (op == Opcodes.JCOND) {
                    use = 0;
                } else if (op == Opcodes.EXIT) {
                    use = 1;
                } else if (op == Opcodes.CALL) {
                    def = 0x3f;
                    use = def & ~1;
                    if (x) {
                        // callx also reads the register that holds the callee
                        use |= dst;
                    }
                    if (s.src() == Opcodes.PSEUDO_KFUNC_CALL && prog.kfuncs.containsKey(s.imm())) {
                        int n = Math.min(5, prog.kfuncs.get(s.imm()).params().size());
                        use = n == 0 ? 0 : ((1 << (n + 1)) - 1) & ~1;
                    } else if (s.src() == 0) {
                        Optional<HelperProto> p = profile.helper(type, attach, s.imm());
                        if (p.isEmpty()) {
                            p = profile.helper(s.imm());
                        }
                        if (p.isPresent()) {
                            int n = 0;
                            for (int a = 0; a < 5 && p.get().arg(a).kind() != ArgKind.DONTCARE; a++) {
                                n++;
                            }
                            use = n == 0 ? 0 : ((1 << (n + 1)) - 1) & ~1;
                        }
                    }
                } else {
                    use = x ? dst | src : dst;
                }
            }
        }
        return new int[] {use, def};
    }

    /** live_regs_before per insn (R0-R9 bits). */
    static int[] liveRegs(Program prog, KernelProfile profile, io.bpf4j.isa.abi.ProgramType type,
                          io.bpf4j.isa.abi.AttachType attach) {
        int n = prog.len;
        int[] use = new int[n];
        int[] def = new int[n];
        int[][] succ = new int[n][];
        for (int i = 0; i < n; i++) {
            int[] ud = useDef(prog, i, profile, type, attach);
            use[i] = ud[0];
            def[i] = ud[1];
            succ[i] = successors(prog, i);
        }
        int[] in = new int[n];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                int out = 0;
                for (int t : succ[i]) {
                    if (t >= 0 && t < n) {
                        out |= in[t];
                    }
                }
                int v = (use[i] | out & ~def[i]) & 0x3ff;
                if (v != in[i]) {
                    in[i] = v;
                    changed = true;
                }
            }
        }
        return in;
    }

    /** compute_scc: ids (from 1) of instructions on a cycle, 0 for the rest; Tarjan, roots in index order. */
    static int[] scc(Program prog) {
        int n = prog.len;
        int[] index = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        int[] stack = new int[n];
        int sp = 0;
        int[] scc = new int[n];
        java.util.Arrays.fill(index, -1);
        int counter = 0;
        int nextId = 1;
        int[][] succ = new int[n][];
        for (int i = 0; i < n; i++) {
            succ[i] = successors(prog, i);
            if (prog.callsCallback[i]) {
                // a callback returns to its calling insn, which runs again: a loop of its own
                succ[i] = java.util.Arrays.copyOf(succ[i], succ[i].length + 1);
                succ[i][succ[i].length - 1] = i;
            }
        }
        int[] callStack = new int[n];
        int[] childPos = new int[n];
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0 || prog.isSecondHalf(root)) {
                continue;
            }
            int csp = 0;
            callStack[csp++] = root;
            index[root] = low[root] = counter++;
            stack[sp++] = root;
            onStack[root] = true;
            childPos[root] = 0;
            while (csp > 0) {
                int v = callStack[csp - 1];
                if (childPos[v] < succ[v].length) {
                    int w = succ[v][childPos[v]++];
                    if (w < 0 || w >= n) {
                        continue;
                    }
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack[sp++] = w;
                        onStack[w] = true;
                        childPos[w] = 0;
                        callStack[csp++] = w;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                csp--;
                if (csp > 0) {
                    int parent = callStack[csp - 1];
                    low[parent] = Math.min(low[parent], low[v]);
                }
                if (low[v] == index[v]) {
                    int top = sp;
                    int size = 0;
                    do {
                        size++;
                        top--;
                    } while (stack[top] != v);
                    boolean selfLoop = false;
                    for (int t : succ[v]) {
                        selfLoop |= t == v;
                    }
                    int id = size > 1 || selfLoop ? nextId++ : 0;
                    while (sp > top) {
                        int w = stack[--sp];
                        onStack[w] = false;
                        scc[w] = id;
                    }
                }
            }
        }
        return scc;
    }
}
