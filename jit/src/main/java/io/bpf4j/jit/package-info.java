/**
 * Running BPF programs on the JVM, behind one narrow seam.
 *
 * <pre>{@code
 * Instructions insns = InstructionCodec.decode(bytes, ByteOrder.LITTLE_ENDIAN);
 * BpfMap counters = MapFactory.create(MapDefinition.of(MapType.ARRAY, 4, 8, 16));
 * ProgramImage image = ProgramImage.builder(insns)
 *         .helpers(StandardHelpers.all())          // or forProgramType(type), or any HelperTable
 *         .map(3, counters)                        // what ld_imm64 map sources with imm 3 name
 *         .instructionArray(7, 12, 20, 31)         // gotox targets (slot indices) under handle 7
 *         .build();
 * Executable exe = Interpreter.INSTANCE.prepare(image);    // the loader picks the engine for objects
 * ExecutionContext ctx = exe.newContext();         // one per thread, reusable run after run
 * long mem = ctx.addMemory("mem", input, true);    // a pointer to the region's first byte
 * ctx.setArgs(mem, input.length);                  // r1, r2
 * long r0 = exe.run(ctx);                          // or an ExecutionFault naming the instruction
 * }</pre>
 *
 * <p>{@link io.bpf4j.jit.ExecutionEngine} is the seam: the interpreter is the reference, and a
 * bytecode compiler will implement the same interface, calling the same semantics
 * ({@link io.bpf4j.jit.runtime.AluOps} for arithmetic and jump conditions,
 * {@link io.bpf4j.jit.runtime.Memory}). This package names no engine: engines depend on it, not
 * the other way round, and the loader chooses one. Engines share the decoded program and the
 * run state (frames, budgets, tail calls, callbacks) from {@code io.bpf4j.jit.internal}.
 *
 * <p>Maps are the maps module's live {@link io.bpf4j.maps.BpfMap}s; a looked-up value is the
 * element's own storage. An {@link io.bpf4j.jit.Executable} is a {@link io.bpf4j.maps.ProgramRef},
 * so it can sit in a prog array and be entered by {@code bpf_tail_call}; any program runs in any
 * context, its global data mapped on first use. {@link io.bpf4j.jit.testrun.TestRun} gives
 * {@code BPF_PROG_TEST_RUN} semantics on top.
 *
 * <p>Memory is a table of bounded regions and pointers are tagged 64-bit values naming a region
 * and an offset ({@link io.bpf4j.jit.runtime.Pointers}); every access is checked, so an
 * unverified program can fault but never reach outside its regions.
 */
package io.bpf4j.jit;
