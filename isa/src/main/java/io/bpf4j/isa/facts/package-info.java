/**
 * Per-instruction facts about a BPF program, written by a verifier and read by execution engines
 * and tools, so that neither depends on the other: the verifier ({@code io.bpf4j.verifier}) fills
 * a {@link io.bpf4j.isa.facts.ProgramFacts} while it proves the program safe, the interpreter and
 * JIT ({@code io.bpf4j.jit}) use it to drop run-time checks the proof made redundant, and
 * {@code bpf4j verify} and dumps show it. The standard keys are in {@link io.bpf4j.isa.facts.Facts};
 * a component may define its own {@link io.bpf4j.isa.facts.FactKey}s (keys compare by identity).
 * A program nobody verified has {@link io.bpf4j.isa.facts.ProgramFacts#empty()}: no facts, and an
 * engine then keeps every check.
 */
package io.bpf4j.isa.facts;
