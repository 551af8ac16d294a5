/**
 * The runtime shared by every engine: the checked memory model ({@link io.bpf4j.jit.runtime.Memory},
 * {@link io.bpf4j.jit.runtime.Region}, {@link io.bpf4j.jit.runtime.Pointers}), the arithmetic
 * written once ({@link io.bpf4j.jit.runtime.AluOps}), the faults that stop a run, and the seams
 * to helpers ({@link io.bpf4j.jit.runtime.Helper}, {@link io.bpf4j.jit.runtime.HelperTable},
 * {@link io.bpf4j.jit.runtime.HelperRuntime}). Maps are the maps module's
 * {@link io.bpf4j.maps.BpfMap}; a looked-up value is a {@link io.bpf4j.maps.ValueRef} window the
 * memory maps as a region without copying ({@link io.bpf4j.jit.runtime.Memory#pointerTo}).
 */
package io.bpf4j.jit.runtime;
