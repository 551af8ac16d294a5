package io.bpf4j.jit;

import io.bpf4j.jit.runtime.BpfClock;
import io.bpf4j.jit.runtime.Memory;
import io.bpf4j.jit.runtime.Packet;
import io.bpf4j.jit.runtime.Region;
import io.bpf4j.jit.runtime.RegionKind;
import io.bpf4j.jit.runtime.TaskContext;
import io.bpf4j.jit.runtime.TraceBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The mutable state of running programs: the memory (stack frames, the context, packet and plain
 * memory added here, and the global data of each program run here), the arguments in r1 to r5,
 * the environment helpers see, and the limits of a run.
 *
 * <p>A context is made for one program, but any program may run in it: a program's global data
 * and instruction arrays are mapped the first time it runs here (a tail call reaching another
 * program included), and its instructions find them through {@link #staticBase}.
 *
 * <p>A context is reused run after run (regions added here stay; map values handed out during a
 * run are dropped when the next starts; each run gets zeroed stack frames). It is not thread
 * safe: one context per thread.
 *
 * <pre>{@code
 * ExecutionContext ctx = executable.newContext();
 * long mem = ctx.addMemory("mem", bytes, true);
 * ctx.setArgs(mem, bytes.length);
 * long r0 = executable.run(ctx);
 * }</pre>
 */
public final class ExecutionContext {
    /** The default instruction budget of one run. */
    public static final long DEFAULT_INSTRUCTION_BUDGET = 100_000_000L;
    /** The kernel's {@code may_goto} budget per frame ({@code BPF_MAX_LOOPS}, 8M). */
    public static final long DEFAULT_MAY_GOTO_BUDGET = 8L * 1024 * 1024;

    private final ProgramImage image;
    private final Memory memory = new Memory();
    private final long[] args = new long[5];
    private TaskContext task = TaskContext.defaults();
    private BpfClock clock = BpfClock.system();
    private RandomGenerator random = new SplittableRandom();
    private TraceBuffer trace = new TraceBuffer();
    private long instructionBudget = DEFAULT_INSTRUCTION_BUDGET;
    private long mayGotoBudget = DEFAULT_MAY_GOTO_BUDGET;
    private long contextPointer;
    private Packet packet;
    private final Map<ProgramImage, Integer> staticBases = new IdentityHashMap<>();
    private long instructionsExecuted;
    private Object engineState;

    private ExecutionContext(ProgramImage image) {
        this.image = image;
    }

    /** A context for {@code image}, its static regions (global data, instruction arrays) already mapped. */
    public static ExecutionContext of(ProgramImage image) {
        ExecutionContext c = new ExecutionContext(Objects.requireNonNull(image, "image"));
        c.staticBase(image);
        return c;
    }

    /** The program this context was made for. */
    public ProgramImage image() {
        return image;
    }

    /**
     * The region id of {@code program}'s first static region ({@link ProgramImage#staticRegions()})
     * in this context's memory, mapping them on first use; engines add it to the region index an
     * {@code ld_imm64} direct value load names.
     */
    public int staticBase(ProgramImage program) {
        Integer base = staticBases.get(program);
        if (program.arena() != null) {
            memory.arena(program.arena());
        }
        if (base == null) {
            base = 0;
            for (Region r : program.staticRegions()) {
                long p = memory.addFixed(r);
                if (base == 0) {
                    base = io.bpf4j.jit.runtime.Pointers.id(p);
                }
            }
            staticBases.put(program, base);
        }
        return base;
    }

    /** The run's memory (engines and helpers use it; callers rarely need it). */
    public Memory memory() {
        return memory;
    }

    /** Adds plain memory the program may use; returns a pointer to its first byte. */
    public long addMemory(String name, byte[] bytes, boolean writable) {
        return memory.addFixed(Region.of(RegionKind.INPUT, name, bytes, writable));
    }

    /** Adds any region; returns a pointer to its first byte. */
    public long addRegion(Region region) {
        return memory.addFixed(region);
    }

    /**
     * Sets the program's context (what r1 points to for most program types) and makes it r1.
     * Returns the pointer. Setting it again replaces the region (same pointer, no pointer fields).
     */
    public long setContext(byte[] bytes, boolean writable) {
        Region r = Region.of(RegionKind.CONTEXT, "ctx", bytes, writable);
        if (contextPointer == 0) {
            contextPointer = memory.addFixed(r);
        } else {
            memory.replaceFixed(contextPointer, r);
        }
        args[0] = contextPointer;
        return contextPointer;
    }

    /**
     * Makes a 4- or 8-byte load of the context at {@code offset} yield {@code pointer} (the
     * kernel rewrites {@code xdp_md->data} and friends the same way).
     */
    public void setContextPointerField(int offset, long pointer) {
        Region ctx = memory.regionOf(contextPointer);
        if (ctx == null) {
            throw new IllegalStateException("no context set");
        }
        memory.replaceFixed(contextPointer, ctx.withPointerField(offset, pointer));
    }

    /** The context pointer, or 0 when none was set. */
    public long contextPointer() {
        return contextPointer;
    }

    /**
     * Adds packet memory: {@code buffer[metaOffset, dataEnd)} is addressable, with data_meta at
     * {@code metaOffset}, data at {@code dataOffset} and data_end at {@code dataEnd}; the rest of
     * the buffer is headroom and tailroom the adjust helpers may grow into. Legacy packet loads
     * ({@code LD_ABS}/{@code LD_IND}) read from data. Returns the data pointer.
     */
    public long setPacket(byte[] buffer, int metaOffset, int dataOffset, int dataEnd) {
        packet = Packet.create(memory, buffer, metaOffset, dataOffset, dataEnd);
        return packet.dataPointer();
    }

    /** The packet of {@link #setPacket}, or {@code null}. */
    public Packet packet() {
        return packet;
    }

    public long packetMeta() {
        return packet == null ? 0 : packet.metaPointer();
    }

    public long packetData() {
        return packet == null ? 0 : packet.dataPointer();
    }

    public long packetEnd() {
        return packet == null ? 0 : packet.endPointer();
    }

    /** The CPU the program runs on: per-CPU map values, {@code bpf_get_smp_processor_id}. */
    public int cpu() {
        return task.cpu();
    }

    /** Sets the CPU the program runs on (kept in {@link #task()}). */
    public ExecutionContext setCpu(int cpu) {
        if (cpu < 0) {
            throw new IllegalArgumentException("cpu must not be negative: " + cpu);
        }
        TaskContext t = task;
        this.task = new TaskContext(t.pid(), t.tgid(), t.uid(), t.gid(), t.comm(), cpu);
        return this;
    }

    /** Sets r1, r2, ... from the values given (at most five); the others are left as they were. */
    public ExecutionContext setArgs(long... values) {
        if (values.length > 5) {
            throw new IllegalArgumentException("at most 5 arguments, got " + values.length);
        }
        System.arraycopy(values, 0, args, 0, values.length);
        return this;
    }

    /** Argument register r{@code n + 1}. */
    public long arg(int n) {
        return args[n];
    }

    public TaskContext task() {
        return task;
    }

    public ExecutionContext setTask(TaskContext task) {
        this.task = Objects.requireNonNull(task, "task");
        return this;
    }

    public BpfClock clock() {
        return clock;
    }

    public ExecutionContext setClock(BpfClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public RandomGenerator random() {
        return random;
    }

    /** Seeds the random source, for reproducible runs. */
    public ExecutionContext setRandomSeed(long seed) {
        this.random = new SplittableRandom(seed);
        return this;
    }

    public TraceBuffer trace() {
        return trace;
    }

    public ExecutionContext setTrace(TraceBuffer trace) {
        this.trace = Objects.requireNonNull(trace, "trace");
        return this;
    }

    public long instructionBudget() {
        return instructionBudget;
    }

    /** The most instructions one run may execute before it ends with a budget fault. */
    public ExecutionContext setInstructionBudget(long budget) {
        if (budget <= 0) {
            throw new IllegalArgumentException("budget must be positive: " + budget);
        }
        this.instructionBudget = budget;
        return this;
    }

    public long mayGotoBudget() {
        return mayGotoBudget;
    }

    /** How many times {@code may_goto} falls through in one frame before it jumps. */
    public ExecutionContext setMayGotoBudget(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must not be negative: " + budget);
        }
        this.mayGotoBudget = budget;
        return this;
    }

    /** Instructions executed by the last run (including a run that faulted). */
    public long instructionsExecuted() {
        return instructionsExecuted;
    }

    /** Engines report the count of a finished run here. */
    public void recordInstructionsExecuted(long count) {
        this.instructionsExecuted = count;
    }

    /**
     * Scratch state an engine keeps with this context between runs (its frame stack, say), so a
     * run allocates nothing it allocated before. Only engines use this.
     */
    public Object engineState() {
        return engineState;
    }

    /** Engines store their scratch state here; see {@link #engineState()}. */
    public void setEngineState(Object state) {
        this.engineState = state;
    }
}
