package io.bpf4j.jit.compiler;

import io.bpf4j.jit.CodePosition;
import io.bpf4j.jit.Executable;
import io.bpf4j.jit.ExecutionContext;
import io.bpf4j.jit.ProgramImage;
import io.bpf4j.jit.internal.DecodedProgram;
import io.bpf4j.jit.runtime.MemoryFault;
import io.bpf4j.jit.internal.InterpreterForm;
import io.bpf4j.jit.internal.ProgramIds;
import io.bpf4j.jit.interpreter.Interpreter;

/** A program whose instructions run as one generated class. */
public final class CompiledProgram implements Executable, InterpreterForm {
    private final int id = ProgramIds.next();
    private final ProgramImage image;
    final DecodedProgram code;
    final CompiledCode compiled;
    private final Executable interpreted;

    /** Where each slot's code is in the generated class. */
    private final CodeGenerator positions;

    CompiledProgram(ProgramImage image, DecodedProgram code, CompiledCode compiled, CodeGenerator positions) {
        this.image = image;
        this.code = code;
        this.compiled = compiled;
        this.positions = positions;
        this.interpreted = Interpreter.INSTANCE.interpreterForm(image, code);
    }

    @Override
    public ProgramImage image() {
        return image;
    }

    @Override
    public int id() {
        return id;
    }

    /** The method of the generated class holding the slot's code and the offset of its first bytecode there. */
    @Override
    public CodePosition position(int slot) {
        CodePosition p = positions.position(slot);
        if (p == null) {
            throw new IllegalArgumentException("prog '" + name() + "': no instruction starts at slot " + slot);
        }
        return p;
    }

    @Override
    public String engineName() {
        return "compiled";
    }

    @Override
    public String name() {
        return image.name();
    }

    /** Interpreted programs tail-call into this one in this form (a run stays on one engine). */
    @Override
    public Executable interpreterForm() {
        return interpreted;
    }

    @Override
    public long run(ExecutionContext context) {
        context.memory().reset();
        CompiledState s;
        // a context may have been run by the interpreter before: its state is of another kind
        if (context.engineState() instanceof CompiledState cached) {
            s = cached;
            s.reset();
        } else {
            s = new CompiledState(context);
            context.setEngineState(s);
        }
        s.setCurrent(this);
        // a program's static regions keep their ids in a context once mapped
        if (s.staticBaseOf != this) {
            s.staticBaseOfBase = (long) context.staticBase(image) << 32;
            s.staticBaseOf = this;
        }
        s.staticBase = s.staticBaseOfBase;
        try {
            return compiled.invoke(s, 0, 0, context.arg(0), context.arg(1), context.arg(2), context.arg(3), context.arg(4));
        } catch (MemoryFault f) {
            throw code.inKernelTerms(f);
        } finally {
            context.recordInstructionsExecuted(s.instructionsExecuted());
        }
    }
}
