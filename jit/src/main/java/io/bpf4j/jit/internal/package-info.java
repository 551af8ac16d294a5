/**
 * What every engine shares and no caller needs: the decoded form of a program
 * ({@link io.bpf4j.jit.internal.DecodedProgram}) and the state of a run
 * ({@link io.bpf4j.jit.internal.RunState}). Not part of the API; engines in this module only.
 */
package io.bpf4j.jit.internal;
