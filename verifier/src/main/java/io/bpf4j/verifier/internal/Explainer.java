package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.verifier.Explanation;
import io.bpf4j.verifier.Explanation.Rule;
import io.bpf4j.verifier.LineInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the {@link Explanation} of a rejection from what the verifier holds when it stops: the
 * kernel's error line (which rule), the failing path ({@link FailingPath}) and its state. The
 * registers and stack slots the rule is about seed a backward slice ({@link Slicer}); the rule,
 * the slice and the state give the hint. It never changes the verdict or the log, and a failure
 * here yields an explanation that names the rejected instruction only.
 */
final class Explainer {
    /** The most slice steps shown (the latest ones: a long unrolled loop repeats the same insns). */
    static final int MAX_STEPS = 40;

    private static final Pattern REG = Pattern.compile("(?<![A-Za-z0-9_])R(\\d)(?!\\d)");
    private static final Pattern PACKET = Pattern.compile(
            "invalid access to packet, off=(-?\\d+) size=(\\d+), R(\\d+)\\(id=(\\d+),off=-?\\d+,r=(-?\\d+)\\)");
    private static final Pattern OR_NULL = Pattern.compile("R(\\d+) invalid mem access '(\\w+_or_null)'");
    private static final Pattern ARITH_NULL = Pattern.compile("R(\\d+) pointer arithmetic on (\\w+_or_null) prohibited");
    private static final Pattern ARG_TYPE = Pattern.compile("R(\\d+) type=(\\S+) expected=(.*)");
    private static final Pattern NOT_INIT = Pattern.compile("R(\\d+) !read_ok");
    private static final Pattern STACK_READ = Pattern.compile(
            "invalid (?:indirect )?read from stack (?:R(\\d+) )?off (-?\\d+)\\+(\\d+) size (\\d+)");
    private static final Pattern STACK_READ_CONST = Pattern.compile(
            "invalid (?:indirect )?read from stack R(\\d+) off=(-?\\d+) size=(\\d+)");
    private static final Pattern REGION = Pattern.compile(
            "invalid access to (map value|map key|memory), (?:value_size|key_size|mem_size)=(\\d+) off=(-?\\d+) size=(\\d+)");
    private static final Pattern RANGE = Pattern.compile("should have been in \\[(-?\\d+), (-?\\d+)\\]");
    private static final Pattern RETURN_TYPE = Pattern.compile("R0 is not a (?:known|scalar) value \\((\\w+)\\)");
    private static final Pattern CALL_NAME = Pattern.compile("call ([A-Za-z_][A-Za-z_0-9]*)");
    private static final Pattern TABLE_BOUND = Pattern.compile("(?:against|of) (\\d+)");
    private static final Pattern JUMP_TABLE_RANGE = Pattern.compile("max_entries (\\d+)");
    private static final Pattern EXPECTED_FUNC = Pattern.compile("R(\\d+) has type (\\S+), expected func");

    private final Env env;
    private final Program prog;
    private final int insn;
    private final String msg;
    private final String previous;

    private Explainer(Env env, int insn, String msg, String previous) {
        this.env = env;
        this.prog = env.prog;
        this.insn = insn;
        this.msg = msg == null ? "" : msg;
        this.previous = previous == null ? "" : previous;
    }

    /**
     * The explanation of the rejection {@code msg} at {@code insn}; {@code onPath} when the
     * verifier stopped while walking a path ({@code env.cur} is that path), false for whole-program
     * checks (the slice is then the rejected instruction alone).
     */
    static Explanation explain(Env env, int insn, String msg, String previous, boolean onPath) {
        if (env == null || insn < 0 || insn >= env.prog.len) {
            return new Explanation(rule(msg, -1, null), List.of(), Optional.empty());
        }
        Explainer ex = new Explainer(env, insn, msg, previous);
        try {
            return onPath ? ex.onPath() : ex.single();
        } catch (RuntimeException | StackOverflowError e) {
            // an explanation is extra: never let it hide the verdict
            return ex.single();
        }
    }

    private Explanation single() {
        return new Explanation(rule(msg, insn, prog), List.of(step(insn, "rejected: " + msg)), Optional.empty());
    }

