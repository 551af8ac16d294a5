package io.bpf4j.jit.compiler;

import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.internal.DecodedProgram;
import io.bpf4j.jit.internal.RunState;

/**
 * The compiled engine's run state: the shared {@link RunState} (budget, frames, helpers' state)
 * plus what generated code exchanges with itself. Public only because hidden classes link to it.
 */
public final class CompiledState extends RunState<CompiledProgram> {
    /**
     * r1-r5 as a returning BPF function left them. The interpreter's callee shares its caller's
     * register file, so after a bpf-to-bpf call the caller sees the callee's r1-r5; generated
     * methods return r0 and leave here those of r1-r5 a caller may read after the call, for it
     * to reload ({@link ReturnedRegisters}).
     */
    public final long[] ret = new long[6];
    /**
     * What a chunk of a split function hands its driver when it leaves for a slot of another
     * chunk: r0-r10, the budget and the may_goto budget (r0 alone when the function returned).
     */
    public final long[] xfer = new long[13];
    /** The running program's first static region, as an address high half (see {@code LD_STATIC}). */
    public long staticBase;
    /** The program whose {@link #staticBase} this state looked up last, and that base: a run looks it up once, not per run. */
    CompiledProgram staticBaseOf;
    long staticBaseOfBase;

    CompiledState(ExecutionContext context) {
        super(context, CompiledProgram.class, "the compiler");
    }

    @Override
    protected DecodedProgram code(CompiledProgram program) {
        return program.code;
    }

    @Override
    protected long invoke(CompiledProgram program, int function, int depth, long r1, long r2, long r3, long r4, long r5) {
        return program.compiled.invoke(this, function, depth, r1, r2, r3, r4, r5);
    }
}
