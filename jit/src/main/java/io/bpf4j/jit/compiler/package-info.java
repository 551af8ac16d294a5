/**
 * The second engine: each program becomes one hidden JVM class, BPF registers become
 * {@code long} locals, and every instruction keeps the interpreter's meaning by calling the same
 * shared code ({@link io.bpf4j.jit.runtime.AluOps}, the checked {@link io.bpf4j.jit.runtime.Memory},
 * the {@link io.bpf4j.jit.internal.RunState} budgets and frames). Tail calls, gotox and the
 * legacy packet loads are compiled; what it cannot compile yet (a jump or fall-through into
 * another function, a method over the JVM's 64 KB) runs on the interpreter, the reference it is
 * tested against, with a logged reason.
 *
 * <p>Checks go only where they cannot fail: an access through r10 (read only) at a constant
 * offset inside the frame goes straight to the frame's bytes; an access the verifier's facts
 * ({@link io.bpf4j.jit.ProgramImage#facts()}) prove in bounds skips the bounds compare. An
 * unverified program keeps every other check.
 */
package io.bpf4j.jit.compiler;