    private Explanation onPath() {
        Rule rule = rule(msg, insn, prog);
        if (rule == Rule.VARIABLE_OFFSET && msg.endsWith("value is outside of the allowed memory range") && constantOffset()) {
            // the kernel ends a constant-offset overrun with the same line as a variable one
            rule = Rule.OUT_OF_BOUNDS;
        }
        List<FailingPath.Step> path = FailingPath.latestFirst(env, insn);
        int frame = env.cur.curframe;
        PathAliases aliases = new PathAliases(prog, path);
        java.util.BitSet checks = new java.util.BitSet();
        Slicer slicer;
        List<Slicer.Hit> hits;
        // a check on a copy of a kept value is kept, and what it compares with is followed: to a fixed point
        for (int round = 0;; round++) {
            slicer = new Slicer(prog, frame);
            slicer.funcNames = this::funcName;
            seed(rule, slicer, frame);
            hits = new ArrayList<>(slicer.run(path, "rejected: " + msg, checks));
            java.util.BitSet more = aliases.checksOn(hits);
            more.andNot(checks);
            if (more.isEmpty() || round == 3) {
                break;
            }
            checks.or(more);
        }
        if (rule == Rule.REFERENCE_LEAK) {
            for (VState.Ref r : env.cur.refs) {
                if (!r.lock() && r.insnIdx() >= 0 && r.insnIdx() < prog.len) {
                    hits.add(new Slicer.Hit(latestPos(path, r.insnIdx()), r.insnIdx(), Slicer.Kind.CALL_RESULT, 0, -1,
                            "acquires reference id=" + r.id()));
                }
            }
        }
        List<Slicer.Hit> kept = order(hits);
        List<Explanation.Step> steps = new ArrayList<>();
        for (Slicer.Hit h : kept) {
            steps.add(step(h.idx(), h.role()));
        }
        return new Explanation(rule, steps, Optional.ofNullable(hint(rule, kept, slicer)));
    }

    /** One occurrence per insn (its latest), earliest first, at most {@link #MAX_STEPS} (the latest). */
    private static List<Slicer.Hit> order(List<Slicer.Hit> hits) {
        Map<Integer, Slicer.Hit> latest = new HashMap<>();
        for (Slicer.Hit h : hits) {
            Slicer.Hit old = latest.get(h.idx());
            if (old == null || h.pos() < old.pos()) {
                latest.put(h.idx(), h);
            }
        }
        List<Slicer.Hit> out = new ArrayList<>(latest.values());
        out.sort(Comparator.comparingInt(Slicer.Hit::pos));
        if (out.size() > MAX_STEPS) {
            out = new ArrayList<>(out.subList(0, MAX_STEPS));
        }
        java.util.Collections.reverse(out);
        return out;
    }

    private static int latestPos(List<FailingPath.Step> path, int idx) {
        for (int p = 0; p < path.size(); p++) {
            if (path.get(p).idx() == idx) {
                return p;
            }
        }
        return Integer.MAX_VALUE;
    }

    private Explanation.Step step(int idx, String role) {
        return new Explanation.Step(idx, Explorer.formatInsn(prog, idx), prog.lineFor(idx), role);
    }

    // ---- rules ----

