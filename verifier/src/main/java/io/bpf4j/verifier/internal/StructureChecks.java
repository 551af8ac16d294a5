package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.verifier.FuncInfo;
import io.bpf4j.verifier.LineInfo;
import io.bpf4j.verifier.Privileges;
import java.util.Arrays;
import java.util.List;

/**
 * The passes before simulation, in the kernel's order: subprogram discovery, jump ranges,
 * func/line info, opcode and {@code ld_imm64} checks, and the CFG walk that also marks the prune
 * and jump points the explorer relies on. They work on raw slots, as the kernel does, so odd
 * encodings fail with the same message.
 */
final class StructureChecks {
    static final int MAX_SUBPROGS = 256;
    static final int MAX_VAR_OFF = 1 << 29;

    private static final boolean[] VALID_OPCODE = new boolean[256];

    static {
        int[] aluOps = {Opcodes.ADD, Opcodes.SUB, Opcodes.AND, Opcodes.OR, Opcodes.LSH, Opcodes.RSH, Opcodes.XOR,
                Opcodes.MUL, Opcodes.MOV, Opcodes.ARSH, Opcodes.DIV, Opcodes.MOD};
        for (int cls : new int[] {Opcodes.ALU, Opcodes.ALU64}) {
            for (int op : aluOps) {
                VALID_OPCODE[cls | op | Opcodes.K] = true;
                VALID_OPCODE[cls | op | Opcodes.X] = true;
            }
            VALID_OPCODE[cls | Opcodes.NEG] = true;
            VALID_OPCODE[cls | Opcodes.END] = true; // TO_LE, and bswap for ALU64
        }
        VALID_OPCODE[Opcodes.ALU | Opcodes.END | Opcodes.X] = true; // TO_BE
        int[] jmpOps = {Opcodes.JEQ, Opcodes.JNE, Opcodes.JGT, Opcodes.JLT, Opcodes.JGE, Opcodes.JLE, Opcodes.JSGT,
                Opcodes.JSLT, Opcodes.JSGE, Opcodes.JSLE, Opcodes.JSET};
        for (int cls : new int[] {Opcodes.JMP, Opcodes.JMP32}) {
            for (int op : jmpOps) {
                VALID_OPCODE[cls | op | Opcodes.K] = true;
                VALID_OPCODE[cls | op | Opcodes.X] = true;
            }
            VALID_OPCODE[cls | Opcodes.JA] = true;
        }
        VALID_OPCODE[Opcodes.CODE_CALL] = true;
        VALID_OPCODE[Opcodes.CODE_EXIT] = true;
        VALID_OPCODE[Opcodes.CODE_MAY_GOTO] = true;
        // beyond 6.18: gotox (Linux 6.19) and callx (pending upstream; bpf4j verifies it)
        VALID_OPCODE[Opcodes.CODE_GOTOX] = true;
        VALID_OPCODE[Opcodes.CODE_CALLX] = true;
        for (int size : new int[] {Opcodes.B, Opcodes.H, Opcodes.W, Opcodes.DW}) {
            VALID_OPCODE[Opcodes.STX | Opcodes.MEM | size] = true;
            VALID_OPCODE[Opcodes.ST | Opcodes.MEM | size] = true;
            VALID_OPCODE[Opcodes.LDX | Opcodes.MEM | size] = true;
            // 6.15 added B and H atomics for load-acquire/store-release
            VALID_OPCODE[Opcodes.STX | Opcodes.ATOMIC | size] = true;
            if (size != Opcodes.DW) {
                VALID_OPCODE[Opcodes.LDX | Opcodes.MEMSX | size] = true;
                VALID_OPCODE[Opcodes.LD | Opcodes.ABS | size] = true;
                VALID_OPCODE[Opcodes.LD | Opcodes.IND | size] = true;
            }
        }
        VALID_OPCODE[Opcodes.CODE_LD_IMM64] = true;
    }

    private final Program prog;
    private final VLog log;
    private final Privileges priv;
    private final List<MapRef> maps;
    private final io.bpf4j.isa.abi.ProgramType programType;
    private final java.util.Set<Integer> unboundFdSlots;

    StructureChecks(Program prog, VLog log, Privileges priv, List<MapRef> maps, io.bpf4j.isa.abi.ProgramType programType,
                    java.util.Set<Integer> unboundFdSlots) {
        this.unboundFdSlots = unboundFdSlots;
        this.prog = prog;
        this.log = log;
        this.priv = priv;
        this.maps = maps;
        this.programType = programType;
    }

