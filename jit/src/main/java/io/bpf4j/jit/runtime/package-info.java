/**
 * The runtime shared by every engine: the checked memory model ({@link io.bpf4j.jit.runtime.Memory},
 * {@link io.bpf4j.jit.runtime.Region}, {@link io.bpf4j.jit.runtime.Pointers}), the arithmetic
 * written once ({@link io.bpf4j.jit.runtime.AluOps}), the faults that stop a run, and the seams
 * to helpers ({@link io.bpf4j.jit.runtime.Helper}, {@link io.bpf4j.jit.runtime.HelperTable},
 * {@link io.bpf4j.jit.runtime.HelperRuntime}) and to map implementations
 * ({@link io.bpf4j.jit.runtime.MapHandle}, {@link io.bpf4j.jit.runtime.MemorySlice}).
 */
package io.bpf4j.jit.runtime;
