package io.bpf4j.verifier.internal;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.facts.Facts;
import io.bpf4j.isa.facts.ProgramFacts;
import io.bpf4j.verifier.Privileges;
import io.bpf4j.verifier.internal.scalar.Scalar;
import io.bpf4j.verifier.internal.scalar.Tnum;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Indirect control flow, beyond what 6.18 accepts: {@code gotox} through jump tables with Linux
 * 6.19's rules and messages ({@code visit_gotox_insn}, {@code check_indirect_jump}, the
 * INSN_ARRAY map-value rules), {@code callx} through a function pointer as the pending upstream
 * series describes it, and bpf4j's call tables (call-tables-design.md): an INSN_ARRAY marked
 * {@code BPF_F_CALL_TABLE} whose entries are functions.
 *
 * <p>A function pointer is a {@code func} {@link Reg.Ptr}: from {@code ld_imm64 PSEUDO_FUNC} it
 * names one subprogram ({@code subprog}, no map); loaded from a call table it keeps the table
 * ({@code map}, {@code subprog} -1) and the byte offset into it ({@code off} plus the variable
 * {@code var}), so its possible targets are the entries that offset range reaches. Like every
 * other register state this is path-sensitive: nothing is joined. {@code callx} is verified once
 * per possible target, each as a static call from the caller's state.
 *
 * <p>Every bpf4j-only decision is here, so that it can follow upstream when upstream decides.
 */
final class IndirectChecks {
    /** {@code func} pointers loaded from a call table carry this instead of a subprogram. */
    static final int FROM_TABLE = -1;
    private static final long U32_MAX = 0xffffffffL;

    private final Env env;
    /** Per callx/gotox insn: every target slot some path reached it with. */
    private final Map<Integer, TreeSet<Integer>> targets = new TreeMap<>();
    /** Per callx insn: the subprograms it was verified to call. */
    private final Map<Integer, TreeSet<Integer>> callees = new TreeMap<>();
    private boolean[] reachesTailCall;
    private MemChecks mem;

    IndirectChecks(Env env) {
        this.env = env;
    }

    // ---- structure: before simulation ----

    private static boolean loadsMap(Slot s) {
        if (s.code() != Opcodes.CODE_LD_IMM64) {
            return false;
        }
        int src = s.src();
        return src == Opcodes.PSEUDO_MAP_FD || src == Opcodes.PSEUDO_MAP_VALUE || src == Opcodes.PSEUDO_MAP_IDX
                || src == Opcodes.PSEUDO_MAP_IDX_VALUE;
    }

    /**
     * bpf4j: the entries of every call table an {@code ld_imm64} of the program names; each starts a
     * subprogram (as the target of a PSEUDO_FUNC load does) and must lie inside the program.
     */
    static List<Integer> callTableEntries(Program prog, List<MapRef> maps, VLog log, Privileges priv) {
        List<Integer> out = new ArrayList<>();
        Set<MapRef> seen = new LinkedHashSet<>();
        for (int i = 0; i + 1 < prog.len; i++) {
            Slot s = prog.insns[i].slot();
            if (!loadsMap(s)) {
                continue;
            }
            int idx = s.imm();
            i++;
            if (idx < 0 || idx >= maps.size() || !maps.get(idx).callTable() || !seen.add(maps.get(idx))) {
                continue;
            }
            MapRef m = maps.get(idx);
            if (!priv.bpfCapable()) {
                throw log.reject("loading/calling other bpf or kernel functions are allowed for CAP_BPF and CAP_SYS_ADMIN");
            }
            if (m.insnOffsets().size() != m.maxEntries()) {
                throw log.reject("call table '" + m.name() + "': " + m.insnOffsets().size() + " entries written, max_entries "
                        + m.maxEntries() + " (every entry must name a function)");
            }
            for (int k = 0; k < m.insnOffsets().size(); k++) {
                int e = m.insnOffsets().get(k);
                if (e < 0 || e >= prog.len) {
                    throw log.reject("call table '" + m.name() + "': entry " + k + " names insn " + e
                            + " outside the program of " + prog.len + " insns");
                }
                out.add(e);
            }
        }
        return out;
    }

    /** bpf_insn_array_init (6.19): every entry is an instruction of the program, never an ld_imm64's second half. */
    static void checkInsnArray(Program prog, MapRef m, VLog log) {
        for (int k = 0; k < m.insnOffsets().size(); k++) {
            int e = m.insnOffsets().get(k);
            if (e < 0 || e >= prog.len || prog.isSecondHalf(e)) {
                throw log.reject("insn array '" + m.name() + "': entry " + k + " (insn " + e
                        + ") is not an instruction of the program");
            }
        }
    }

