package io.bpf4j.jit.compiler;

import io.bpf4j.jit.internal.DecodedProgram;
import io.bpf4j.jit.runtime.AluOps;
import io.bpf4j.jit.runtime.BudgetExhaustedFault;
import io.bpf4j.jit.runtime.CallDepthFault;
import io.bpf4j.jit.runtime.ControlFlowFault;
import io.bpf4j.jit.runtime.Helper;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.IllegalInstructionFault;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.runtime.Pointers;
import io.bpf4j.jit.runtime.Region;
import io.bpf4j.jit.runtime.RegionKind;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The out-of-line parts of generated code: calls it makes rarely or that need objects, kept
 * here so the generated methods stay small and the messages stay the interpreter's.
 */
public final class Support {
    private Support() {}

    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * What an empty region cache holds: no bytes, so an unproven access that matches an empty
     * cache's id (a scalar address with a zero high half) fails the bounds comparison and takes
     * the checked path, which faults.
     */
    public static final Region NO_REGION = Region.of(RegionKind.INPUT, "no region", new byte[0], false);

    // ---- accesses through a cached region (see Memory.cacheRegion) ----------------------------

    private static int at(Region r, long address) {
        return r.start() + ((int) address ^ Integer.MIN_VALUE);
    }

    /** Whether {@code size} bytes at {@code address} are inside cached region {@code r}. */
    public static boolean inBounds(Region r, long address, int size) {
        int off = (int) address ^ Integer.MIN_VALUE;
        return off >= 0 && off <= r.length() - size;
    }

    public static long get8(Region r, long address) {
        return r.bytes()[at(r, address)] & 0xffL;
    }

    public static long get16(Region r, long address) {
        return (short) LE16.get(r.bytes(), at(r, address)) & 0xffffL;
    }

    public static long get32(Region r, long address) {
        return r.loaded((int) address ^ Integer.MIN_VALUE, (int) LE32.get(r.bytes(), at(r, address)) & 0xffff_ffffL);
    }

    public static long get64(Region r, long address) {
        return r.loaded((int) address ^ Integer.MIN_VALUE, (long) LE64.get(r.bytes(), at(r, address)));
    }

    public static void put8(Region r, long address, long value) {
        r.bytes()[at(r, address)] = (byte) value;
    }

    public static void put16(Region r, long address, long value) {
        LE16.set(r.bytes(), at(r, address), (short) value);
    }

    public static void put32(Region r, long address, long value) {
        LE32.set(r.bytes(), at(r, address), (int) value);
    }

    public static void put64(Region r, long address, long value) {
        LE64.set(r.bytes(), at(r, address), value);
    }

    /** A helper call, with the interpreter's fault for a helper the program may not call. */
    public static long callHelper(CompiledState s, int id, int depth, int pc, long r1, long r2, long r3, long r4, long r5) {
        HelperTable helpers = s.current().image().helpers();
        Helper h = helpers.get(id);
        if (h == null) {
            throw new HelperFault(pc, id, "unknown helper " + helpers.name(id) + " (id " + id + "): not available to this program");
        }
        s.enterHelper(depth, pc);
        return h.call(s, r1, r2, r3, r4, r5);
    }

    /**
     * Where {@code callx} through {@code value} goes, as the interpreter resolves it: the callee's
     * function index, or {@code -1 - id} for a helper id (PREVAIL's convention for a register
     * holding no function pointer). A call-table entry names its callee's first instruction.
     */
    public static int callxTarget(CompiledState s, long value, int reg, int pc) {
        DecodedProgram code = s.current().code;
        long t = value;
        if (Pointers.isExact(t, Pointers.TAG_INSN) && code.functionAt(Pointers.id(t)) >= 0) {
            t = Pointers.function(code.functionAt(Pointers.id(t)));
        }
        if (!Pointers.isExact(t, Pointers.TAG_FUNC)) {
            if (t < 0 || t > 0xffff) {
                throw new ControlFlowFault(pc, "callx through r" + reg + " = " + Pointers.describe(t)
                        + ": neither a function pointer nor a helper id");
            }
            return -1 - (int) t;
        }
        int callee = Pointers.id(t);
        if (callee >= code.functionCount()) {
            throw new ControlFlowFault(pc, "callx through r" + reg + " = " + Pointers.describe(t) + ": no such function");
        }
        return callee;
    }

    /** The program a tail call enters, or {@code null} when it falls through (see {@code RunState.tailCallTarget}). */
    public static CompiledProgram tailCallTarget(CompiledState s, long progArray, long index, int pc) {
        return s.tailCallTarget(progArray, index, pc);
    }

    /**
     * Runs {@code next} in the tail-calling function's frame (its stack zeroed, a fresh may_goto
     * budget) with {@code r1}; its global data in place of the caller's while it runs. A memory
     * fault is put in {@code next}'s terms, as the interpreter's nested run does.
     */
    public static long enterTailCall(CompiledState s, CompiledProgram next, long r1, int depth) {
        CompiledProgram caller = s.current();
        long callerStatic = s.staticBase;
        s.setCurrent(next);
        s.staticBase = (long) s.context().staticBase(next.image()) << 32;
        try {
            return next.compiled.invoke(s, 0, depth, r1, 0, 0, 0, 0);
        } catch (MemoryFault f) {
            throw next.code.inKernelTerms(f);
        } finally {
            s.setCurrent(caller);
            s.staticBase = callerStatic;
        }
    }

    /** gotox's target slot, refused as the interpreter refuses it. */
    public static int gotoxTarget(CompiledState s, long value, int function, int pc) {
        DecodedProgram code = s.current().code;
        int t = Pointers.id(value);
        if (!Pointers.isExact(value, Pointers.TAG_INSN)) {
            throw new ControlFlowFault(pc, "gotox through " + Pointers.describe(value) + ": not an instruction pointer");
        }
        int start = code.functionStart(function);
        int end = code.functionEnd(function);
        if (t < start || t >= end || !code.startsInstruction(t)) {
            throw new ControlFlowFault(pc, "gotox to insn " + t + " outside the function [" + start + ", " + (end - 1) + "]");
        }
        return t;
    }

    /**
     * gotox through a value that is not one of the targets the verifier proved ({@code targets}):
     * the interpreter's fault for it, or, for an instruction of the function the verifier said
     * it cannot reach (a verifier that is wrong), a fault that says so.
     */
    public static RuntimeException gotoxOutsideTargets(CompiledState s, long value, int function, int pc, String targets) {
        int t = gotoxTarget(s, value, function, pc);
        return new ControlFlowFault(pc, "gotox to insn " + t + ": not one of the targets the verifier proved, " + targets);
    }

    /** LD_ABS/LD_IND: the network-order value of {@code size} bytes at packet data + {@code offset}, or -1 outside the packet. */
    public static long packetLoad(CompiledState s, int size, long offset, int pc) {
        long data = s.context().packetData();
        long length = s.context().packetEnd() - data;
        if (data == 0 || offset < 0 || offset > length - size) {
            return -1;
        }
        return AluOps.networkOrder(s.memory().load(data + offset, size, pc), size);
    }

    public static RuntimeException budgetExhausted(CompiledState s, int pc) {
        return new BudgetExhaustedFault(pc, s.context().instructionBudget());
    }

    public static RuntimeException callDepth(int pc, int depth) {
        return new CallDepthFault(pc, depth + 2);
    }

    public static RuntimeException illegal(int pc, int code, String reason) {
        return new IllegalInstructionFault(pc, code, reason);
    }
}
