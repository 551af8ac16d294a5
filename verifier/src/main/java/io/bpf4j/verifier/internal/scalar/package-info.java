/**
 * The verifier's scalar domain: the kernel's tnum plus unsigned/signed 64- and 32-bit bounds,
 * with the Linux 6.18 transfer functions, branch refinement, pruning order and log text.
 */
package io.bpf4j.verifier.internal.scalar;
