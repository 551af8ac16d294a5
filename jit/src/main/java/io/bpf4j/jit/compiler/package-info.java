/**
 * The second engine: each program becomes one hidden JVM class, BPF registers become
 * {@code long} locals, and every instruction keeps the interpreter's meaning by calling the same
 * shared code ({@link io.bpf4j.jit.runtime.AluOps}, the checked {@link io.bpf4j.jit.runtime.Memory},
 * the {@link io.bpf4j.jit.internal.RunState} budgets and frames). Tail calls, gotox and the
 * legacy packet loads are compiled; what it cannot compile yet (a jump or fall-through into
 * another function, a method still over HotSpot's 8000 bytes after splitting) runs on the
 * interpreter, the reference it is tested against, with a logged reason.
 *
 * <p>The generator: {@code CodeGenerator} lays out the class (which functions are split, the
 * {@code invoke} and {@code dispatch} methods, split functions' drivers, the slow classes) and
 * {@code FunctionEmitter} writes each method, over {@code ControlFlowEmitter} (calls, tail calls,
 * {@code callx}, {@code gotox}, exits), {@code MemoryAccessEmitter} (loads, stores, atomics, region
 * caches) and {@code MethodEmitter} (the method's slots and labels); {@code MethodLayout} is what
 * they agree on (names, descriptors, the locals). Each slot's code starts at a stable bytecode
 * offset in its method, which {@code CompiledProgram.position} gives (an instruction array entry's
 * {@code jitted_off}).
 *
 * <p>Large functions are split ({@code FunctionChunks}): a function whose method would exceed
 * the 8000 bytes HotSpot compiles ({@code HugeMethodLimit}; a larger method would run in the
 * JVM's bytecode interpreter) becomes a driver method {@code f<f>} and chunk methods
 * {@code c<f>_<k>}, each a run of consecutive slots starting a basic block. A chunk takes the
 * registers and budgets as parameters, enters at its entry slot through a switch, and leaves by
 * writing them to {@code CompiledState.xfer} and returning the slot to go on at; the driver
 * calls the chunk holding that slot. Budget, faults and frames are the unsplit method's: each
 * chunk compares the budget per block and stores it when a fault leaves it.
 *
 * <p>The generator writes the stack map frames itself ({@code FramedMethodVisitor}): after a
 * method's entry code every local has one type, so each frame is "same locals" with an empty
 * or one-value stack, and ASM's frame computation (a data-flow analysis per method, once most
 * of the compile time) is not run. Frames go only where the class file needs them (jump
 * targets, code after a goto, return or throw), and each method's fault handler comes before
 * the code it covers: defining the class runs HotSpot's verifier, which looks a frame up by a
 * linear search of the method's frames for each jump and for each instruction a handler covers.
 *
 * <p>{@code callx} and {@code gotox} whose targets the verifier's facts give
 * ({@code IndirectTargets}) switch on the pointer straight to a direct call or jump; other values,
 * and instructions without facts, go through the function table or a switch over every slot as
 * the interpreter resolves them.
 *
 * <p>Checks go only where they cannot fail: an access through r10 (read only) at a constant
 * offset inside the frame goes straight to the frame's bytes; an access the verifier's facts
 * ({@link io.bpf4j.jit.ProgramImage#facts()}) prove in bounds skips the bounds compare. An
 * unverified program keeps every other check.
 *
 * <p>What makes it cheaper than the interpreter's order of checks, with the same results:
 * <ul>
 *   <li>The instruction budget is compared once per basic block ({@code BasicBlocks}) with the
 *   block's length, and spent before each memory access and before the block's last instruction,
 *   so a fault, call or exit sees the interpreter's budget. A block the budget does not cover runs
 *   in the function's slow method, which counts and checks each instruction as the
 *   interpreter does and ends in its budget fault (or an earlier fault of its own). Slow methods
 *   are generated on the first budget fault in their function or chunk, each in a small hidden
 *   class of its own ({@code SlowPaths}, reached as the program class's class data): most runs
 *   never need one, and generating them with the program doubled its class.</li>
 *   <li>Each base register has a region cache in locals (the tag and id of the last region it
 *   reached, and the region): while an access's high half matches, the access compares its
 *   bounds inline and goes to the region's bytes; otherwise {@code Memory.cacheRegion} checks it
 *   as the interpreter does and refills the cache. Calls empty the caches (a helper may replace
 *   or revoke regions). A context's pointer fields are read through the cached region too
 *   ({@code Region.loaded}), with no boxing.</li>
 *   <li>Helpers bound in the image are called through a static final field of the class per
 *   helper, set from the class data: HotSpot takes the field as a constant, sees one
 *   implementation and can inline it.</li>
 *   <li>A function's exits store for its callers, and a call reloads after it returns, only the
 *   registers of r1-r5 read afterwards before being written ({@code ReturnedRegisters}).</li>
 * </ul>
 * {@code -Dbpf4j.compiler.dump=DIR} writes each generated class to DIR; the line numbers of the
 * function methods are BPF slots.
 */
package io.bpf4j.jit.compiler;