    static Rule rule(String msg, int insn, Program prog) {
        if (msg == null) {
            return Rule.OTHER;
        }
        int code = prog == null || insn < 0 ? -1 : prog.insns[insn].code();
        if (msg.startsWith("call table '") || msg.contains("from call table '")) {
            return Rule.CALL_TABLE;
        }
        if (code == Opcodes.CODE_GOTOX || msg.contains("jump table") || msg.contains("PTR_TO_INSN")
                || msg.contains("insn_array") || msg.startsWith("gotox ")) {
            return Rule.JUMP_TABLE;
        }
        if (code == Opcodes.CODE_CALLX) {
            return Rule.INDIRECT_CALL;
        }
        if (msg.contains("invalid access to packet") || msg.endsWith("offset is outside of the packet")) {
            return Rule.PACKET_RANGE;
        }
        if (OR_NULL.matcher(msg).find() || ARITH_NULL.matcher(msg).find()
                || ARG_TYPE.matcher(msg).matches() && msg.matches("R\\d+ type=\\w+_or_null expected=.*")) {
            return Rule.NULL_POINTER;
        }
        if (NOT_INIT.matcher(msg).matches()) {
            return Rule.UNINIT_REGISTER;
        }
        if (STACK_READ.matcher(msg).find() || STACK_READ_CONST.matcher(msg).find()) {
            return Rule.UNINIT_STACK;
        }
        if (msg.contains("min value is negative") || msg.contains("unbounded memory access")
                || msg.contains("value is outside of the allowed memory range") || msg.contains("variable-offset")
                || msg.contains("variable offset stack") || msg.contains("invalid zero-sized read")) {
            return Rule.VARIABLE_OFFSET;
        }
        if (REGION.matcher(msg).find()) {
            return Rule.OUT_OF_BOUNDS;
        }
        if (ARG_TYPE.matcher(msg).matches() || msg.startsWith("arg#") || msg.endsWith("leaks addr into helper function")) {
            return Rule.HELPER_ARGUMENT;
        }
        if (msg.contains("would lead to reference leak") || msg.startsWith("Unreleased reference")) {
            return Rule.REFERENCE_LEAK;
        }
        if (msg.startsWith("At program exit") || msg.startsWith("At subprogram exit") || msg.equals("R0 leaks addr as return value")) {
            return Rule.RETURN_VALUE;
        }
        if (EXPECTED_FUNC.matcher(msg).matches()) {
            return Rule.INDIRECT_CALL;
        }
        return Rule.OTHER;
    }

    /** What the slice starts from: the registers the message names, else the rejected insn's operands. */
    private void seed(Rule rule, Slicer slicer, int frame) {
        boolean any = false;
        Matcher m = REG.matcher(msg);
        while (m.find()) {
            int r = Integer.parseInt(m.group(1));
            if (r != 10) {
                slicer.demandReg(r);
                any = true;
            }
        }
        Matcher st = STACK_READ.matcher(msg);
        if (st.find()) {
            int off = Integer.parseInt(st.group(2));
            int size = Integer.parseInt(st.group(4));
            slicer.demandStack(env.cur.frames[frame].frameno, off, size);
            any = true;
        }
        Matcher sc = STACK_READ_CONST.matcher(msg);
        if (sc.find()) {
            slicer.demandStack(env.cur.frames[frame].frameno, Integer.parseInt(sc.group(2)), Integer.parseInt(sc.group(3)));
        }
        if (rule == Rule.PACKET_RANGE) {
            // the pointers that share the offending pointer's packet id were checked (or not) together
            Matcher pm = packet();
            if (pm != null) {
                int id = Integer.parseInt(pm.group(4));
                Reg[] regs = env.cur.frames[frame].regs;
                for (int r = 0; r < 10; r++) {
                    if (regs[r] instanceof Reg.Ptr p && p.isPacket() && p.id() == id
                            || regs[r] instanceof Reg.Ptr e && e.type() == Reg.PtrType.PACKET_END) {
                        slicer.demandReg(r);
                    }
                }
            }
        }
        Slot s = prog.insns[insn].slot();
        int cls = s.instructionClass();
        if ((cls == Opcodes.ALU || cls == Opcodes.ALU64) && (s.code() & Opcodes.SOURCE_MASK) == Opcodes.X && s.src() != 10) {
            // an ALU insn is refused for what it combines: follow both operands
            slicer.demandReg(s.src());
            if ((s.code() & Opcodes.OP_MASK) != Opcodes.MOV) {
                slicer.demandReg(s.dst());
            }
        }
        if (any || rule == Rule.REFERENCE_LEAK) {
            return;
        }
        switch (s.instructionClass()) {
            case Opcodes.LDX -> slicer.demandReg(s.src());
            case Opcodes.ST, Opcodes.STX -> slicer.demandReg(s.dst());
            default -> {
                if (s.code() == Opcodes.CODE_CALLX || s.code() == Opcodes.CODE_GOTOX) {
                    slicer.demandReg(s.dst());
                } else if (s.code() == (Opcodes.JMP | Opcodes.EXIT)) {
                    slicer.demandReg(0);
                }
            }
        }
    }