    static boolean validOpcode(int code) {
        return VALID_OPCODE[code];
    }

    void run(List<FuncInfo> funcInfo, List<LineInfo> lineInfo) {
        addSubprogs();
        checkSubprogs();
        checkBtfInfo(funcInfo, lineInfo);
        resolvePseudoLdImm64();
        checkCfg();
    }

    private static boolean isPseudoFunc(Slot s) {
        return s.code() == Opcodes.CODE_LD_IMM64 && s.src() == Opcodes.PSEUDO_FUNC;
    }

    private static boolean isPseudoCall(Slot s) {
        return s.code() == Opcodes.CODE_CALL && s.src() == Opcodes.PSEUDO_CALL;
    }

    private static boolean isKfuncCall(Slot s) {
        return s.code() == Opcodes.CODE_CALL && s.src() == Opcodes.PSEUDO_KFUNC_CALL;
    }

    private void addSubprogs() {
        int[] starts = new int[MAX_SUBPROGS + 1];
        int count = 1;
        starts[0] = 0;
        for (int i = 0; i < prog.len; i++) {
            Slot s = prog.insns[i].slot();
            if (!isPseudoFunc(s) && !isPseudoCall(s) && !isKfuncCall(s)) {
                continue;
            }
            if (!priv.bpfCapable()) {
                throw log.reject("loading/calling other bpf or kernel functions are allowed for CAP_BPF and CAP_SYS_ADMIN");
            }
            if (isKfuncCall(s)) {
                KfuncChecks.declare(prog, log, i, s);
                continue;
            }
            long target = (long) i + s.imm() + 1;
            if (target >= prog.len || target < 0) {
                throw log.reject("call to invalid destination");
            }
            count = addStart(starts, count, (int) target);
        }
        // bpf4j: every entry of a call table the program loads starts a subprogram, as a PSEUDO_FUNC target does
        for (int t : IndirectChecks.callTableEntries(prog, maps, log, priv)) {
            count = addStart(starts, count, t);
        }
        prog.subprogCount = count;
        prog.subprogStart = Arrays.copyOf(starts, count + 1);
        prog.subprogStart[count] = prog.len;
        prog.hasTailCall = new boolean[count];
        prog.hasLdAbs = new boolean[count];
        if (log.level2()) {
            for (int s = 0; s < count; s++) {
                log.verbose("func#" + s + " @" + prog.subprogStart[s] + "\n");
            }
        }
    }

    private int addStart(int[] starts, int count, int t) {
        if (Arrays.binarySearch(starts, 0, count, t) >= 0) {
            return count;
        }
        if (count >= MAX_SUBPROGS) {
            throw log.reject("too many subprograms");
        }
        starts[count++] = t;
        Arrays.sort(starts, 0, count);
        return count;
    }

    private void checkSubprogs() {
        int cur = 0;
        int start = prog.subprogStart[0];
        int end = prog.subprogStart[1];
        for (int i = 0; i < prog.len; i++) {
            Slot s = prog.insns[i].slot();
            int code = s.code();
            int cls = code & Opcodes.CLASS_MASK;
            if (code == Opcodes.CODE_CALL && s.src() == 0 && s.imm() == 12 /* bpf_tail_call */) {
                prog.hasTailCall[cur] = true;
            }
            int mode = code & Opcodes.MODE_MASK;
            if (cls == Opcodes.LD && (mode == Opcodes.ABS || mode == Opcodes.IND)) {
                prog.hasLdAbs[cur] = true;
            }
            if (cls == Opcodes.JMP || cls == Opcodes.JMP32) {
                int op = code & Opcodes.OP_MASK;
                if (op != Opcodes.EXIT && op != Opcodes.CALL && code != Opcodes.CODE_GOTOX) {
                    long off = (long) i + (code == Opcodes.CODE_GOTOL ? s.imm() : s.off()) + 1;
                    if (off < start || off >= end) {
                        throw log.reject("jump out of range from insn " + i + " to " + off);
                    }
                }
            }
            if (i == end - 1) {
                // a subprogram may not fall through into the next one
                if (code != Opcodes.CODE_EXIT && code != Opcodes.CODE_GOTOL && code != Opcodes.CODE_JA
                        && code != Opcodes.CODE_GOTOX) {
                    throw log.reject("last insn is not an exit or jmp");
                }
                start = end;
                cur++;
                if (cur < prog.subprogCount) {
                    end = prog.subprogStart[cur + 1];
                }
            }
        }
    }

