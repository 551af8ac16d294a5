package io.bpf4j.jit.compiler;

import io.bpf4j.jit.internal.DecodedProgram;
import io.bpf4j.jit.runtime.BudgetExhaustedFault;
import io.bpf4j.jit.runtime.CallDepthFault;
import io.bpf4j.jit.runtime.ControlFlowFault;
import io.bpf4j.jit.runtime.Helper;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.IllegalInstructionFault;
import io.bpf4j.jit.runtime.Pointers;

/**
 * The out-of-line parts of generated code: calls it makes rarely or that need objects, kept
 * here so the generated methods stay small and the messages stay the interpreter's.
 */
public final class Support {
    private Support() {}

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
