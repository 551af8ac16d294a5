/**
 * {@code BPF_PROG_TEST_RUN} in process: {@link io.bpf4j.jit.testrun.TestRun} lays out the packet
 * and context as the kernel's {@code net/bpf/test_run.c} does for XDP, TC, socket filter,
 * syscall, raw tracepoint (and, bpf4j's own, kprobe) programs, refuses what the kernel refuses
 * with its errno ({@link io.bpf4j.jit.testrun.TestRunException}), and returns the return value,
 * the packet and context as the kernel copies them out, and the duration per run.
 *
 * <pre>{@code
 * Executable exe = Interpreter.INSTANCE.prepare(ProgramImage.builder(insns)
 *         .helpers(StandardHelpers.forProgramType(ProgramType.XDP)).map(1, counters).build());
 * TestRunResult r = TestRun.of(exe, ProgramType.XDP).run(TestRunInput.ofData(frame).withRepeat(100));
 * }</pre>
 */
package io.bpf4j.jit.testrun;