    private void checkBtfInfo(List<FuncInfo> funcInfo, List<LineInfo> lineInfo) {
        if (funcInfo.isEmpty()) {
            // without BTF, LD_ABS and tail calls may only appear in the main program
            for (int s = 1; s < prog.subprogCount; s++) {
                if (prog.hasLdAbs[s]) {
                    throw log.reject("LD_ABS is not allowed in subprogs without BTF");
                }
                if (prog.hasTailCall[s]) {
                    throw log.reject("tail_call is not allowed in subprogs without BTF");
                }
            }
            if (lineInfo.isEmpty()) {
                return;
            }
        } else {
            if (funcInfo.get(0).insnOffset() != 0) {
                log.errorNoNewline("nonzero insn_off " + funcInfo.get(0).insnOffset() + " for the first func info record");
                throw new Reject();
            }
            for (int i = 1; i < funcInfo.size(); i++) {
                if (funcInfo.get(i).insnOffset() <= funcInfo.get(i - 1).insnOffset()) {
                    log.errorNoNewline("same or smaller insn offset (" + funcInfo.get(i).insnOffset()
                            + ") than previous func info record (" + funcInfo.get(i - 1).insnOffset() + ")");
                    throw new Reject();
                }
            }
            if (funcInfo.size() != prog.subprogCount) {
                throw log.reject("number of funcs in func_info doesn't match number of subprogs");
            }
            for (int s = 0; s < prog.subprogCount; s++) {
                if (funcInfo.get(s).insnOffset() != prog.subprogStart[s]) {
                    throw log.reject("func_info BTF section doesn't match subprog layout in BPF program");
                }
                // a subprogram's LD_ABS or tail call may end it early, returning 0 to its caller:
                // only a function returning a scalar can do that (unknown prototypes are let through)
                io.bpf4j.verifier.FuncSignature sig = funcInfo.get(s).signature();
                boolean scalarReturn = sig == null || sig.returnsScalar();
                if (s > 0 && !scalarReturn && prog.hasLdAbs[s]) {
                    throw log.reject("LD_ABS is only allowed in functions that return 'int'.");
                }
                if (s > 0 && !scalarReturn && prog.hasTailCall[s]) {
                    throw log.reject("tail_call is only allowed in functions that return 'int'.");
                }
            }
        }
        if (lineInfo.isEmpty()) {
            return;
        }
        int s = 0;
        int prev = 0;
        for (int i = 0; i < lineInfo.size(); i++) {
            int off = lineInfo.get(i).insnOffset();
            if (i > 0 && off <= prev || off >= prog.len || off < 0) {
                throw log.reject("Invalid line_info[" + i + "].insn_off:" + Integer.toUnsignedString(off)
                        + " (prev_offset:" + prev + " prog->len:" + prog.len + ")");
            }
            if (prog.insns[off].code() == 0) {
                throw log.reject("Invalid insn code at line_info[" + i + "].insn_off");
            }
            if (s != prog.subprogCount) {
                if (off == prog.subprogStart[s]) {
                    s++;
                } else if (prog.subprogStart[s] < off) {
                    throw log.reject("missing bpf_line_info for func#" + s);
                }
            }
            prev = off;
        }
        if (s != prog.subprogCount) {
            throw log.reject("missing bpf_line_info for " + (prog.subprogCount - s) + " funcs starting from func#" + s);
        }
    }

    private void resolvePseudoLdImm64() {
        for (int i = 0; i < prog.len; i++) {
            Slot s = prog.insns[i].slot();
            int cls = s.instructionClass();
            int mode = s.code() & Opcodes.MODE_MASK;
            if (cls == Opcodes.LDX && (mode != Opcodes.MEM && mode != Opcodes.MEMSX || s.imm() != 0)) {
                throw log.reject("BPF_LDX uses reserved fields");
            }
            if (s.code() == Opcodes.CODE_LD_IMM64) {
                Slot next = i + 1 < prog.len ? prog.insns[i + 1].slot() : null;
                if (next == null || next.code() != 0 || next.dst() != 0 || next.src() != 0 || next.off() != 0) {
                    throw log.reject("invalid bpf_ld_imm64 insn");
                }
                resolveLdImm64(i, s, next);
                i++;
                continue;
            }
            if (!VALID_OPCODE[s.code()]) {
                throw log.reject(String.format("unknown opcode %02x", s.code()));
            }
        }
    }

