package io.bpf4j.verifier.internal;

import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.Unknown;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.isa.facts.ProgramFacts;
import io.bpf4j.verifier.Explanation;
import io.bpf4j.verifier.LineInfo;
import io.bpf4j.verifier.VerifiedProgram;
import io.bpf4j.verifier.VerifierException;
import io.bpf4j.verifier.VerifierInput;
import io.bpf4j.verifier.VerifierStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Entry of the analyzer: runs the passes in the kernel's order and turns the outcome into the API's types. */
public final class Driver {
    /** bpf_prog_load's limits on insn_cnt: BPF_COMPLEXITY_LIMIT_INSNS with CAP_BPF, else BPF_MAXINSNS. */
    static final int MAX_INSNS_BPF_CAPABLE = 1_000_000;
    static final int MAX_INSNS_UNPRIVILEGED = 4096;

    private Driver() {}

    public static VerifiedProgram verify(VerifierInput input) {
        long start = System.nanoTime();
        VLog log = new VLog(input.logLevel(), input.limits().logSize());
        int slots = Instructions.of(input.instructions()).slotCount();
        int maxSlots = input.privileges().bpfCapable() ? MAX_INSNS_BPF_CAPABLE : MAX_INSNS_UNPRIVILEGED;
        if (slots > maxSlots) {
            // bpf_prog_load refuses before the verifier runs: E2BIG, nothing in the log
            throw new VerifierException("bpf4j: program of " + slots + " insns exceeds the kernel's limit of " + maxSlots
                    + " (BPF_PROG_LOAD fails with E2BIG)", -1, null, "", stats(null, start));
        }
        if (!input.privileges().bpfCapable() && input.programType() != ProgramType.SOCKET_FILTER
                && input.programType() != ProgramType.CGROUP_SKB) {
            // bpf_prog_load, before the verifier runs: without CAP_BPF only these two types
            throw new VerifierException("bpf4j: a " + input.programType() + " program needs CAP_BPF (BPF_PROG_LOAD fails with EPERM)",
                    -1, null, "", stats(null, start));
        }
        List<Slot> raw = new ArrayList<>(slots);
        for (Instruction insn : input.instructions()) {
            if (insn instanceof Unknown u && u.reason().startsWith("truncated instruction")) {
                log.error("bpf4j: program size is not a multiple of 8 bytes");
                throw fail(log, null, -1, start, input);
            }
            raw.addAll(insn.raw());
        }
        if (raw.isEmpty()) {
            log.error("bpf4j: empty program");
            throw fail(log, null, -1, start, input);
        }
        switch (input.programType()) {
            case TRACING, LSM, EXT, STRUCT_OPS -> {
                String gap = AttachTargets.unsupported(input);
                if (gap != null) {
                    log.error("bpf4j: not supported yet: " + gap);
                    throw fail(log, null, -1, start, input);
                }
            }
            default -> {
            }
        }
        Program prog = new Program(raw, input.lineInfo());
        prog.kfuncs = input.kfuncs();
        Env env = null;
        boolean onPath = false;
        try {
            new StructureChecks(prog, log, input.privileges(), mapRefs(input.maps(), input.frozenValues()), input.programType(),
                    input.unboundFdSlots()).run(input.funcInfo(), input.lineInfo());
            env = new Env(prog, log, input);
            env.fastcall = Fastcall.mark(env);
            Explorer ex = new Explorer(env);
            onPath = true;
            ex.verifyMain();
            verifyGlobals(env);
            env.fastcall.removeSpillsFills(env.stackDepth);
            onPath = false;
            checkMaxStackDepth(env);
            if (!input.privileges().bypassSpecV1()) {
                for (int i = 0; i < prog.len; i++) {
                    if (env.tailCallPoisoned[i]) {
                        // do_misc_fixups cannot bound the index of a tail call that two prog arrays reach
                        env.insnIdx = i;
                        throw env.reject("tail_call abusing map_ptr");
                    }
                }
            }
            if (env.unconvertibleAccess >= 0) {
                env.insnIdx = env.unconvertibleAccess;
                throw env.reject("verifier bug: error during ctx access conversion (0)");
            }
        } catch (Reject r) {
            throw fail(log, env, env == null ? -1 : env.insnIdx, start, input, onPath);
        } catch (NotSupported e) {
            log.error("bpf4j: not supported yet: " + e.getMessage());
            throw fail(log, env, env == null ? -1 : env.insnIdx, start, input, onPath);
        } catch (RuntimeException e) {
            // a bug here must still end in a verdict, never in an unexpected exception
            log.error("bpf4j: internal error: " + e);
            throw fail(log, env, env == null ? -1 : env.insnIdx, start, input, onPath);
        } catch (StackOverflowError e) {
            log.error("bpf4j: internal error: " + e);
            throw fail(log, env, env == null ? -1 : env.insnIdx, start, input, onPath);
        }
        VerifierStats stats = stats(env, start);
        finish(log, stats);
        return new VerifiedProgram(facts(env), stats, log.toString(), log.trueSize());
    }

    /** do_check_subprogs: every global function a verified unit called, on its own, until none is left. */
    private static void verifyGlobals(Env env) {
        boolean[] done = new boolean[env.prog.subprogCount];
        boolean again = true;
        while (again) {
            again = false;
            for (int i = 1; i < env.prog.subprogCount; i++) {
                if (!env.globalCalled[i] || done[i]) {
                    continue;
                }
                done[i] = true;
                again = true;
                io.bpf4j.verifier.FuncInfo fi = env.input.funcInfo().get(i);
                env.log.verbose("Validating " + fi.name() + "() func#" + i + "...\n");
                new Explorer(env).verifyGlobal(i, fi.signature());
                if (env.log.level1()) {
                    env.log.verbose("Func#" + i + " ('" + fi.name() + "') is safe for any args that match its prototype\n");
                }
            }
        }
    }

