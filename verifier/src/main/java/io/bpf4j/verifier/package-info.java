/**
 * The in-process BPF verifier: {@link io.bpf4j.verifier.Verifier#verify} judges a
 * {@link io.bpf4j.verifier.VerifierInput} with Linux 6.18's rules. Everything under
 * {@code internal} is implementation.
 */
package io.bpf4j.verifier;
