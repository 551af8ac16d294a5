package io.bpf4j.jit.interpreter;

import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.runtime.BpfClock;
import io.bpf4j.jit.runtime.CallDepthFault;
import io.bpf4j.jit.runtime.ControlFlowFault;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.MapHandle;
import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.Pointers;
import io.bpf4j.jit.runtime.TaskContext;
import io.bpf4j.jit.runtime.TraceBuffer;
import java.util.random.RandomGenerator;

/**
 * The state of one run: call frames, budgets, and what helpers see ({@link HelperRuntime}).
 * One per run; not shared.
 */
final class Machine implements HelperRuntime {
    final InterpretedProgram program;
    final ExecutionContext context;
    final Memory memory;
    private final long[][] registers = new long[Memory.MAX_FRAMES][];
    /** r6-r10 of each suspended frame, 5 per depth. */
    final long[] saved = new long[Memory.MAX_FRAMES * 5];
    final int[] returnPc = new int[Memory.MAX_FRAMES];
    final int[] returnFunction = new int[Memory.MAX_FRAMES];
    final long[] mayGoto = new long[Memory.MAX_FRAMES];
    long budget;
    /** Depth and slot of the helper call under way, for helpers calling back. */
    int depth;
    int pc;

    Machine(InterpretedProgram program, ExecutionContext context) {
        this.program = program;
        this.context = context;
        this.memory = context.memory();
        this.budget = context.instructionBudget();
    }

    /** Readies this machine for another run of the same program in the same context. */
    void reset() {
        budget = context.instructionBudget();
        depth = 0;
        pc = 0;
    }

    /** The register file of a loop started at {@code depth} (bpf-to-bpf calls share their caller's). */
    long[] registers(int depth) {
        long[] r = registers[depth];
        if (r == null) {
            r = new long[11];
            registers[depth] = r;
        }
        return r;
    }

    @Override
    public Memory memory() {
        return memory;
    }

    @Override
    public TaskContext task() {
        return context.task();
    }

    @Override
    public BpfClock clock() {
        return context.clock();
    }

    @Override
    public RandomGenerator random() {
        return context.random();
    }

    @Override
    public TraceBuffer trace() {
        return context.trace();
    }

    @Override
    public int pc() {
        return pc;
    }

    @Override
    public MapHandle map(long mapPointer) {
        ProgramImage image = program.image();
        MapHandle m = Pointers.isExact(mapPointer, Pointers.TAG_MAP) ? image.map(Pointers.id(mapPointer)) : null;
        if (m == null) {
            throw new HelperFault(pc, -1, "expected a map pointer, got " + Pointers.describe(mapPointer));
        }
        return m;
    }

    @Override
    public long callFunction(long functionPointer, long r1, long r2, long r3, long r4, long r5) {
        int f = Pointers.id(functionPointer);
        if (!Pointers.isExact(functionPointer, Pointers.TAG_FUNC) || f >= program.code.functionStart.length) {
            throw new ControlFlowFault(pc, "callback " + Pointers.describe(functionPointer) + " is not a function of the program");
        }
        if (depth + 1 >= Memory.MAX_FRAMES) {
            throw new CallDepthFault(pc, depth + 2);
        }
        int callerDepth = depth;
        int callerPc = pc;
        try {
            return program.execute(this, f, callerDepth + 1, r1, r2, r3, r4, r5);
        } finally {
            depth = callerDepth;
            pc = callerPc;
        }
    }
}
