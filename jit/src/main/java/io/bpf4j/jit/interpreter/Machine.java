package io.bpf4j.jit.interpreter;

import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.jit.runtime.BpfClock;
import io.bpf4j.jit.runtime.CallDepthFault;
import io.bpf4j.jit.runtime.ControlFlowFault;
import io.bpf4j.jit.runtime.HelperFault;
import io.bpf4j.jit.runtime.HelperRuntime;
import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.Packet;
import io.bpf4j.jit.runtime.Pointers;
import io.bpf4j.jit.runtime.TaskContext;
import io.bpf4j.jit.runtime.TraceBuffer;
import io.bpf4j.maps.BpfMap;
import io.bpf4j.maps.MapFactory;
import io.bpf4j.maps.ProgArray;
import io.bpf4j.maps.ProgramRef;
import java.util.random.RandomGenerator;

/**
 * The state of one run: call frames, budgets, and what helpers see ({@link HelperRuntime}).
 * One per run; not shared.
 */
final class Machine implements HelperRuntime {
    /** The program whose instructions run now (a tail call changes it). */
    InterpretedProgram current;
    final ExecutionContext context;
    final Memory memory;
    private final long[][] registers = new long[Memory.MAX_FRAMES][];
    /** r6-r10 of each suspended frame, 5 per depth. */
    final long[] saved = new long[Memory.MAX_FRAMES * 5];
    final int[] returnPc = new int[Memory.MAX_FRAMES];
    final int[] returnFunction = new int[Memory.MAX_FRAMES];
    final long[] mayGoto = new long[Memory.MAX_FRAMES];
    long budget;
    /** Tail calls made in this run. */
    int tailCalls;
    private final java.util.HashMap<Object, Object> runState = new java.util.HashMap<>();
    /** Depth and slot of the helper call under way, for helpers calling back. */
    int depth;
    int pc;

    Machine(ExecutionContext context) {
        this.context = context;
        this.memory = context.memory();
        this.budget = context.instructionBudget();
    }

    /** Readies this machine for another run of the same program in the same context. */
    void reset() {
        budget = context.instructionBudget();
        tailCalls = 0;
        runState.clear();
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
    public BpfMap map(long mapPointer) {
        BpfMap m = null;
        if (Pointers.isExact(mapPointer, Pointers.TAG_MAP)) {
            int id = Pointers.id(mapPointer);
            m = current.image().mapById(id);
            if (m == null) {
                m = MapFactory.map(id);
            }
        }
        if (m == null) {
            throw new HelperFault(pc, -1, "expected a map pointer, got " + Pointers.describe(mapPointer));
        }
        return m;
    }

    @Override
    public java.util.Map<Object, Object> runState() {
        return runState;
    }

    @Override
    public Packet packet() {
        return context.packet();
    }

    @Override
    public long contextPointer() {
        return context.contextPointer();
    }

    /**
     * The program a tail call through {@code progArray} slot {@code index} enters, or {@code null}
     * when the kernel's tail call would fall through: index past the end, empty slot, or the
     * run's {@value #MAX_TAIL_CALLS} tail calls used up.
     */
    InterpretedProgram tailCallTarget(long progArray, long index, int callPc) {
        pc = callPc;
        BpfMap map = map(progArray);
        if (!(map instanceof ProgArray)) {
            throw new HelperFault(callPc, HelperId.TAIL_CALL.id(), "bpf_tail_call needs a prog array, got map '" + map.name() + "'");
        }
        long i = index & 0xffff_ffffL;
        if (i >= map.maxEntries() || tailCalls >= MAX_TAIL_CALLS) {
            return null;
        }
        ProgramRef ref = ((ProgArray) map).program((int) i);
        if (ref == null) {
            return null;
        }
        if (!(ref instanceof InterpretedProgram)) {
            throw new HelperFault(callPc, HelperId.TAIL_CALL.id(), "tail call target '" + ref.name()
                    + "' was not prepared by the interpreter");
        }
        tailCalls++;
        return (InterpretedProgram) ref;
    }

    /** The kernel's {@code MAX_TAIL_CALL_CNT}. */
    static final int MAX_TAIL_CALLS = 33;

    @Override
    public long callFunction(long functionPointer, long r1, long r2, long r3, long r4, long r5) {
        int f = Pointers.id(functionPointer);
        InterpretedProgram program = current;
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
