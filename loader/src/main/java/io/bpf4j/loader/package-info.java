/**
 * bpf4j's public API: BPF objects opened, loaded and run in process, as libbpf opens and loads
 * them in C.
 *
 * <p>{@link io.bpf4j.loader.BpfObject#open(java.nio.file.Path)} reads an object file into its
 * programs ({@link io.bpf4j.loader.BpfProgram}) and maps ({@link io.bpf4j.loader.BpfMap}),
 * still adjustable; {@link io.bpf4j.loader.BpfObject#load()} relocates the programs, verifies
 * them as the Linux verifier would, creates the maps with their initial data and prepares the
 * programs to run. Then a program runs as {@code BPF_PROG_TEST_RUN} runs it
 * ({@link io.bpf4j.loader.BpfProgram#testRun(io.bpf4j.loader.TestRunInput)}), maps are read and
 * written from Java ({@link io.bpf4j.loader.BpfMap#lookupLong(long)}), and global variables by
 * name ({@link io.bpf4j.loader.BpfObject#variable(String)}).
 *
 * <pre>{@code
 * try (BpfObject obj = BpfObject.open(Path.of("maps_hash_array.v3.el.o"))) {
 *     obj.load();
 *     BpfProgram count = obj.program("maps_count_xdp").orElseThrow();
 *     TestRunResult r = count.testRun(TestRunInput.ofData(new byte[64]));
 *     long packets = obj.map("counters").orElseThrow().lookupLong(0).orElseThrow();
 * }
 * }</pre>
 *
 * <p>Errors are unchecked {@link io.bpf4j.isa.BpfException}s whose type says what went wrong:
 * {@link io.bpf4j.loader.ProgramRejectedException} (the verifier refused a program),
 * {@link io.bpf4j.loader.MapCreationException}, {@link io.bpf4j.loader.ObjectStateException}
 * (a call the object's lifecycle state does not allow),
 * {@link io.bpf4j.loader.TestRunRefusedException} (input the kernel would refuse),
 * {@link io.bpf4j.loader.ProgramFaultException} (a program broke a rule at run time),
 * {@link io.bpf4j.loader.MapOperationException} and {@link io.bpf4j.loader.VariableException};
 * malformed objects throw the reader's exceptions, which name the file's place and the rule.
 *
 * <p>Besides objects: {@link io.bpf4j.loader.BpfBtf} reads BTF (of an object or
 * {@code /sys/kernel/btf/vmlinux}) and prints it as bpftool does, {@link io.bpf4j.loader.ElfView}
 * shows an object file's ELF level, and {@link io.bpf4j.loader.StandaloneProgram} runs
 * hand-written instructions.
 */
package io.bpf4j.loader;