    private void resolveLdImm64(int i, Slot s, Slot next) {
        switch (s.src()) {
            case 0, Opcodes.PSEUDO_FUNC -> {
                return;
            }
            case Opcodes.PSEUDO_BTF_ID -> throw log.reject("bpf4j: not supported yet: ld_imm64 of a BTF id (ksym)");
            case Opcodes.PSEUDO_MAP_VALUE, Opcodes.PSEUDO_MAP_IDX_VALUE -> {
            }
            case Opcodes.PSEUDO_MAP_FD, Opcodes.PSEUDO_MAP_IDX -> {
                if (next.imm() != 0) {
                    throw log.reject("unrecognized bpf_ld_imm64 insn");
                }
            }
            default -> throw log.reject("unrecognized bpf_ld_imm64 insn");
        }
        int idx = s.imm();
        boolean byIndex = s.src() == Opcodes.PSEUDO_MAP_IDX || s.src() == Opcodes.PSEUDO_MAP_IDX_VALUE;
        if (byIndex && maps.isEmpty()) {
            // the loader passes an fd_array only when the program has maps
            throw log.reject("fd_idx without fd_array is invalid");
        }
        if (idx < 0 || idx >= maps.size() || !byIndex && unboundFdSlots.contains(i)) {
            throw log.reject("fd " + idx + " is not pointing to valid bpf_map");
        }
        MapRef map = maps.get(idx);
        prog.ldMap[i] = map;
        MapFuncCompat.checkMapProgCompatibility(map, programType, log);
        if (s.src() == Opcodes.PSEUDO_MAP_VALUE || s.src() == Opcodes.PSEUDO_MAP_IDX_VALUE) {
            long off = next.imm() & 0xffffffffL;
            if (off >= MAX_VAR_OFF) {
                throw log.reject("direct value offset of " + off + " is not allowed");
            }
            if (!MapKinds.hasDirectValueAccess(map.type())) {
                throw log.reject("no direct value access support for this map type");
            }
            if (!MapKinds.directValueOffsetOk(map, off)) {
                throw log.reject("invalid access to map value pointer, value_size=" + map.valueSize() + " off=" + off);
            }
            prog.ldMapOff[i] = (int) off;
        }
        if (map.type() == io.bpf4j.isa.abi.MapType.INSN_ARRAY) {
            IndirectChecks.checkInsnArray(prog, map, log);
        }
    }

    // ---- check_cfg: iterative DFS over the instruction graph ----

    private static final int DISCOVERED = 0x10;
    private static final int EXPLORED = 0x20;
    private static final int FALLTHROUGH = 1;
    private static final int BRANCH = 2;
    private static final int DONE = 0;
    private static final int KEEP = 1;

    private int[] state;
    private int[] stack;
    private int sp;

    private void checkCfg() {
        state = new int[prog.len];
        stack = new int[prog.len];
        // bpf4j: the functions of the call tables the program loads are reached as a PSEUDO_FUNC target is
        int[] roots = IndirectChecks.cfgRoots(prog);
        for (int root : roots) {
            if (root != 0) {
                prog.prunePoint[root] = true;
                prog.jmpPoint[root] = true;
            }
        }
        for (int root : roots) {
            if (state[root] != 0) {
                continue;
            }
            state[root] = DISCOVERED;
            stack[0] = root;
            sp = 1;
            while (sp > 0) {
                int t = stack[sp - 1];
                int r = visit(t);
                if (r == DONE) {
                    state[t] = EXPLORED;
                    sp--;
                }
            }
        }
        for (int i = 0; i < prog.len; i++) {
            if (state[i] != EXPLORED) {
                throw log.reject("unreachable insn " + i);
            }
            if (prog.isLdImm64(i)) {
                if (i + 1 < prog.len && state[i + 1] != 0) {
                    throw log.reject("jump into the middle of ldimm64 insn " + i);
                }
                i++;
            }
        }
    }