    /** The call tables the program loads (after the ld_imm64s are resolved), in order of first use. */
    private static Set<MapRef> usedMaps(Program prog, boolean callTables) {
        Set<MapRef> out = new LinkedHashSet<>();
        for (MapRef m : prog.ldMap) {
            if (m != null && m.type() == MapType.INSN_ARRAY && m.callTable() == callTables) {
                out.add(m);
            }
        }
        return out;
    }

    /** Where check_cfg starts walking: the main program, then (bpf4j) every function of a call table. */
    static int[] cfgRoots(Program prog) {
        TreeSet<Integer> roots = new TreeSet<>();
        for (MapRef m : usedMaps(prog, true)) {
            roots.addAll(m.insnOffsets());
        }
        roots.remove(0);
        int[] out = new int[roots.size() + 1];
        int i = 1;
        for (int r : roots) {
            out[i++] = r;
        }
        return out;
    }

    /**
     * create_jt (6.19): the successors of the gotox at {@code t}, the union of the jump tables whose
     * smallest entry lies in its subprogram, each entry inside that subprogram. bpf4j leaves call
     * tables out (the kernel's TODO: "collect only jump tables").
     */
    static int[] createJumpTable(Program prog, int t, VLog log) {
        int sub = prog.subprogOf(t);
        int start = prog.subprogStart[sub];
        int end = prog.subprogStart[sub + 1];
        TreeSet<Integer> all = new TreeSet<>();
        boolean found = false;
        for (MapRef m : usedMaps(prog, false)) {
            TreeSet<Integer> entries = new TreeSet<>(m.insnOffsets());
            if (!entries.isEmpty() && entries.first() >= start && entries.first() < end) {
                all.addAll(entries);
                found = true;
            }
        }
        if (!found) {
            throw log.reject("no jump tables found for subprog starting at " + start);
        }
        for (int e : all) {
            if (e < start || e >= end) {
                throw log.reject("jump table for insn " + t + " points outside of the subprog [" + start + "," + end + "]");
            }
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- simulation ----

    private String funcName(int sub) {
        List<io.bpf4j.verifier.FuncInfo> fi = env.input.funcInfo();
        return sub >= 0 && sub < fi.size() && !fi.get(sub).name().isEmpty() ? fi.get(sub).name() : "func#" + sub;
    }

    private static String typeName(Reg r) {
        if (r instanceof Reg.Ptr p) {
            return p.typeName();
        }
        return r instanceof Reg.ScalarReg ? "scalar" : "?";
    }

    /** The first and last key of a call table a table-loaded function pointer may hold. */
    private static long[] keyRange(Reg.Ptr p) {
        return new long[] {(p.off() + p.var().umin()) / 8, (p.off() + p.var().umax()) / 8};
    }

    /** The subprograms a function pointer may name, in table order without repeats. */
    private List<Integer> possibleSubprogs(Reg.Ptr p) {
        if (p.map() == null) {
            return List.of(p.subprog());
        }
        long[] keys = keyRange(p);
        Set<Integer> subs = new LinkedHashSet<>();
        for (long k = keys[0]; k <= keys[1]; k++) {
            subs.add(env.prog.findSubprog(p.map().insnOffsets().get((int) k)));
        }
        return new ArrayList<>(subs);
    }

    /** callx rX: the call is verified once per function the register may name, each like a static call. */
    void callx(Explorer ex, int idx, Slot s) {
        if (s.src() != 0 || s.off() != 0 || s.imm() != 0) {
            throw env.reject("BPF_CALL|BPF_X uses reserved fields");
        }
        int regno = s.dst();
        Reg r = env.src(regno);
        if (!(r instanceof Reg.Ptr p) || p.type() != Reg.PtrType.FUNC || p.maybeNull()) {
            throw env.reject("R" + regno + " has type " + typeName(r) + ", expected func");
        }
        if (p.map() == null) {
            mem().checkPtrOffReg(p, regno, false);
        }
        List<Integer> subs = possibleSubprogs(p);
        String what = "callx r" + regno + " at insn " + idx + (p.map() == null ? "" : " (call table '" + p.map().name() + "')");
        VState st = env.cur;
        for (int sub : subs) {
            if (env.input.funcInfo().isEmpty()) {
                throw env.reject("missing btf func_info");
            }
            if (env.input.funcInfo().get(sub).global()) {
                env.log.verbose(what + " may call global function " + funcName(sub) + "()\n");
                throw env.reject("callback function not static");
            }
            if (tailCalls()[sub]) {
                env.log.verbose(what + " may call " + funcName(sub) + "()\n");
                throw env.reject("tail_calls are not allowed in functions called via callx");
            }
            for (int f = 0; f <= st.curframe; f++) {
                if (st.frames[f].subprog == sub) {
                    throw env.reject("recursive call from " + funcName(st.cur().subprog) + "() to " + funcName(sub) + "()");
                }
            }
        }
        if (st.curframe + 1 >= CallChecks.MAX_CALL_FRAMES) {
            throw env.reject("the call stack of " + (st.curframe + 2) + " frames is too deep");
        }
        TreeSet<Integer> t = targets.computeIfAbsent(idx, k -> new TreeSet<>());
        TreeSet<Integer> c = callees.computeIfAbsent(idx, k -> new TreeSet<>());
        if (env.log.level1()) {
            StringBuilder sb = new StringBuilder(what).append(": ");
            for (int i = 0; i < subs.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(funcName(subs.get(i))).append("()@").append(env.prog.subprogStart[subs.get(i)]);
            }
            env.log.verbose(sb.append('\n').toString());
        }
        for (int i = 0; i < subs.size(); i++) {
            int sub = subs.get(i);
            t.add(env.prog.subprogStart[sub]);
            c.add(sub);
            if (i < subs.size() - 1) {
                enter(ex.push(env.prog.subprogStart[sub], idx, false), idx, sub);
            }
        }
        int last = subs.get(subs.size() - 1);
        FuncState caller = st.cur();
        FuncState callee = enter(st, idx, last);
        env.markAllScratched();
        ex.nextInsn = env.prog.subprogStart[last];
        if (env.log.level1()) {
            env.log.verbose("caller:\n" + StatePrinter.frame(st, caller, true, 0, 0));
            env.log.verbose("callee:\n" + StatePrinter.frame(st, callee, true, 0, 0));
        }
    }

    /** A new frame for {@code sub} called at {@code idx}: R1-R5 passed, the caller's R0-R5 scratched. */
    private static FuncState enter(VState st, int idx, int sub) {
        FuncState caller = st.cur();
        FuncState callee = new FuncState(st.curframe + 1, idx, sub);
        for (int r = 1; r <= 5; r++) {
            callee.regs[r] = caller.regs[r];
        }
        st.frames[st.curframe + 1] = callee;
        st.curframe++;
        for (int r = 0; r <= 5; r++) {
            caller.regs[r] = Reg.NotInit.INSTANCE;
        }
        return callee;
    }

    /** Per subprogram: whether it or a function it calls statically holds a tail call. */
    private boolean[] tailCalls() {
        if (reachesTailCall != null) {
            return reachesTailCall;
        }
        Program prog = env.prog;
        boolean[] tc = prog.hasTailCall.clone();
        for (boolean again = true; again;) {
            again = false;
            for (int sub = 0; sub < prog.subprogCount; sub++) {
                for (int i = prog.subprogStart[sub]; i < prog.subprogStart[sub + 1] && !tc[sub]; i++) {
                    Slot s = prog.insns[i].slot();
                    if (s.code() == Opcodes.CODE_CALL && s.src() == Opcodes.PSEUDO_CALL) {
                        int callee = prog.findSubprog(i + s.imm() + 1);
                        if (callee >= 0 && tc[callee]) {
                            tc[sub] = true;
                            again = true;
                        }
                    }
                }
            }
        }
        reachesTailCall = tc;
        return tc;
    }

    /** check_indirect_jump (6.19): one path per distinct entry the register's index range reaches. */
    void gotox(Explorer ex, int idx, Slot s) {
        if (s.src() != 0 || s.imm() != 0 || s.off() != 0) {
            throw env.reject("BPF_JA|BPF_X uses reserved fields");
        }
        int regno = s.dst();
        env.markRegScratched(regno);
        Reg r = regno < FuncState.MAX_REG ? env.regs()[regno] : Reg.NotInit.INSTANCE;
        if (!(r instanceof Reg.Ptr p) || p.type() != Reg.PtrType.INSN) {
            throw env.reject("R" + regno + " has type " + typeName(r) + ", expected PTR_TO_INSN");
        }
        MapRef m = p.map();
        long off = p.off();
        long minIdx = p.var().umin() + off;
        if (Long.compareUnsigned(minIdx, p.var().umin()) < 0 && off > 0 || Long.compareUnsigned(minIdx, U32_MAX * 8) > 0) {
            throw env.reject("the sum of R" + regno + " umin_value " + Long.toUnsignedString(p.var().umin()) + " and off "
                    + Integer.toUnsignedString(p.off()) + " is too big");
        }
        long maxIdx = p.var().umax() + off;
        if (Long.compareUnsigned(maxIdx, p.var().umax()) < 0 && off > 0 || Long.compareUnsigned(maxIdx, U32_MAX * 8) > 0) {
            throw env.reject("the sum of R" + regno + " umax_value " + Long.toUnsignedString(p.var().umax()) + " and off "
                    + Integer.toUnsignedString(p.off()) + " is too big");
        }
        minIdx /= 8;
        maxIdx /= 8;
        if (minIdx >= m.maxEntries() || maxIdx >= m.maxEntries()) {
            throw env.reject("R" + regno + " points to outside of jump table: [" + minIdx + "," + maxIdx + "] max_entries "
                    + m.maxEntries());
        }
        TreeSet<Integer> to = new TreeSet<>();
        for (long k = minIdx; k <= maxIdx; k++) {
            to.add(m.insnOffsets().get((int) k));
        }
        if (to.isEmpty()) {
            throw env.reject("register R" + regno + " doesn't point to any offset in map id=" + m.index());
        }
        int[] cfg = env.prog.gotoxTargets[idx];
        for (int w : to) {
            // bpf4j: the kernel would follow an entry of another subprogram's table; every path must stay in the CFG
            if (cfg == null || java.util.Arrays.binarySearch(cfg, w) < 0) {
                throw env.reject("gotox r" + regno + " at insn " + idx + " may jump to insn " + w
                        + ", not a jump-table target of its subprog");
            }
        }
        targets.computeIfAbsent(idx, k -> new TreeSet<>()).addAll(to);
        int last = to.last();
        for (int w : to) {
            if (w != last) {
                ex.push(w, idx, env.cur.speculative);
            }
        }
        ex.nextInsn = last;
    }

    /**
     * A load or store through a pointer into an instruction array. Jump tables follow 6.19
     * (strict alignment, no writes, 8-byte reads giving PTR_TO_INSN, {@code max_entries * 8}
     * bytes); call tables (bpf4j) the same rules with messages that name the table, and an
     * 8-byte read gives a function pointer.
     */
    void tableAccess(int regno, Reg.Ptr p, int off, int size, int t, int valueReg, boolean ldsx) {
        MapRef m = p.map();
        long memSize = Integer.toUnsignedLong(m.maxEntries()) * 8;
        Tnum at = p.var().varOff().add(Tnum.constant((long) p.off() + off));
        if (m.callTable()) {
            String table = "call table '" + m.name() + "': ";
            if (t == MemChecks.WRITE) {
                throw env.reject(table + "store through R" + regno + " refused: a call table holds functions and is read-only");
            }
            if (size != 8 || ldsx) {
                throw env.reject(table + "partial load of " + size + " bytes through R" + regno
                        + " refused: an entry is one 8-byte function pointer");
            }
            if (!at.isAligned(8)) {
                throw env.reject(table + "misaligned load through R" + regno + " at offset " + StatePrinter.tnum(p.var().varOff())
                        + "+" + (p.off() + off) + ": entries are 8 bytes");
            }
            Scalar v = p.var();
            long base = (long) p.off() + off;
            if (v.smin() < 0 && v.smin() + base < 0 || Long.compareUnsigned(v.umax(), MemChecks.MAX_VAR_OFF) >= 0) {
                throw env.reject(table + "unbounded index in R" + regno + ": check the index against " + m.maxEntries()
                        + " before the load");
            }
            long lo = v.umin() + base;
            long hi = v.umax() + base;
            if (lo < 0 || hi + 8 > memSize) {
                throw env.reject(table + "R" + regno + " may read entries [" + Math.floorDiv(lo, 8) + ", " + hi / 8
                        + "] of " + m.maxEntries() + ": check the index against " + m.maxEntries() + " before the load");
            }
            if (valueReg >= 0) {
                env.setReg(valueReg, new Reg.Ptr(Reg.PtrType.FUNC, false, false, false, (int) base, v, 0, 0, m, 0, 0, 0,
                        FROM_TABLE));
            }
            return;
        }
        if (size != 1 && !at.isAligned(size)) {
            throw env.reject("misaligned value access off " + StatePrinter.tnum(p.var().varOff()) + "+" + p.off() + "+" + off
                    + " size " + size);
        }
        if (t == MemChecks.WRITE && valueReg >= 0 && env.isPointerValue(valueReg)) {
            throw env.reject("R" + valueReg + " leaks addr into map");
        }
        if (t == MemChecks.WRITE) {
            throw env.reject("writes into insn_array not allowed");
        }
        mem().memRegion(regno, p, p.off() + off, size, (int) memSize, false);
        if (size != 8) {
            throw env.reject("Invalid read of " + size + " bytes from insn_array");
        }
        if (valueReg >= 0) {
            env.setReg(valueReg, new Reg.Ptr(Reg.PtrType.INSN, false, false, false, p.off() + off, p.var(), 0, 0, m, 0, 0, 0, 0));
        }
    }

    private MemChecks mem() {
        if (mem == null) {
            mem = new MemChecks(env);
        }
        return mem;
    }

    /** Pointer arithmetic that instruction arrays forbid (6.19), and on call-table function pointers (bpf4j). */
    void checkPointerArithmetic(int dst, AluOp op, Reg.Ptr ptr, Scalar off) {
        if (ptr.type() == Reg.PtrType.MAP_VALUE && ptr.map() != null && ptr.map().callTable()
                && off.smin() == Long.MIN_VALUE) {
            // what check_reg_sane_offset refuses too, said in the table's terms
            throw env.reject("call table '" + ptr.map().name() + "': unbounded index added to R" + dst
                    + ": check the index against " + ptr.map().maxEntries() + " before using it");
        }
        if (ptr.type() == Reg.PtrType.MAP_VALUE && ptr.map() != null && ptr.map().type() == MapType.INSN_ARRAY
                && op == AluOp.SUB) {
            throw env.reject("R" + dst + " subtraction from pointer to instruction prohibited");
        }
        if (ptr.type() == Reg.PtrType.FUNC && ptr.map() != null) {
            throw env.reject("R" + dst + " pointer arithmetic on func from call table '" + ptr.map().name() + "' prohibited");
        }
    }

    /** A callback argument: only a function named by PSEUDO_FUNC (bpf4j: not one taken from a call table). */
    int callbackSubprog(int regno, Reg.Ptr p) {
        if (p.map() != null) {
            throw env.reject("R" + regno + " is a func from call table '" + p.map().name()
                    + "': a callback must be named directly");
        }
        return p.subprog();
    }

    /**
     * Helpers and instruction arrays: the kernel passes none to a helper (check_map_func_compatibility);
     * bpf4j lets {@code bpf_map_lookup_elem} take a call table, whose result is the function pointer
     * (or NULL) for the key.
     */
    void beforeHelper(int func) {
        for (int r = 1; r <= 2; r++) {
            if (env.regs()[r] instanceof Reg.Ptr p && p.type() == Reg.PtrType.CONST_MAP && p.map() != null
                    && p.map().type() == MapType.INSN_ARRAY && !(p.map().callTable() && func == 1 && r == 1)) {
                if (p.map().callTable()) {
                    throw env.reject("call table '" + p.map().name() + "': only bpf_map_lookup_elem may take a call table");
                }
                throw env.reject("cannot pass map_type " + MapType.INSN_ARRAY.id() + " into func "
                        + CallChecks.helperName(func) + "#" + func);
            }
        }
    }

    /** After a helper: bpf_map_lookup_elem on a call table returns one of its functions or NULL. */
    void afterHelper(int func) {
        Reg r0 = env.regs()[0];
        if (func == 1 && r0 instanceof Reg.Ptr p && p.type() == Reg.PtrType.MAP_VALUE && p.map() != null
                && p.map().callTable()) {
            long last = (long) (p.map().maxEntries() - 1) * 8;
            env.setReg(0, new Reg.Ptr(Reg.PtrType.FUNC, true, false, false, 0, Scalar.unsignedRange(0, last), p.id(), 0,
                    p.map(), 0, 0, 0, FROM_TABLE));
        }
    }

    /** The subprograms the callx at {@code insn} was verified to call (empty for any other insn). */
    Set<Integer> calleesAt(int insn) {
        TreeSet<Integer> c = callees.get(insn);
        return c == null ? Set.of() : c;
    }

    /** {@link Facts#INDIRECT_TARGETS} of every callx and gotox some path reached. */
    void recordFacts(ProgramFacts.Builder b) {
        targets.forEach((insn, to) -> b.put(insn, Facts.INDIRECT_TARGETS, to.stream().mapToInt(Integer::intValue).toArray()));
    }
}
