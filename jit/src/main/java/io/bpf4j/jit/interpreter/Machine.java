package io.bpf4j.jit.interpreter;

import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.internal.DecodedProgram;
import io.bpf4j.jit.internal.RunState;
import io.bpf4j.jit.runtime.Memory;

/**
 * The interpreter's run state: the shared {@link RunState} plus one register file per nested
 * loop (a helper calling back starts a loop one frame deeper; bpf-to-bpf calls share their
 * caller's file and save r6-r10 in the run state).
 */
final class Machine extends RunState<InterpretedProgram> {
    private final long[][] registers = new long[Memory.MAX_FRAMES][];

    Machine(ExecutionContext context) {
        super(context, InterpretedProgram.class, "the interpreter");
    }

    /** The register file of a loop started at {@code depth}. */
    long[] registers(int depth) {
        long[] r = registers[depth];
        if (r == null) {
            r = new long[11];
            registers[depth] = r;
        }
        return r;
    }

    @Override
    protected DecodedProgram code(InterpretedProgram program) {
        return program.code;
    }

    @Override
    protected long invoke(InterpretedProgram program, int function, int depth, long r1, long r2, long r3, long r4, long r5) {
        return program.execute(this, function, depth, r1, r2, r3, r4, r5);
    }
}
