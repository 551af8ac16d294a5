/**
 * The second engine: each program becomes one hidden JVM class, BPF registers become
 * {@code long} locals, and every instruction keeps the interpreter's meaning by calling the same
 * shared code ({@link io.bpf4j.jit.runtime.AluOps}, the checked {@link io.bpf4j.jit.runtime.Memory},
 * the {@link io.bpf4j.jit.internal.RunState} budgets and frames). What it cannot compile yet runs
 * on the interpreter, the reference it is tested against.
 */
package io.bpf4j.jit.compiler;