    // ---- hints ----

    private String place(int idx) {
        LineInfo li = prog.lineFor(idx);
        return li != null ? "line " + li.line() : "insn " + idx;
    }

    /** The packet access line: the error line, or the line before it when the kernel ends with "R%d offset is outside of the packet". */
    private Matcher packet() {
        for (String line : new String[] {msg, previous}) {
            Matcher m = PACKET.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        return null;
    }

    /** The function (from func_info) starting at insn {@code start}. */
    private String funcName(int start) {
        int sub = prog.findSubprog(start);
        List<io.bpf4j.verifier.FuncInfo> fi = env.input.funcInfo();
        return sub >= 0 && sub < fi.size() ? fi.get(sub).name() : "insn " + start;
    }

    private String callName(int idx) {
        Slot s = prog.insns[idx].slot();
        if (s.code() == Opcodes.CODE_CALLX) {
            return "callx r" + s.dst();
        }
        if (s.src() == Opcodes.PSEUDO_CALL) {
            return funcName(idx + s.imm() + 1) + "()";
        }
        Matcher m = CALL_NAME.matcher(Explorer.formatInsn(prog, idx));
        return m.find() ? m.group(1) : "the call at insn " + idx;
    }

    /** The register added to a pointer as an index: the rejected insn's source when it is that add, else the latest add kept. */
    private String index(List<Slicer.Hit> kept) {
        Slot s = prog.insns[insn].slot();
        if (s.code() == (Opcodes.ALU64 | Opcodes.ADD | Opcodes.X)) {
            return "R" + s.src();
        }
        Slicer.Hit add = latest(kept, Slicer.Kind.ADD_REG);
        return add == null ? null : "R" + add.src() + " (added at " + place(add.idx()) + ")";
    }

    /** The latest hit of {@code kind} in the slice (before the rejected insn), or null. */
    private static Slicer.Hit latest(List<Slicer.Hit> kept, Slicer.Kind kind) {
        for (int i = kept.size() - 1; i >= 0; i--) {
            if (kept.get(i).kind() == kind) {
                return kept.get(i);
            }
        }
        return null;
    }

    private String hint(Rule rule, List<Slicer.Hit> kept, Slicer slicer) {
        String here = place(insn);
        switch (rule) {
            case PACKET_RANGE -> {
                Matcher m = packet();
                if (m == null) {
                    return "compare the packet pointer with data_end before " + here;
                }
                long end = Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
                int id = Integer.parseInt(m.group(4));
                int proven = Integer.parseInt(m.group(5));
                String proof = proven > 0 ? " (the checks on this path prove " + proven + " bytes)" : "";
                if (id == 0) {
                    return "add a check that data + " + end + " <= data_end before " + here + proof;
                }
                return "add a check that R" + m.group(3) + " + " + end + " <= data_end before " + here
                        + " (its offset is variable: check after adding it)" + proof;
            }
            case NULL_POINTER -> {
                Matcher m = OR_NULL.matcher(msg);
                Matcher a = ARITH_NULL.matcher(msg);
                Matcher t = ARG_TYPE.matcher(msg);
                String reg = m.find() ? m.group(1) : a.find() ? a.group(1) : t.matches() ? t.group(1) : "?";
                Slicer.Hit call = latest(kept, Slicer.Kind.CALL_RESULT);
                if (call != null) {
                    return "check the result of " + callName(call.idx()) + " (" + place(call.idx()) + ") for NULL before "
                            + here;
                }
                return "check R" + reg + " for NULL before " + here;
            }
            case UNINIT_REGISTER -> {
                Matcher m = NOT_INIT.matcher(msg);
                int r = m.matches() ? Integer.parseInt(m.group(1)) : -1;
                Integer by = slicer.clobberedBy.get(r);
                if (by != null) {
                    return "R" + r + " does not survive the call at " + place(by) + " (" + callName(by)
                            + "): keep the value in R6-R9 or on the stack, or set R" + r + " again before " + here;
                }
                if (r == 0 && prog.insns[insn].code() == (Opcodes.JMP | Opcodes.EXIT)) {
                    return "set the return value (R0) on every path to the exit at " + here;
                }
                if (slicer.reachedFrameEntry || env.cur.curframe > 0) {
                    return "R" + r + " is not set in this function before " + here
                            + ": a function starts with only its arguments (R1-R5) and R10";
                }
                return "set R" + r + " on every path to " + here + " (a program starts with only R1 = ctx and R10)";
            }
            case UNINIT_STACK -> {
                Matcher c = STACK_READ_CONST.matcher(msg);
                if (c.find()) {
                    return "the " + c.group(3) + " bytes at fp" + c.group(2) + " that R" + c.group(1)
                            + " points to are read before this path writes all of them: initialize them (for example with"
                            + " = {} or __builtin_memset) before " + here;
                }
                Matcher m = STACK_READ.matcher(msg);
                if (!m.find()) {
                    return null;
                }
                int off = Integer.parseInt(m.group(2));
                int at = off + Integer.parseInt(m.group(3));
                int size = Integer.parseInt(m.group(4));
                return "stack byte fp" + at + " is read before this path writes it: initialize all " + size
                        + " bytes from fp" + off + " (for example with = {} or __builtin_memset) before " + here;
            }
            case VARIABLE_OFFSET -> {
                String found = index(kept);
                String index = found == null ? "the index" : found;
                if (msg.contains("min value is negative")) {
                    return "make " + index + " unsigned or check that it is >= 0 before " + here;
                }
                Matcher r = REGION.matcher(previous);
                String within = r.find() ? " so that the access stays inside the " + r.group(2) + "-byte "
                        + r.group(1).replace("memory", "memory region") : valueSize();
                return "bound " + index + " with an upper check before using it as an index at " + here + within;
            }
            case OUT_OF_BOUNDS -> {
                Matcher r = REGION.matcher(msg);
                if (!r.find()) {
                    r = REGION.matcher(previous);
                    if (!r.find()) {
                        return null;
                    }
                }
                long off = Long.parseLong(r.group(3));
                long size = Long.parseLong(r.group(4));
                return "the access of " + size + " bytes at offset " + off + " is outside the " + r.group(2) + "-byte "
                        + r.group(1).replace("memory", "memory region") + ": keep offset + size <= " + r.group(2)
                        + " at " + here;
            }
            case HELPER_ARGUMENT -> {
                Matcher t = ARG_TYPE.matcher(msg);
                if (!t.matches()) {
                    return null;
                }
                int r = Integer.parseInt(t.group(1));
                return "argument " + r + " of " + callName(insn) + " must be " + t.group(3).strip() + ", but R" + r
                        + " holds " + t.group(2) + " at " + here;
            }
            case REFERENCE_LEAK -> {
                for (VState.Ref ref : env.cur.refs) {
                    if (!ref.lock() && ref.insnIdx() >= 0 && ref.insnIdx() < prog.len) {
                        String acquire = callName(ref.insnIdx());
                        return "release the reference " + acquire + " returned at " + place(ref.insnIdx())
                                + " on every path before " + here + releaseWith(acquire);
                    }
                }
                return "release every acquired reference before " + here;
            }
            case RETURN_VALUE -> {
                Matcher r = RANGE.matcher(msg);
                if (r.find()) {
                    return "return a value in [" + r.group(1) + ", " + r.group(2) + "] at " + here
                            + " (check or clamp what R0 holds)";
                }
                Matcher t = RETURN_TYPE.matcher(msg);
                if (t.find()) {
                    return "return a number, not a " + t.group(1) + ", at " + here;
                }
                return "return a number, not a pointer, at " + here;
            }
            case INDIRECT_CALL -> {
                Matcher m = EXPECTED_FUNC.matcher(msg);
                if (m.matches() && m.group(2).endsWith("_or_null")) {
                    Slicer.Hit call = latest(kept, Slicer.Kind.CALL_RESULT);
                    return "check the function pointer in R" + m.group(1)
                            + (call == null ? "" : " (from " + callName(call.idx()) + " at " + place(call.idx()) + ")")
                            + " for NULL before " + here;
                }
                if (msg.startsWith("dereference of modified func ptr")) {
                    return "call a function pointer as it was taken: nothing may be added to it (" + here + ")";
                }
                if (msg.startsWith("variable func access")) {
                    return "a function pointer takes no variable offset: choose the function with a branch or through"
                            + " a call table (" + here + ")";
                }
                if (m.matches()) {
                    return "callx needs a function pointer in R" + m.group(1) + " (&func, or an entry loaded from a call"
                            + " table), but it holds " + m.group(2) + " at " + here;
                }
                return null;
            }
            case CALL_TABLE -> {
                Matcher b = TABLE_BOUND.matcher(msg);
                if (msg.contains("index") || msg.contains("may read entries")) {
                    String found = index(kept);
                    String index = found == null ? "the index" : "the index " + found;
                    String n = b.find() ? b.group(1) : "the table's size";
                    return "check " + index + " against " + n + " (index < " + n + ") before " + here;
                }
                return null;
            }
            case JUMP_TABLE -> {
                Matcher n = JUMP_TABLE_RANGE.matcher(msg);
                if (msg.contains("points to outside of jump table") && n.find()) {
                    String found = index(kept);
                    String index = found == null ? "the index" : "the index " + found;
                    return "bound " + index + " below " + n.group(1) + " before " + here;
                }
                return null;
            }
            default -> {
                return otherHint(here);
            }
        }
    }

    private static final Pattern SCALAR_DEREF = Pattern.compile("R(\\d+) invalid mem access 'scalar'");
    private static final Pattern ITER = Pattern.compile("expected (an initialized|uninitialized) iter_(\\w+) as arg #(\\d+)");

    /** Hints for rules without a kind of their own: a number used as a pointer, an iterator's life cycle. */
    private String otherHint(String here) {
        Matcher m = SCALAR_DEREF.matcher(msg);
        if (m.matches()) {
            return "R" + m.group(1) + " holds a number, not a pointer, at " + here
                    + ": only pointers the verifier tracks (context, stack, map values, checked packet) may be dereferenced";
        }
        Matcher it = ITER.matcher(msg);
        if (it.find()) {
            String kind = it.group(2);
            return it.group(1).startsWith("an")
                    ? "create the iterator with bpf_iter_" + kind + "_new (and do not destroy it) before " + here
                    : "destroy the iterator with bpf_iter_" + kind + "_destroy before creating it again at " + here;
        }
        return null;
    }

    /** Whether the pointer register the message names has a constant offset (no variable part). */
    private boolean constantOffset() {
        Matcher m = REG.matcher(msg);
        if (m.find()) {
            Reg r = env.cur.frames[env.cur.curframe].regs[Integer.parseInt(m.group(1))];
            return r instanceof Reg.Ptr p && p.constOffset();
        }
        return false;
    }

    /** " (the value is N bytes)" when the rejected access goes through a map value pointer the message names. */
    private String valueSize() {
        Matcher m = REG.matcher(msg);
        if (m.find()) {
            Reg r = env.cur.frames[env.cur.curframe].regs[Integer.parseInt(m.group(1))];
            if (r instanceof Reg.Ptr p && p.type() == Reg.PtrType.MAP_VALUE && p.map() != null) {
                return " (a value of map '" + p.map().name() + "' is " + p.map().valueSize() + " bytes)";
            }
        }
        return "";
    }

    private static String releaseWith(String acquire) {
        if (acquire.startsWith("bpf_ringbuf_reserve_dynptr")) {
            return " (bpf_ringbuf_submit_dynptr or bpf_ringbuf_discard_dynptr)";
        }
        if (acquire.startsWith("bpf_ringbuf_reserve")) {
            return " (bpf_ringbuf_submit or bpf_ringbuf_discard)";
        }
        if (acquire.startsWith("bpf_sk_lookup") || acquire.startsWith("bpf_skc_lookup")) {
            return " (bpf_sk_release)";
        }
        if (acquire.startsWith("bpf_iter_") && acquire.endsWith("_new")) {
            return " (" + acquire.substring(0, acquire.length() - 4) + "_destroy)";
        }
        return "";
    }
}