    private static VerifierException fail(VLog log, Env env, int insn, long start, VerifierInput input) {
        return fail(log, env, insn, start, input, false);
    }

    private static VerifierException fail(VLog log, Env env, int insn, long start, VerifierInput input, boolean onPath) {
        VerifierStats stats = stats(env, start);
        finish(log, stats);
        LineInfo li = null;
        if (insn >= 0 && env != null) {
            li = env.prog.lineFor(insn);
        }
        Explanation why = env == null ? null : Explainer.explain(env, insn, log.lastLine(), log.previousLine(), onPath);
        return new VerifierException(log.lastLine(), insn, li, log.toString(), stats, why);
    }

    private static VerifierStats stats(Env env, long start) {
        Duration t = Duration.ofNanos(System.nanoTime() - start);
        if (env == null) {
            return new VerifierStats(0, 0, 0, 0, 0, new int[] {0}, t);
        }
        return new VerifierStats(env.insnProcessed, env.totalStates, env.peakStates, env.maxStatesPerInsn, 0,
                env.stackDepth.clone(), t);
    }

    /** print_verification_stats: the last lines of every log. */
    private static void finish(VLog log, VerifierStats stats) {
        if ((log.level & VLog.STATS) != 0) {
            log.verbose("verification time " + stats.verificationTime().toNanos() / 1000 + " usec\n");
            log.verbose(stats.stackDepthLine() + "\n");
        }
        log.verbose(stats.processedLine() + "\n");
    }

    private static List<MapRef> mapRefs(List<MapShape> maps, java.util.Map<Integer, byte[]> frozenValues) {
        List<MapRef> out = new ArrayList<>(maps.size());
        for (int i = 0; i < maps.size(); i++) {
            MapShape m = maps.get(i);
            byte[] v = frozenValues.get(i);
            // bpf_map_is_rdonly and array_map_direct_value_addr: read-only to programs, frozen, one entry
            boolean rdonly = (m.flags() & MapShape.F_RDONLY_PROG) != 0 && m.frozen() && m.type() == io.bpf4j.isa.abi.MapType.ARRAY
                    && m.maxEntries() == 1 && v != null && v.length >= m.valueSize();
            out.add(mapRef(i, m, rdonly ? v : null));
        }
        return out;
    }

    private static MapRef mapRef(int index, MapShape m, byte[] frozenValue) {
        MapRef inner = m.inner().map(x -> mapRef(-1, x, null)).orElse(null);
        int lock = m.special(MapShape.SpecialField.Kind.SPIN_LOCK).map(MapShape.SpecialField::offset).orElse(-1);
        return new MapRef(index, m.name(), m.type(), m.keySize(), m.valueSize(), m.maxEntries(), m.flags(),
                m.readOnlyToPrograms(), m.writeOnlyToPrograms(), inner, lock, m.specialFields().size(), m.insnOffsets(),
                m.isCallTable(), fieldKinds(m), frozenValue);
    }

    private static java.util.Set<MapShape.SpecialField.Kind> fieldKinds(MapShape m) {
        java.util.Set<MapShape.SpecialField.Kind> kinds = java.util.EnumSet.noneOf(MapShape.SpecialField.Kind.class);
        for (MapShape.SpecialField f : m.specialFields()) {
            kinds.add(f.kind());
        }
        return java.util.Collections.unmodifiableSet(kinds);
    }

    /** check_max_stack_depth: the deepest static call chain's combined stack (JIT: 16-byte granules). */
    private static void checkMaxStackDepth(Env env) {
        walk(env, 0, 0, 0);
    }

    private static void walk(Env env, int sub, int depth, int frame) {
        Program prog = env.prog;
        depth += (env.stackDepth[sub] + 15) / 16 * 16;
        if (depth > FuncState.MAX_STACK) {
            throw env.reject("combined stack size of " + (frame + 1) + " calls is " + depth + ". Too large");
        }
        for (int i = prog.subprogStart[sub]; i < prog.subprogStart[sub + 1]; i++) {
            Slot s = prog.insns[i].slot();
            boolean call = s.code() == Opcodes.CODE_CALL && s.src() == Opcodes.PSEUDO_CALL
                    || s.code() == Opcodes.CODE_LD_IMM64 && s.src() == Opcodes.PSEUDO_FUNC;
            if (s.code() == Opcodes.CODE_CALLX) {
                // every callee a callx was verified with adds its frame like a static call
                for (int callee : env.indirect.calleesAt(i)) {
                    if (frame + 1 >= CallChecks.MAX_CALL_FRAMES) {
                        throw env.reject("the call stack of " + (frame + 1) + " frames is too deep !");
                    }
                    walk(env, callee, depth, frame + 1);
                }
            }
            if (!call) {
                continue;
            }
            int callee = prog.findSubprog(i + s.imm() + 1);
            if (frame + 1 >= CallChecks.MAX_CALL_FRAMES) {
                throw env.reject("the call stack of " + (frame + 1) + " frames is too deep !");
            }
            walk(env, callee, depth, frame + 1);
        }
    }

    private static ProgramFacts facts(Env env) {
        return env.facts.build(env);
    }
}
