package io.bpf4j.jit.compiler;

import io.bpf4j.jit.runtime.BudgetExhaustedFault;
import io.bpf4j.jit.runtime.CallDepthFault;
import io.bpf4j.jit.runtime.Helper;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.HelperTable;
import io.bpf4j.jit.runtime.IllegalInstructionFault;

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
