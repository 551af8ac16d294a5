package io.bpf4j.jit.internal;

import io.bpf4j.isa.abi.HelperId;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
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
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The state of one run that does not depend on how instructions are executed, so that every
 * engine counts and limits the same way: the suspended frames of bpf-to-bpf calls (callee-saved
 * r6-r10, return slot and function), each frame's {@code may_goto} budget, the instruction
 * budget, the tail-call count, the helpers' per-run state, and callbacks into the program
 * ({@code bpf_loop}) one frame deeper. One per {@link ExecutionContext}, reused run after run;
 * not shared between threads.
 *
 * @param <P> the engine's prepared program type (what a prog array slot must hold for a tail
 *            call to enter it with this engine)
 */
public abstract class RunState<P extends Executable> implements HelperRuntime {
    /** The kernel's {@code MAX_TAIL_CALL_CNT}. */
    public static final int MAX_TAIL_CALLS = 33;

    private final ExecutionContext context;
    private final Memory memory;
    private final Class<P> programClass;
    private final String engineName;
    /** r6-r10 of each suspended frame, 5 per depth. */
    private final long[] saved = new long[Memory.MAX_FRAMES * 5];
    private final int[] returnPc = new int[Memory.MAX_FRAMES];
    private final int[] returnFunction = new int[Memory.MAX_FRAMES];
    private final long[] mayGoto = new long[Memory.MAX_FRAMES];
    private final Map<Object, Object> runState = new HashMap<>();
    private P current;
    private long budget;
    private int tailCalls;
    /** Depth and slot of the helper call under way, for helpers calling back and for faults. */
    private int depth;
    private int pc;

    /**
     * @param programClass what this engine prepares; a tail call to anything else faults
     * @param engineName   the engine as fault messages name it ("the interpreter")
     */
    protected RunState(ExecutionContext context, Class<P> programClass, String engineName) {
        this.context = context;
        this.memory = context.memory();
        this.programClass = programClass;
        this.engineName = engineName;
        this.budget = context.instructionBudget();
    }

    /** Readies this state for another run in the same context. */
    public void reset() {
        budget = context.instructionBudget();
        tailCalls = 0;
        runState.clear();
        depth = 0;
        pc = 0;
    }

    public final ExecutionContext context() {
        return context;
    }

    /** The program whose instructions run now (a tail call changes it). */
    public final P current() {
        return current;
    }

    public final void setCurrent(P program) {
        this.current = program;
    }

    /** r6, r7, r8, r9, r10 of the frame suspended at each depth, 5 per depth. */
    public final long[] savedRegisters() {
        return saved;
    }

    /** The slot each suspended frame resumes at. */
    public final int[] returnSlots() {
        return returnPc;
    }

    /** The function each suspended frame belongs to. */
    public final int[] returnFunctions() {
        return returnFunction;
    }

    /** What is left of each frame's {@code may_goto} budget. */
    public final long[] mayGotoBudgets() {
        return mayGoto;
    }

    /** Instructions the run may still execute. */
    public final long budget() {
        return budget;
    }

    public final void setBudget(long budget) {
        this.budget = budget;
    }

    /** Instructions executed so far in this run. */
    public final long instructionsExecuted() {
        return context.instructionBudget() - budget;
    }

    /** Tail calls made in this run. */
    public final int tailCalls() {
        return tailCalls;
    }

    /** Records where a helper is called from, before the call. */
    public final void enterHelper(int depth, int pc) {
        this.depth = depth;
        this.pc = pc;
    }

    @Override
    public final Memory memory() {
        return memory;
    }

    @Override
    public final TaskContext task() {
        return context.task();
    }

    @Override
    public final BpfClock clock() {
        return context.clock();
    }

    @Override
    public final RandomGenerator random() {
        return context.random();
    }

    @Override
    public final TraceBuffer trace() {
        return context.trace();
    }

    @Override
    public final int pc() {
        return pc;
    }

    @Override
    public final BpfMap map(long mapPointer) {
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
    public final Map<Object, Object> runState() {
        return runState;
    }

    @Override
    public final Packet packet() {
        return context.packet();
    }

    @Override
    public final long contextPointer() {
        return context.contextPointer();
    }

    /**
     * The program a tail call through {@code progArray} slot {@code index} enters, or {@code null}
     * when the kernel's tail call would fall through: index past the end, empty slot, or the
     * run's {@value #MAX_TAIL_CALLS} tail calls used up.
     */
    public final P tailCallTarget(long progArray, long index, int callPc) {
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
        ProgramRef target = ref;
        if (!programClass.isInstance(target) && target instanceof InterpreterForm f) {
            // a program another engine prepared (the compiler): entered in its interpreted form
            target = f.interpreterForm();
        }
        if (!programClass.isInstance(target)) {
            throw new HelperFault(callPc, HelperId.TAIL_CALL.id(), "tail call target '" + ref.name()
                    + "' was not prepared by " + engineName);
        }
        tailCalls++;
        return programClass.cast(target);
    }

    @Override
    public final long callFunction(long functionPointer, long r1, long r2, long r3, long r4, long r5) {
        int f = Pointers.id(functionPointer);
        P program = current;
        if (!Pointers.isExact(functionPointer, Pointers.TAG_FUNC) || f >= code(program).functionCount()) {
            throw new ControlFlowFault(pc, "callback " + Pointers.describe(functionPointer) + " is not a function of the program");
        }
        if (depth + 1 >= Memory.MAX_FRAMES) {
            throw new CallDepthFault(pc, depth + 2);
        }
        int callerDepth = depth;
        int callerPc = pc;
        try {
            return invoke(program, f, callerDepth + 1, r1, r2, r3, r4, r5);
        } finally {
            depth = callerDepth;
            pc = callerPc;
        }
    }

    /** The decoded form {@code program} was prepared from. */
    protected abstract DecodedProgram code(P program);

    /** Runs function {@code function} of {@code program} in a fresh frame at {@code depth} until it exits; returns r0. */
    protected abstract long invoke(P program, int function, int depth, long r1, long r2, long r3, long r4, long r5);
}