    private int push(int t, long w, int e) {
        if (e == FALLTHROUGH && state[t] >= (DISCOVERED | FALLTHROUGH)) {
            return DONE;
        }
        if (e == BRANCH && state[t] >= (DISCOVERED | BRANCH)) {
            return DONE;
        }
        if (w < 0 || w >= prog.len) {
            Linfo.print(log, prog, t, t + ": ");
            throw log.reject("jump out of range from insn " + t + " to " + w);
        }
        int wi = (int) w;
        if (e == BRANCH) {
            prog.prunePoint[wi] = true;
            prog.jmpPoint[wi] = true;
        }
        if (state[wi] == 0) {
            state[t] = DISCOVERED | e;
            state[wi] = DISCOVERED;
            stack[sp++] = wi;
            return KEEP;
        } else if ((state[wi] & 0xf0) == DISCOVERED) {
            if (priv.bpfCapable()) {
                return DONE;
            }
            Linfo.print(log, prog, t, t + ": ");
            Linfo.print(log, prog, wi, wi + ": ");
            throw log.reject("back-edge from insn " + t + " to " + wi);
        } else {
            state[t] = DISCOVERED | e;
        }
        return DONE;
    }

    private int visitCall(int t, boolean visitCallee) {
        int size = prog.isLdImm64(t) ? 2 : 1;
        int r = push(t, t + size, FALLTHROUGH);
        if (r != DONE) {
            return r;
        }
        if (t + size < prog.len) {
            prog.prunePoint[t + size] = true;
            prog.jmpPoint[t + size] = true;
        }
        if (visitCallee) {
            prog.prunePoint[t] = true;
            r = push(t, (long) t + prog.insns[t].imm() + 1, BRANCH);
        }
        return r;
    }

    /** visit_gotox_insn (6.19): a jump with one edge per jump-table target of its subprogram. */
    private int visitGotox(int t) {
        int[] jt = prog.gotoxTargets[t];
        if (jt == null) {
            jt = IndirectChecks.createJumpTable(prog, t, log);
            prog.gotoxTargets[t] = jt;
        }
        prog.prunePoint[t] = true;
        for (int w : jt) {
            if (w < 0 || w >= prog.len) {
                throw log.reject("indirect jump out of range from insn " + t + " to " + w);
            }
            prog.jmpPoint[w] = true;
            if (state[w] != 0) {
                continue;
            }
            state[w] = DISCOVERED;
            stack[sp++] = w;
            return KEEP;
        }
        return DONE;
    }

    private int visit(int t) {
        Slot s = prog.insns[t].slot();
        if (isPseudoFunc(s)) {
            return visitCall(t, true);
        }
        int cls = s.instructionClass();
        if (cls != Opcodes.JMP && cls != Opcodes.JMP32) {
            return push(t, t + (prog.isLdImm64(t) ? 2 : 1), FALLTHROUGH);
        }
        int op = s.code() & Opcodes.OP_MASK;
        switch (op) {
            case Opcodes.EXIT:
                return DONE;
            case Opcodes.CALL:
                if (s.src() == 0 && HelperTraits.callsSyncCallback(s.imm())) {
                    prog.callsCallback[t] = true;
                    prog.forceCheckpoint[t] = true;
                    prog.prunePoint[t] = true;
                    prog.jmpPoint[t] = true;
                } else if (s.src() == 0 && HelperTraits.callsAsyncCallback(s.imm())) {
                    prog.prunePoint[t] = true;
                } else if (s.src() == Opcodes.PSEUDO_KFUNC_CALL && KfuncChecks.isIterNext(prog, s.imm())) {
                    prog.iterNext[t] = true;
                    prog.prunePoint[t] = true;
                    prog.forceCheckpoint[t] = true;
                }
                return visitCall(t, s.src() == Opcodes.PSEUDO_CALL);
            case Opcodes.JA: {
                if (s.code() == Opcodes.CODE_GOTOX) {
                    return visitGotox(t);
                }
                long off = cls == Opcodes.JMP ? s.off() : s.imm();
                long w = t + off + 1;
                int r = push(t, w, FALLTHROUGH);
                if (r != DONE) {
                    return r;
                }
                prog.prunePoint[(int) w] = true;
                prog.jmpPoint[(int) w] = true;
                return r;
            }
            default: {
                prog.prunePoint[t] = true;
                if (s.code() == Opcodes.CODE_MAY_GOTO) {
                    prog.forceCheckpoint[t] = true;
                }
                int r = push(t, t + 1, FALLTHROUGH);
                if (r != DONE) {
                    return r;
                }
                return push(t, (long) t + s.off() + 1, BRANCH);
            }
        }
    }
}
